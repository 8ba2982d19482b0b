/**
 * Request ids: random (version 4) UUIDs, RFC 9562 §5.4, from a pooled CSPRNG buffer. Ids end up
 * in responses and logs, so they stay unguessable (122 random bits each, OWASP ASVS V7.1 keeps
 * log correlation ids free of anything sensitive or predictable).
 *
 * `crypto.randomUUID()` builds each id by concatenating 20 pieces, a string Node flattens again
 * when it validates and writes the header; here a whole batch is formatted into one ASCII buffer
 * after one CSPRNG call, and each id is one flat slice of it.
 */
import { randomFillSync } from 'node:crypto';

const BATCH = 1024;
const random = Buffer.alloc(BATCH * 16);
const text = Buffer.alloc(BATCH * 36);
const HEX = Buffer.from('0123456789abcdef', 'latin1');
const DASH = 0x2d;
let next = BATCH;

function refill(): void {
  randomFillSync(random);
  let t = 0;
  for (let r = 0; r < random.length; r += 16) {
    // Version 4 in the high nibble of octet 6, variant 10 in the high bits of octet 8.
    random[r + 6] = ((random[r + 6] as number) & 0x0f) | 0x40;
    random[r + 8] = ((random[r + 8] as number) & 0x3f) | 0x80;
    for (let j = 0; j < 16; j++) {
      if (j === 4 || j === 6 || j === 8 || j === 10) text[t++] = DASH;
      const byte = random[r + j] as number;
      text[t++] = HEX[byte >> 4] as number;
      text[t++] = HEX[byte & 0x0f] as number;
    }
  }
  next = 0;
}

/** A fresh `xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx` id. */
export function randomRequestId(): string {
  if (next === BATCH) refill();
  const start = next++ * 36;
  return text.toString('latin1', start, start + 36);
}
