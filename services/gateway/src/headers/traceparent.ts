/** W3C Trace Context: continue a well-formed inbound trace with a new span id, else start one. */
import { randomBytes } from 'node:crypto';

const TRACEPARENT = /^00-([0-9a-f]{32})-[0-9a-f]{16}-([0-9a-f]{2})$/;

export function nextTraceparent(inbound: string | string[] | undefined): string {
  const match = typeof inbound === 'string' ? TRACEPARENT.exec(inbound) : null;
  const span = randomBytes(8).toString('hex');
  if (match && !/^0+$/.test(match[1]!)) return `00-${match[1]}-${span}-${match[2]}`;
  return `00-${randomBytes(16).toString('hex')}-${span}-01`;
}
