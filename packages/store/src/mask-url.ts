/**
 * Masks the password in a connection URL so it can be logged or put in an error message.
 *
 * Works on malformed URLs too (they are the ones that end up in error messages): everything
 * between `scheme://user:` and the last `@` is masked, erring on the side of masking too much.
 * `password=` query parameters are masked as well.
 *
 * @example
 * ```ts
 * maskUrl('postgres://app:s3cret@db:5432/rampart'); // 'postgres://app:****@db:5432/rampart'
 * maskUrl('redis://:s3cret@cache:6379');            // 'redis://:****@cache:6379'
 * ```
 */
export function maskUrl(url: string): string {
  return url
    .replace(/^([a-z][a-z0-9+.-]*:\/\/)([^]*)@/i, (match, scheme: string, userinfo: string) => {
      const colon = userinfo.indexOf(':');
      return colon === -1 ? match : `${scheme}${userinfo.slice(0, colon)}:****@`;
    })
    .replace(/([?&](?:password|pass|pwd)=)[^&#]*/gi, '$1****');
}
