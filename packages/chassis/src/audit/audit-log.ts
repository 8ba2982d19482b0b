/**
 * Audit events: who (sub, client), did what (action), to what (resource), when (UTC), from
 * where (IP, request id, trace id), with what outcome. `record()` resolves only once the event is
 * committed to the service's database, so an acknowledged request never loses its audit trail.
 * Details pass through the same redaction as logs: secrets are never recorded.
 */
import { randomFillSync } from 'node:crypto';
import type { Kysely } from 'kysely';
import { createGroupCommit } from '@rampart/store';
import type { FastifyBaseLogger } from 'fastify';
import { redactDeep } from '../logging/redact.js';

export type AuditOutcome = 'success' | 'failure' | 'denied';

export interface AuditActor {
  sub?: string | undefined;
  clientId?: string | undefined;
  kind?: 'user' | 'service' | 'anonymous' | undefined;
}

export interface AuditEvent {
  action: string;
  outcome: AuditOutcome;
  actor?: AuditActor | undefined;
  resource?: string | undefined;
  details?: Record<string, unknown> | undefined;
  ip?: string | undefined;
  requestId?: string | undefined;
  traceId?: string | undefined;
  /** Defaults to now. */
  time?: Date | undefined;
}

export interface StoredAuditEvent extends Required<Pick<AuditEvent, 'action' | 'outcome'>> {
  seq: number;
  eventId: string;
  time: string;
  service: string;
  actor: AuditActor;
  resource: string | null;
  ip: string | null;
  requestId: string | null;
  traceId: string | null;
  details: Record<string, unknown> | null;
}

export interface AuditLog {
  /** Writes the event durably; resolves once committed. */
  record(event: AuditEvent): Promise<void>;
  /** Events not yet shipped, oldest first (the ops shipper reads these). */
  pending(limit?: number): Promise<StoredAuditEvent[]>;
}

interface OutboxRow {
  seq: number;
  event_id: string;
  time: string;
  service: string;
  action: string;
  outcome: string;
  actor_sub: string | null;
  actor_client_id: string | null;
  actor_kind: string | null;
  resource: string | null;
  ip: string | null;
  request_id: string | null;
  trace_id: string | null;
  details: string | null;
  shipped_at: string | null;
}

interface OutboxTables {
  rampart_audit_outbox: OutboxRow;
}

const MAX_DETAILS_BYTES = 8192;
const ACTION = /^[a-z][a-z0-9_.:-]{0,99}$/;

/** Bounds one multi-row INSERT; the rest waits for the next. */
const MAX_BATCH = 500;

const pool = Buffer.alloc(10 * 256);
let poolOffset = pool.length;

/**
 * A UUIDv7 (RFC 9562 §5.7): 48 bits of Unix milliseconds, then 74 random bits. Time-ordered ids
 * keep the outbox's unique index appending at its right edge instead of touching a random page
 * per event (about a third of the insert's cost on SQLite).
 */
export function eventId(now = Date.now()): string {
  if (poolOffset === pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const hex = pool.toString('hex', poolOffset, (poolOffset += 10));
  const time = now.toString(16).padStart(12, '0');
  const variant = ((parseInt(hex[3] as string, 16) & 0x3) | 0x8).toString(16);
  return `${time.slice(0, 8)}-${time.slice(8)}-7${hex.slice(0, 3)}-${variant}${hex.slice(4, 7)}-${hex.slice(7, 19)}`;
}

/**
 * The outbox writer. Group commit: events that arrive while a write is in flight are written
 * together by the next multi-row INSERT, so a burst of requests costs one commit (one fsync on
 * SQLite), not one each. Every `record()` still resolves only once its own event is committed,
 * and rejects when that commit fails — an acknowledged request is never missing its audit event.
 */
export function createAuditLog(db: Kysely<unknown>, service: string): AuditLog {
  const outbox = db as unknown as Kysely<OutboxTables>;
  const writer = createGroupCommit(async (rows: readonly Omit<OutboxRow, 'seq'>[]) => {
    await outbox
      .insertInto('rampart_audit_outbox')
      .values(rows as OutboxRow[])
      .execute();
    return rows.map(() => undefined);
  }, MAX_BATCH);

  return {
    record(event) {
      if (!ACTION.test(event.action)) {
        return Promise.reject(
          new TypeError(`invalid audit action ${JSON.stringify(event.action)}: expected e.g. "order.cancel"`),
        );
      }
      const time = event.time ?? new Date();
      const row = {
        event_id: eventId(time.getTime()),
        time: time.toISOString(),
        service,
        action: event.action,
        outcome: event.outcome,
        actor_sub: event.actor?.sub ?? null,
        actor_client_id: event.actor?.clientId ?? null,
        actor_kind: event.actor?.kind ?? null,
        resource: event.resource ?? null,
        ip: event.ip ?? null,
        request_id: event.requestId ?? null,
        trace_id: event.traceId ?? null,
        details: serializeDetails(event.details),
        shipped_at: null,
      };
      return writer.submit(row);
    },
    async pending(limit = 500) {
      const rows = await outbox
        .selectFrom('rampart_audit_outbox')
        .selectAll()
        .where('shipped_at', 'is', null)
        .orderBy('seq')
        .limit(limit)
        .execute();
      return rows.map((row) => ({
        seq: Number(row.seq),
        eventId: row.event_id,
        time: row.time,
        service: row.service,
        action: row.action,
        outcome: row.outcome as AuditOutcome,
        actor: {
          ...(row.actor_sub ? { sub: row.actor_sub } : {}),
          ...(row.actor_client_id ? { clientId: row.actor_client_id } : {}),
          ...(row.actor_kind ? { kind: row.actor_kind as AuditActor['kind'] } : {}),
        },
        resource: row.resource,
        ip: row.ip,
        requestId: row.request_id,
        traceId: row.trace_id,
        details: row.details ? (JSON.parse(row.details) as Record<string, unknown>) : null,
      }));
    },
  };
}

function serializeDetails(details: Record<string, unknown> | undefined): string | null {
  if (details === undefined) return null;
  const text = JSON.stringify(redactDeep(details));
  if (Buffer.byteLength(text) <= MAX_DETAILS_BYTES) return text;
  return JSON.stringify({ truncated: true, size: Buffer.byteLength(text) });
}

/** Where a service without a database records audit events: its log (documented fallback). */
export function createLogAuditLog(log: FastifyBaseLogger, service: string): AuditLog {
  return {
    async record(event) {
      log.info(
        {
          audit: {
            ...event,
            details: event.details ? redactDeep(event.details) : undefined,
            service,
            time: (event.time ?? new Date()).toISOString(),
          },
        },
        'audit',
      );
    },
    async pending() {
      return [];
    },
  };
}
