/** Column-aligned text for `list` commands: a header row, then one row per item. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i < cells.length - 1 ? c.padEnd(widths[i] ?? 0) : c))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line), ''].join('\n');
}
