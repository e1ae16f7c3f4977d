/**
 * The people repository: speakers of statements (the registry per-speaker dossiers use). Users,
 * sessions and API keys are still read by src/auth directly (see docs/architecture.md).
 */
import { Types } from 'mongoose';
import type { Models, SpeakerRecord } from './models';
import type { PageOf, Pagination } from './pagination';

export type { SpeakerRecord } from './models';
export { ROLES } from './people-models';
export type { Role } from './people-models';

export class SpeakerRepository {
  constructor(private readonly models: Pick<Models, 'Speaker'>) {}

  /** Inserts a speaker; a name already registered fails with E11000 (unique index on name). */
  async insertSpeaker(speaker: Omit<SpeakerRecord, '_id' | 'createdAt' | 'updatedAt'>): Promise<SpeakerRecord> {
    return (await this.models.Speaker.create(speaker)).toObject() as SpeakerRecord;
  }

  findSpeaker(id: string): Promise<SpeakerRecord | null> {
    return this.models.Speaker.findById(new Types.ObjectId(id)).lean<SpeakerRecord>();
  }

  /** In name order. */
  async listSpeakers(page: Pagination): Promise<PageOf<SpeakerRecord>> {
    const [items, total] = await Promise.all([
      this.models.Speaker.find({}).sort({ name: 1, _id: 1 }).skip(page.offset).limit(page.limit).lean<SpeakerRecord[]>(),
      this.models.Speaker.countDocuments({}),
    ]);
    return { items, total, ...page };
  }
}
