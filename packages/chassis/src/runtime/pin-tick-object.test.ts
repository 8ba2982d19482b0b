import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { pinnedTickObject } from './pin-tick-object.js';

const probe = fileURLToPath(new URL('./tick-feedback-probe.mjs', import.meta.url));

/** The IC states of the property definitions in nextTick's queue-entry literal. */
async function literalFeedback(pin: boolean): Promise<string[]> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--allow-natives-syntax', '--expose-gc', probe],
    { env: { ...process.env, PIN: pin ? '1' : '0' }, maxBuffer: 16 * 1024 * 1024 },
  );
  return [...stdout.matchAll(/DefineKeyedOwnPropertyInLiteral (\w+)/g)].map((m) => m[1] as string);
}

describe('pinning a nextTick queue entry', () => {
  it('holds a genuine queue entry once the first tick has run', async () => {
    await new Promise((resolve) => setImmediate(resolve));
    const entry = pinnedTickObject() as Record<string | symbol, unknown>;
    const symbols = Object.getOwnPropertySymbols(entry).map((s) => s.description);
    expect(symbols).toEqual(['async_id_symbol', 'trigger_async_id_symbol']);
    expect(Object.keys(entry)).toEqual(['callback', 'args']);
  });

  it('keeps nextTick monomorphic through collections that run while no tick is queued', async () => {
    const [withoutPin, withPin] = await Promise.all([literalFeedback(false), literalFeedback(true)]);
    // The failure it prevents, on this Node: the literal's feedback turns megamorphic. (If this
    // expectation ever fails, Node no longer loses the shapes and the pin can go.)
    expect(withoutPin).toContain('MEGAMORPHIC');
    expect(withPin.length).toBeGreaterThanOrEqual(2);
    expect(withPin.every((state) => state === 'MONOMORPHIC')).toBe(true);
  });
});
