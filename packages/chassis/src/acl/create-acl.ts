/**
 * Per-resource access control lists in the service's own database.
 *
 * `owner` implies every permission on its resource. Nothing else is implicit — an admin role does
 * not bypass the ACL here; the handler decides (`app.security.can(p, 'orders:read:any') ||
 * await acl.check(p, 'read', res)`). Checks take the verified principal, never a subject from the
 * request, so a caller can only ever ask about themselves (BOLA-safe); answer 404 instead of 403
 * where the resource's existence must not leak.
 */
import type { Kysely } from 'kysely';
import type { Principal } from '../security/principal.js';

export const OWNER = 'owner';

interface AclRow {
  resource: string;
  subject: string;
  permission: string;
  resource_type: string;
  resource_id: string;
  granted_at: string;
  granted_by: string | null;
}

interface AclTables {
  rampart_acl: AclRow;
}

export interface Grant {
  resource: string;
  subject: string;
  permission: string;
  grantedAt: string;
  grantedBy: string | null;
}

export interface Acl {
  /** Grants `permission` on `resource` (`type:id`) to `subject` (a principal's `sub`); idempotent. */
  grant(
    resource: string,
    subject: string,
    permission: string,
    options?: { grantedBy?: string },
  ): Promise<void>;
  /** Removes one grant; resolves whether it existed. */
  revoke(resource: string, subject: string, permission: string): Promise<boolean>;
  /** Removes every grant on a resource (when it is deleted). */
  revokeAll(resource: string): Promise<void>;
  /** Whether the principal holds `permission` (or `owner`) on the resource. */
  check(
    principal: Pick<Principal, 'sub'> | undefined,
    permission: string,
    resource: string,
  ): Promise<boolean>;
  /** Ids (the part after `type:`) of the resources of this type the subject holds `permission` (or `owner`) on. */
  listResources(
    subject: Pick<Principal, 'sub'> | string,
    permission: string,
    resourceType: string,
  ): Promise<string[]>;
  /** Every grant on a resource, for "shared with" views. */
  listGrants(resource: string): Promise<Grant[]>;
}

const RESOURCE = /^([a-z][a-z0-9_-]{0,99}):(.{1,255})$/;

function parseResource(resource: string): { type: string; id: string } {
  const match = RESOURCE.exec(resource);
  if (!match) throw new TypeError(`invalid resource ${JSON.stringify(resource)}: expected "<type>:<id>"`);
  return { type: match[1]!, id: match[2]! };
}

function checkName(what: string, value: string): void {
  if (typeof value !== 'string' || value.length === 0 || value.length > 255)
    throw new TypeError(`invalid ${what}: expected a non-empty string of at most 255 characters`);
}

/**
 * @example
 * const acl = createAcl(app.db);
 * await acl.grant(`order:${id}`, request.principal.sub, 'owner');
 * if (!(await acl.check(request.principal, 'read', `order:${id}`))) throw rampartError('RAMPART_ERR_NOT_FOUND');
 */
export function createAcl(db: Kysely<unknown>): Acl {
  const acl = db as unknown as Kysely<AclTables>;
  return {
    async grant(resource, subject, permission, options = {}) {
      const { type, id } = parseResource(resource);
      checkName('subject', subject);
      checkName('permission', permission);
      await acl
        .insertInto('rampart_acl')
        .values({
          resource,
          subject,
          permission,
          resource_type: type,
          resource_id: id,
          granted_at: new Date().toISOString(),
          granted_by: options.grantedBy ?? null,
        })
        .onConflict((oc) => oc.columns(['resource', 'subject', 'permission']).doNothing())
        .execute();
    },
    async revoke(resource, subject, permission) {
      const result = await acl
        .deleteFrom('rampart_acl')
        .where('resource', '=', resource)
        .where('subject', '=', subject)
        .where('permission', '=', permission)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    async revokeAll(resource) {
      await acl.deleteFrom('rampart_acl').where('resource', '=', resource).execute();
    },
    async check(principal, permission, resource) {
      if (!principal?.sub) return false;
      const row = await acl
        .selectFrom('rampart_acl')
        .select('permission')
        .where('resource', '=', resource)
        .where('subject', '=', principal.sub)
        .where('permission', 'in', [permission, OWNER])
        .executeTakeFirst();
      return row !== undefined;
    },
    async listResources(subject, permission, resourceType) {
      const sub = typeof subject === 'string' ? subject : subject.sub;
      const rows = await acl
        .selectFrom('rampart_acl')
        .select('resource_id')
        .distinct()
        .where('subject', '=', sub)
        .where('resource_type', '=', resourceType)
        .where('permission', 'in', [permission, OWNER])
        .orderBy('resource_id')
        .execute();
      return rows.map((r) => r.resource_id);
    },
    async listGrants(resource) {
      const rows = await acl
        .selectFrom('rampart_acl')
        .selectAll()
        .where('resource', '=', resource)
        .orderBy('granted_at')
        .orderBy('subject')
        .execute();
      return rows.map((r) => ({
        resource: r.resource,
        subject: r.subject,
        permission: r.permission,
        grantedAt: r.granted_at,
        grantedBy: r.granted_by,
      }));
    },
  };
}
