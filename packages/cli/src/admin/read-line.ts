/** Reads the first line of a stream (`--password-stdin`), without its line ending. */
import { createInterface } from 'node:readline';

export async function readFirstLine(input: NodeJS.ReadableStream): Promise<string | undefined> {
  const lines = createInterface({ input, crlfDelay: Infinity, terminal: false });
  try {
    for await (const line of lines) return line;
    return undefined;
  } finally {
    lines.close();
  }
}
