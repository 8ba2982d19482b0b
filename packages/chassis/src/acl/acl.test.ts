/** ACLs on SQLite and PostgreSQL (a random schema per run, dropped afterwards). */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '@rampart/store';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { aclMigrations } from './acl-migrations.js';
import { createAcl, type Acl } from './create-acl.js';

const postgresUrl = inject('postgresUrl');
const schema = `t_acl_${randomBytes(4).toString('hex')}`;

const backends = [
  {
    name: 'SQLite',
    url: () => `sqlite:${path.join(mkdtempSync(path.join(tmpdir(), 'rampart-acl-')), 'acl.db')}`,
    skip: false,
  },
  { name: 'PostgreSQL', url: () => `${postgresUrl}?schema=${schema}`, skip: !postgresUrl },
];

afterAll(async () => {
  if (!postgresUrl) return;
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  await client.query(`drop schema if exists ${schema} cascade`);
  await client.end();
});

const alice = { sub: 'alice' };
const bob = { sub: 'bob' };
const carol = { sub: 'carol' };

describe.each(backends)('ACL on $name', ({ url, skip }) => {
  let database: Database<unknown>;
  let acl: Acl;

  beforeAll(async () => {
    if (skip) return;
    database = await openDatabase({ url: url(), service: 'orders', migrations: aclMigrations });
    acl = createAcl(database.db);
    await acl.grant('order:1', 'alice', 'owner');
    await acl.grant('order:2', 'bob', 'owner');
    await acl.grant('order:3', 'alice', 'owner');
    return () => database.close();
  });

  it.skipIf(skip)('owner implies every permission; others get nothing (BOLA)', async () => {
    expect(await acl.check(alice, 'read', 'order:1')).toBe(true);
    expect(await acl.check(alice, 'cancel', 'order:1')).toBe(true);
    expect(await acl.check(bob, 'read', 'order:1')).toBe(false);
    expect(await acl.check(alice, 'read', 'order:2')).toBe(false);
    expect(await acl.check(undefined, 'read', 'order:1')).toBe(false);
    expect(await acl.check({ sub: '' }, 'read', 'order:1')).toBe(false);
  });

  it.skipIf(skip)('shares a single permission and revokes it', async () => {
    await acl.grant('order:1', 'carol', 'read', { grantedBy: 'alice' });
    await acl.grant('order:1', 'carol', 'read', { grantedBy: 'alice' }); // idempotent
    expect(await acl.check(carol, 'read', 'order:1')).toBe(true);
    expect(await acl.check(carol, 'cancel', 'order:1')).toBe(false);
    expect(await acl.listGrants('order:1')).toEqual([
      expect.objectContaining({ subject: 'alice', permission: 'owner', grantedBy: null }),
      expect.objectContaining({ subject: 'carol', permission: 'read', grantedBy: 'alice' }),
    ]);
    expect(await acl.revoke('order:1', 'carol', 'read')).toBe(true);
    expect(await acl.revoke('order:1', 'carol', 'read')).toBe(false);
    expect(await acl.check(carol, 'read', 'order:1')).toBe(false);
  });

  it.skipIf(skip)('lists only the subject’s resources of one type, for list filters', async () => {
    await acl.grant('order:2', 'alice', 'read');
    await acl.grant('invoice:9', 'alice', 'owner');
    expect(await acl.listResources(alice, 'read', 'order')).toEqual(['1', '2', '3']);
    expect(await acl.listResources('alice', 'cancel', 'order')).toEqual(['1', '3']);
    expect(await acl.listResources(bob, 'read', 'order')).toEqual(['2']);
    expect(await acl.listResources(carol, 'read', 'order')).toEqual([]);
    expect(await acl.listResources(alice, 'read', 'invoice')).toEqual(['9']);
  });

  it.skipIf(skip)('treats subject and resource strings as data, never as patterns', async () => {
    await acl.grant("order:x' or '1'='1", "mallory' --", 'read');
    expect(await acl.check(alice, 'read', "order:x' or '1'='1")).toBe(false);
    expect(await acl.check({ sub: "mallory' --" }, 'read', "order:x' or '1'='1")).toBe(true);
    expect(await acl.check({ sub: '%' }, 'read', 'order:1')).toBe(false);
    expect(await acl.listResources('%', 'read', 'order')).toEqual([]);
  });

  it.skipIf(skip)('removes every grant of a deleted resource', async () => {
    await acl.grant('order:7', 'alice', 'owner');
    await acl.grant('order:7', 'bob', 'read');
    await acl.revokeAll('order:7');
    expect(await acl.listGrants('order:7')).toEqual([]);
  });

  it.skipIf(skip)('validates its arguments', async () => {
    await expect(acl.grant('order', 'alice', 'read')).rejects.toThrow(/invalid resource/);
    await expect(acl.grant('order:1', '', 'read')).rejects.toThrow(/invalid subject/);
    await expect(acl.grant('order:1', 'alice', '')).rejects.toThrow(/invalid permission/);
  });
});
