/**
 * The demo seed (`rampart up --demo` only; DESIGN.md "Demo seed"): users alice and bob (customer)
 * and admin (admin) with `RAMPART_DEMO_PASSWORD`, the confidential client demo-cli and the public
 * client demo-spa. Idempotent: what exists is left alone, so restarts never duplicate.
 */
import type { AuthContext } from '../../context.js';
import { createClient, type CreateClientInput } from '../../clients/create-client.js';
import { addUser, findUserByUsername, UserError } from '../../users/index.js';

export const DEMO_REDIRECT_URI = 'http://127.0.0.1:8787/callback';
const DEMO_SCOPES = ['openid', 'profile', 'email', 'offline_access'];
/**
 * The demo tokens' audiences: the platform edge (the gateway checks the server's default
 * audience) and both demo services, so orders can call accounts on the caller's behalf.
 */
function demoAudiences(context: AuthContext): string[] {
  return [context.config.defaultAudience, 'orders', 'accounts'];
}

export interface SeedResult {
  users: string[];
  clients: string[];
}

export async function seedDemo(
  context: AuthContext,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<SeedResult> {
  const password = env.RAMPART_DEMO_PASSWORD || 'rampart-demo';
  const created: SeedResult = { users: [], clients: [] };
  const people = [
    { username: 'alice', roles: ['customer'], name: 'Alice Example', email: 'alice@example.com' },
    { username: 'bob', roles: ['customer'], name: 'Bob Example', email: 'bob@example.com' },
    { username: 'admin', roles: ['admin'], name: 'Administrator' },
  ];
  for (const person of people) {
    if (await findUserByUsername(context.db, person.username)) continue;
    try {
      await addUser(context.db, { ...person, password });
      created.users.push(person.username);
    } catch (error) {
      // Another instance seeded it at the same moment.
      if (!(error instanceof UserError && error.code === 'username_taken')) throw error;
    }
  }

  const clients: CreateClientInput[] = [
    {
      clientId: 'demo-cli',
      name: 'Rampart demo CLI',
      type: 'confidential',
      grantTypes: ['client_credentials', 'authorization_code', 'refresh_token'],
      secret: env.RAMPART_DEMO_CLIENT_SECRET || 'rampart-demo-secret',
      redirectUris: [DEMO_REDIRECT_URI],
      // orders:stats: the demo CLI calls GET /orders/stats as a service account.
      scopes: [...DEMO_SCOPES, 'orders:stats'],
      audiences: demoAudiences(context),
      firstParty: true,
    },
    {
      clientId: 'demo-spa',
      name: 'Rampart demo app',
      type: 'public',
      grantTypes: ['authorization_code', 'refresh_token'],
      redirectUris: [DEMO_REDIRECT_URI],
      scopes: DEMO_SCOPES,
      audiences: demoAudiences(context),
      firstParty: true,
    },
  ];
  for (const client of clients) {
    if (await context.findClient(client.clientId ?? '')) continue;
    try {
      await createClient(context.db, client);
      created.clients.push(client.clientId ?? '');
    } catch (error) {
      if (!(await context.findClient(client.clientId ?? ''))) throw error;
    }
  }
  return created;
}
