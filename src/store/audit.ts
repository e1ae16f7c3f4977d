/**
 * The audit repository: storage of the hash-chained audit log (src/audit/log.ts keeps the chain's
 * rules). Events are only inserted, never updated or deleted.
 */
import { forLaggingRead, type ListReads } from './pagination';
import type { AuditEventRecord, PeopleModels } from './people-models';

export type { AuditEventRecord } from './people-models';

export interface AuditEventFilter {
  entityType?: string;
  entityId?: string;
  afterSeq?: number;
}

export class AuditRepository {
  constructor(
    private readonly models: Pick<PeopleModels, 'AuditEvent'>,
    private readonly reads: ListReads = {},
  ) {}

  /** The newest event's sequence number and hash (null on an empty log). */
  headOfChain(): Promise<Pick<AuditEventRecord, 'seq' | 'hash'> | null> {
    return this.models.AuditEvent.findOne({}, { seq: 1, hash: 1 }).sort({ seq: -1 }).lean<Pick<AuditEventRecord, 'seq' | 'hash'>>();
  }

  /** Inserts an event; E11000 means another writer took its sequence number first. */
  async insertEvent(event: Omit<AuditEventRecord, '_id'>): Promise<AuditEventRecord> {
    return (await this.models.AuditEvent.create(event)).toObject() as AuditEventRecord;
  }

  /** Every event in sequence order, streamed; `close()` stops reading early. */
  eventsInOrder(): AsyncIterable<AuditEventRecord> & { close(): Promise<unknown> } {
    return this.models.AuditEvent.find({}).sort({ seq: 1 }).lean<AuditEventRecord[]>().cursor() as unknown as AsyncIterable<AuditEventRecord> & { close(): Promise<unknown> };
  }

  listEvents(filter: AuditEventFilter, limit: number): Promise<AuditEventRecord[]> {
    const query: Record<string, unknown> = {};
    if (filter.entityType) query['entity.type'] = filter.entityType;
    if (filter.entityId) query['entity.id'] = filter.entityId;
    if (filter.afterSeq !== undefined) query.seq = { $gt: filter.afterSeq };
    return forLaggingRead(this.models.AuditEvent.find(query).sort({ seq: 1 }).limit(limit).lean<AuditEventRecord[]>(), this.reads);
  }
}
