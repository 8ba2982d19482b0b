/** What the people routes share: the auth context plus the browser-facing settings derived once. */
import type { AuthContext } from '../context.js';
import { basePath, cookieSettings, type CookieSettings } from './browser/cookies.js';
import type { SessionLifetimes } from './browser/login-session.js';
import { LoginThrottle } from './login/throttle.js';

export interface People {
  readonly context: AuthContext;
  readonly throttle: LoginThrottle;
  readonly cookies: CookieSettings;
  /** The issuer's path prefix ('' at the root): form actions and links start with it. */
  readonly base: string;
  readonly sessions: SessionLifetimes;
}

/** Optional configuration keys (defaults when the service's schema does not declare them). */
interface PeopleConfig {
  loginSessionIdleSeconds?: number;
  loginSessionAbsoluteSeconds?: number;
}

export function createPeople(context: AuthContext): People {
  const config = context.config as unknown as PeopleConfig;
  return {
    context,
    throttle: new LoginThrottle(context.shared),
    cookies: cookieSettings(context.config.issuer),
    base: basePath(context.config.issuer),
    sessions: {
      idleMs: (config.loginSessionIdleSeconds ?? 8 * 3600) * 1000,
      absoluteMs: (config.loginSessionAbsoluteSeconds ?? 24 * 3600) * 1000,
    },
  };
}
