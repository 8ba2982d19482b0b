/**
 * A pending authorization request between /oauth2/authorize and the login or consent form,
 * kept in the shared state (every instance sees it) for ten minutes. It is bound to the browser
 * that started it (`browser` = SHA-256 of the `rampart_browser` cookie) and carries the form's
 * CSRF token (synchronizer token pattern, OWASP CSRF Prevention).
 */
import type { SharedState } from '@rampart/store';
import { randomToken, safeEqual, sha256 } from '../../lib/random.js';
import type { AuthorizationRequest } from '../authorize/authorization-request.js';

export const INTERACTION_TTL_MS = 10 * 60_000;

export interface Interaction {
  request: AuthorizationRequest;
  browser: string;
  csrf: string;
  /** Set once the person is identified and only consent is missing. */
  userId?: string;
  sessionId?: string;
  authTime?: number;
}

const key = (id: string) => `interaction:${id}`;

export async function saveInteraction(
  shared: SharedState,
  request: AuthorizationRequest,
  browserCookie: string,
  extra: Pick<Interaction, 'userId' | 'sessionId' | 'authTime'> = {},
): Promise<{ id: string; interaction: Interaction }> {
  const id = randomToken();
  const interaction: Interaction = { request, browser: sha256(browserCookie), csrf: randomToken(), ...extra };
  await shared.set(key(id), JSON.stringify(interaction), { ttlMs: INTERACTION_TTL_MS });
  return { id, interaction };
}

export async function updateInteraction(
  shared: SharedState,
  id: string,
  interaction: Interaction,
): Promise<void> {
  await shared.set(key(id), JSON.stringify(interaction), { ttlMs: INTERACTION_TTL_MS });
}

/**
 * The interaction, only when the browser cookie and the form's CSRF token both match it.
 * (`csrf` undefined: a GET that re-renders the form — the browser cookie must still match.)
 */
export async function loadInteraction(
  shared: SharedState,
  id: unknown,
  browserCookie: string | undefined,
  csrf: unknown,
): Promise<Interaction | undefined> {
  if (typeof id !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(id) || !browserCookie) return undefined;
  const raw = await shared.get(key(id));
  if (!raw) return undefined;
  const interaction = JSON.parse(raw) as Interaction;
  if (!safeEqual(interaction.browser, sha256(browserCookie))) return undefined;
  if (csrf !== undefined && (typeof csrf !== 'string' || !safeEqual(interaction.csrf, csrf)))
    return undefined;
  return interaction;
}

export async function deleteInteraction(shared: SharedState, id: string): Promise<void> {
  await shared.delete(key(id));
}
