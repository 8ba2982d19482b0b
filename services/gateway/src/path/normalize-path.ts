/**
 * Request-path normalization, done once before routing: routing, authorization and the path
 * forwarded upstream all use its output, so no two layers can disagree on what a path means.
 *
 * Accepted and canonicalised: percent-encoded unreserved characters are decoded (RFC 3986 §2.3,
 * §6.2.2.2), percent-encoding hex digits upper-cased (§6.2.2.1), dot segments removed (§5.2.4),
 * duplicate slashes collapsed. Rejected (ambiguous between components, or between this gateway
 * and an upstream): encoded `/` `\` `.` (after the unreserved pass, an encoded dot that would form
 * a dot segment), `\`, NUL and other control characters, `;` path parameters (Tomcat-style
 * `..;/`), invalid percent-encoding, `..` climbing above the root, and anything not starting
 * with `/` (absolute-form or asterisk-form targets).
 */

export type PathRejection =
  | 'not_origin_form'
  | 'invalid_encoding'
  | 'encoded_separator'
  | 'encoded_dot_segment'
  | 'backslash'
  | 'control_character'
  | 'path_parameter'
  | 'escapes_root'
  | 'too_long';

export type NormalizedPath = { ok: true; path: string; query: string } | { ok: false; reason: PathRejection };

const MAX_PATH = 8192;
const HEX = /^[0-9A-Fa-f]{2}$/;
// RFC 3986 §2.3 unreserved: ALPHA / DIGIT / "-" / "." / "_" / "~"
const UNRESERVED = /^[A-Za-z0-9\-._~]$/;

function reject(reason: PathRejection): NormalizedPath {
  return { ok: false, reason };
}

/** Splits `target` into path and query (query keeps its leading `?`, or is empty). */
export function normalizePath(target: string): NormalizedPath {
  if (target.length > MAX_PATH) return reject('too_long');
  if (!target.startsWith('/')) return reject('not_origin_form');
  const q = target.indexOf('?');
  const raw = q === -1 ? target : target.slice(0, q);
  const query = q === -1 ? '' : target.slice(q);
  if (query.includes('#')) return reject('invalid_encoding');

  const rawSegments = raw.split('/');
  const out: string[] = [];
  for (let s = 1; s < rawSegments.length; s++) {
    const rawSegment = rawSegments[s]!;
    const decoded = decodeSegment(rawSegment);
    if (typeof decoded !== 'string') return decoded;
    const last = s === rawSegments.length - 1;
    if (decoded === '.' || decoded === '..') {
      // A dot segment spelled with %2E means something else to every other parser.
      if (rawSegment !== decoded) return reject('encoded_dot_segment');
      if (decoded === '..') {
        if (out.length === 0) return reject('escapes_root');
        out.pop();
      }
      if (last) out.push('');
      continue;
    }
    if (decoded === '' && !last) continue; // duplicate slash
    out.push(decoded);
  }
  const path = `/${out.join('/')}`;
  return { ok: true, path, query };
}

function decodeSegment(raw: string): string | NormalizedPath {
  let decoded = '';
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!;
    const code = raw.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return reject('control_character');
    if (ch === '\\') return reject('backslash');
    if (ch === ';') return reject('path_parameter');
    if (ch === '#') return reject('invalid_encoding');
    if (ch !== '%') {
      decoded += ch;
      continue;
    }
    const hex = raw.slice(i + 1, i + 3);
    if (!HEX.test(hex)) return reject('invalid_encoding');
    const byte = Number.parseInt(hex, 16);
    if (byte === 0x2f || byte === 0x5c) return reject('encoded_separator');
    if (byte < 0x20 || byte === 0x7f) return reject('control_character');
    if (byte === 0x3b) return reject('path_parameter');
    const char = String.fromCharCode(byte);
    decoded += UNRESERVED.test(char) ? char : `%${hex.toUpperCase()}`;
    i += 2;
  }
  // Double encoding (`%2561` → `%61` → `a`) is never decoded here; refuse it so an upstream
  // that decodes twice cannot see a different path than the one we authorised.
  if (/%25[0-9A-Fa-f]{2}/.test(decoded)) return reject('invalid_encoding');
  return decoded;
}
