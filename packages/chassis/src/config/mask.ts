/** How configuration values are shown: secrets as `****`, everything else as JSON-ish text. */

export const MASK = '****';

export function maskValue(value: unknown): string {
  return value === undefined || value === '' ? '(empty)' : MASK;
}

export function renderValue(value: unknown): string {
  if (value === undefined) return '(unset)';
  if (typeof value === 'string') return JSON.stringify(maskUrlPassword(value));
  return JSON.stringify(value) ?? typeof value;
}

/** `postgres://app:hunter2@db/x` → `postgres://app:****@db/x`: connection URLs carry passwords. */
export function maskUrlPassword(text: string): string {
  return text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@\s]*@/gi, `$1${MASK}@`);
}
