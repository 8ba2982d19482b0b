/**
 * The end of an authorization request once the person is identified: consent (skipped for
 * first-party clients and for scopes already granted), then the code, sent to the redirect URI.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Client } from '../../clients/client.js';
import { browserId } from '../browser/cookies.js';
import { saveInteraction } from '../browser/interaction.js';
import { grantedScopes } from '../consent/consents.js';
import { consentPage } from '../html/pages.js';
import { originOf, sendHtml } from '../html/send-html.js';
import type { People } from '../people.js';
import type { AuthorizationRequest } from './authorization-request.js';
import { redirectError, redirectTo } from './redirect.js';

export interface Identified {
  userId: string;
  username: string;
  sessionId: string;
  authTime: number;
}

export async function needsConsent(
  people: People,
  client: Client,
  request: AuthorizationRequest,
  userId: string,
): Promise<boolean> {
  if (client.firstParty) return false;
  if (request.prompt.includes('consent')) return true;
  const granted = await grantedScopes(people.context.db, userId, client.clientId);
  return request.scopes.some((s) => !granted.has(s));
}

export async function complete(
  people: People,
  httpRequest: FastifyRequest,
  reply: FastifyReply,
  client: Client,
  request: AuthorizationRequest,
  who: Identified,
): Promise<FastifyReply> {
  const issuer = people.context.config.issuer;
  if (await needsConsent(people, client, request, who.userId)) {
    // OIDC Core §3.1.2.6: prompt=none cannot show the consent page.
    if (request.prompt.includes('none')) {
      return redirectError(
        reply,
        {
          redirectUri: request.redirectUri,
          state: request.state,
          error: 'consent_required',
          description: 'consent required',
        },
        issuer,
      );
    }
    const browser = browserId(httpRequest, reply, people.cookies);
    const { id, interaction } = await saveInteraction(people.context.shared, request, browser, {
      userId: who.userId,
      sessionId: who.sessionId,
      authTime: who.authTime,
    });
    const target = originOf(request.redirectUri);
    return sendHtml(
      reply,
      consentPage({
        action: `${people.base}/consent`,
        interaction: id,
        csrf: interaction.csrf,
        clientName: client.name ?? client.clientId,
        username: who.username,
        scopes: request.scopes,
      }),
      { formTargets: target ? [target] : [] },
    );
  }
  return issueCode(people, httpRequest, reply, request, who);
}

export async function issueCode(
  people: People,
  httpRequest: FastifyRequest,
  reply: FastifyReply,
  request: AuthorizationRequest,
  who: Identified,
): Promise<FastifyReply> {
  const code = await people.context.createAuthorizationCode({
    clientId: request.clientId,
    userId: who.userId,
    redirectUri: request.redirectUri,
    codeChallenge: request.codeChallenge,
    codeChallengeMethod: 'S256',
    scope: request.scopes.join(' '),
    nonce: request.nonce ?? null,
    resource: request.resource,
    authTime: who.authTime,
    sessionId: who.sessionId,
  });
  await people.context.audit(httpRequest, 'authorization.code_issued', {
    resource: `client:${request.clientId}`,
    actor: { sub: who.userId, kind: 'user' },
    details: { scope: request.scopes.join(' ') },
  });
  return redirectTo(reply, request.redirectUri, { code, state: request.state }, people.context.config.issuer);
}
