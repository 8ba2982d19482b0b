/**
 * The people side of the authorization server: users, login, consent, login sessions,
 * /oauth2/authorize, /userinfo, RP-initiated logout, the admin API and the demo seed.
 * `buildAuth` calls `registerPeopleRoutes(app, context)` once.
 */
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import type { AuthContext } from '../context.js';
import { createUserStore, warmDummyHash } from '../users/index.js';
import { adminGuard } from './admin/admin-guard.js';
import { registerAdminClientRoutes } from './admin/clients-routes.js';
import { registerAdminUserRoutes } from './admin/users-routes.js';
import { registerAuthorizeRoute } from './authorize/authorize-route.js';
import { purgeLoginSessions } from './browser/login-session.js';
import { registerConsentRoute } from './consent/consent-route.js';
import { contentSecurityPolicy } from './html/send-html.js';
import { registerLoginRoutes } from './login/login-route.js';
import { registerLogoutRoute } from './logout/logout-route.js';
import { createPeople } from './people.js';
import { registerUserInfoRoute } from './userinfo/userinfo-route.js';

export { seedDemo, DEMO_REDIRECT_URI, type SeedResult } from './seed/seed-demo.js';
export { ensureFirstAdmin, type FirstAdminOptions } from './seed/first-admin.js';
export { purgeLoginSessions } from './browser/login-session.js';
export { SESSION_COOKIE, BROWSER_COOKIE } from './browser/cookies.js';

export async function registerPeopleRoutes(app: FastifyInstance, context: AuthContext): Promise<void> {
  context.users = createUserStore(context.db);
  const people = createPeople(context);
  // The first unknown-user login must cost what every other one does.
  await warmDummyHash();

  await app.register(async (scope) => {
    // Security headers on every people route (pages set their own, stricter CSP per page).
    await scope.register(helmet, {
      contentSecurityPolicy: false,
      frameguard: { action: 'deny' },
      referrerPolicy: { policy: 'no-referrer' },
      hsts: people.cookies.secure,
    });
    scope.addHook('onSend', async (_request, reply, payload) => {
      if (!reply.hasHeader('content-security-policy'))
        reply.header('content-security-policy', contentSecurityPolicy());
      return payload;
    });
    if (!scope.hasContentTypeParser('application/x-www-form-urlencoded')) {
      await scope.register(formbody, { bodyLimit: 16 * 1024 });
    }

    registerAuthorizeRoute(scope, people);
    registerLoginRoutes(scope, people);
    registerConsentRoute(scope, people);
    registerUserInfoRoute(scope, people);
    registerLogoutRoute(scope, people);

    await scope.register(async (admin) => {
      admin.addHook('onRequest', adminGuard(context));
      registerAdminUserRoutes(admin, people);
      registerAdminClientRoutes(admin, people);
    });
  });

  // Housekeeping of the login sessions (the token side purges its own tables).
  const every = Math.max(
    1,
    Number((context.config as { housekeepingIntervalSeconds?: number }).housekeepingIntervalSeconds ?? 300),
  );
  const timer = setInterval(() => {
    purgeLoginSessions(context.db).catch((error: unknown) =>
      app.log.error({ err: error }, 'login-session purge failed'),
    );
  }, every * 1000);
  timer.unref();
  app.addHook('onClose', async () => clearInterval(timer));
}
