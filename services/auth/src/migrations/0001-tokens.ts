/** Clients, signing keys, authorization codes, refresh-token families, revocations (owner: tokens). */
import type { Kysely } from 'kysely';

export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(_db: Kysely<unknown>): Promise<void> {}
