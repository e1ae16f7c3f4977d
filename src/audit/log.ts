/**
 * The audit trail: an append-only hash chain of events in MongoDB. Each event carries its
 * sequence number (claimed by inserting it under a unique index; E11000 = another writer
 * appended first, so re-read the head and retry), the SHA-256 of its payload (change + reason),
 * the previous event's hash, and its own hash = SHA-256(prevHash + canonical JSON of the event
 * without `hash`). Nothing here updates or deletes an event; `verify()` recomputes the chain and
 * names the first broken link. Deleting the newest events cannot be seen from the chain alone:
 * compare the head that `verify()` reports with one recorded elsewhere (a dossier, a printout).
 */
import { isDuplicateKeyError } from '../store/connection';
import type { AuditEventFilter, AuditEventRecord, AuditRepository } from '../store/audit';
import type { AuditAction, AuditEntityType } from './actions';
import { canonicalJson } from './canonical';
import { sha256 } from '../hash';

export const GENESIS_HASH = '0'.repeat(64);

export interface Actor {
  /** User id, or a fixed name for system actors ("system", "cli"), or "anonymous". */
  id: string;
  /** The role the actor acted in (e.g. "reviewer"), or "system" / "anonymous". */
  role: string;
}

export const SYSTEM_ACTOR: Actor = { id: 'system', role: 'system' };

export interface AuditInput {
  actor: Actor;
  action: AuditAction;
  entity: { type: AuditEntityType; id: string };
  change?: unknown;
  reason?: string | null;
}

export interface VerifyResult {
  ok: boolean;
  events: number;
  head: { seq: number; hash: string } | null;
  broken?: { seq: number; problem: string };
}

type HashedFields = Omit<AuditEventRecord, '_id' | 'hash'>;

export function payloadHash(change: unknown, reason: string | null): string {
  return sha256(canonicalJson({ change: change ?? null, reason }));
}

export function eventHash(event: HashedFields): string {
  const body = {
    seq: event.seq,
    at: event.at,
    actor: event.actor,
    role: event.role,
    action: event.action,
    entity: { type: event.entity.type, id: event.entity.id },
    change: event.change ?? null,
    reason: event.reason ?? null,
    payloadSha256: event.payloadSha256,
    prevHash: event.prevHash,
  };
  return sha256(event.prevHash + canonicalJson(body));
}

export class AuditLog {
  /** Appends from this process run one after another; the unique index arbitrates between processes. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly events: AuditRepository) {}

  append(input: AuditInput): Promise<AuditEventRecord> {
    const result = this.queue.then(() => this.appendNow(input));
    this.queue = result.catch(() => {});
    return result;
  }

  private async appendNow(input: AuditInput): Promise<AuditEventRecord> {
    const reason = input.reason ?? null;
    // Round-trip through JSON so the stored change hashes exactly as it will be read back.
    const change = input.change === undefined ? null : JSON.parse(canonicalJson(input.change));
    for (let attempt = 0; ; attempt += 1) {
      const last = await this.events.headOfChain();
      const fields: HashedFields = {
        seq: (last?.seq ?? 0) + 1,
        // Millisecond precision, as BSON dates store it, so the hash survives the round trip.
        at: new Date(Date.now()),
        actor: input.actor.id,
        role: input.actor.role,
        action: input.action,
        entity: { type: input.entity.type, id: input.entity.id },
        change,
        reason,
        payloadSha256: payloadHash(change, reason),
        prevHash: last?.hash ?? GENESIS_HASH,
      };
      try {
        return await this.events.insertEvent({ ...fields, hash: eventHash(fields) });
      } catch (error) {
        if (!isDuplicateKeyError(error) || attempt >= 50) throw error;
        await new Promise((r) => setTimeout(r, Math.random() * 10 * Math.min(attempt + 1, 5)));
      }
    }
  }

  /** Recomputes the whole chain in sequence order, streamed; stops at the first broken link. */
  async verify(): Promise<VerifyResult> {
    let expectedSeq = 1;
    let prevHash = GENESIS_HASH;
    let events = 0;
    const cursor = this.events.eventsInOrder();
    for await (const event of cursor) {
      const broken = (problem: string): VerifyResult => ({ ok: false, events, head: events ? { seq: expectedSeq - 1, hash: prevHash } : null, broken: { seq: event.seq, problem } });
      if (event.seq !== expectedSeq) {
        await cursor.close();
        return broken(event.seq > expectedSeq ? `event ${expectedSeq} is missing (found ${event.seq} next)` : `unexpected sequence number ${event.seq}`);
      }
      if (event.prevHash !== prevHash) {
        await cursor.close();
        return broken(`prevHash does not match the hash of event ${expectedSeq - 1}`);
      }
      if (payloadHash(event.change, event.reason ?? null) !== event.payloadSha256) {
        await cursor.close();
        return broken('payload (change or reason) does not match its payloadSha256');
      }
      if (eventHash(event) !== event.hash) {
        await cursor.close();
        return broken('the event was altered: its recomputed hash differs from the stored one');
      }
      prevHash = event.hash;
      expectedSeq += 1;
      events += 1;
    }
    return { ok: true, events, head: events ? { seq: expectedSeq - 1, hash: prevHash } : null };
  }

  list(filter: AuditEventFilter, limit: number): Promise<AuditEventRecord[]> {
    return this.events.listEvents(filter, limit);
  }
}
