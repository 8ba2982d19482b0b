import { describe, expect, it } from 'vitest';
import { nextTraceparent } from './traceparent.js';

const FORMAT = /^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

describe('nextTraceparent', () => {
  it('continues a well-formed inbound trace with a fresh span id', () => {
    const inbound = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const next = nextTraceparent(inbound);
    expect(next).toMatch(/^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01$/);
    expect(next).not.toBe(inbound);
  });

  it('starts a new trace for missing, malformed or all-zero inbound values, never repeating ids', () => {
    const seen = new Set<string>();
    for (const inbound of [
      undefined,
      'garbage',
      '00-00000000000000000000000000000000-b7ad6b7169203331-01',
      ['a', 'b'],
    ]) {
      for (let i = 0; i < 500; i++) {
        const value = nextTraceparent(inbound);
        expect(value).toMatch(FORMAT);
        expect(value.slice(3, 35)).not.toMatch(/^0+$/);
        seen.add(value.slice(3, 35));
      }
    }
    expect(seen.size).toBe(2000);
  });
});
