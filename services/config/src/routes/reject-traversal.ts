/**
 * Path parameters are names (`^[a-z0-9][a-z0-9-]{0,62}$`), so a request path with a dot segment or
 * an encoded separator is an attack or a mistake: 400 before routing can normalize it away
 * (`%2e%2e` would otherwise resolve to a parent route).
 */
import { rampartError, type Service } from '@rampart/chassis';

const SUSPICIOUS = /%(?:2f|5c|00|2e)|\\|\/\.\.?(?:\/|$)/i;

export function rejectTraversal(app: Service): void {
  app.addHook('onRequest', async (request) => {
    const url = request.raw.url ?? '/';
    const query = url.indexOf('?');
    const pathname = query < 0 ? url : url.slice(0, query);
    if (SUSPICIOUS.test(pathname))
      throw rampartError('RAMPART_ERR_BAD_REQUEST', {
        detail: 'dot segments and encoded separators are not allowed in the path',
      });
  });
}
