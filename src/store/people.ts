/**
 * The people repositories: speakers of statements (the registry per-speaker dossiers use), and
 * users as others see them (names). Accounts, sessions and API keys are still read by src/auth
 * through the models (see docs/architecture.md).
 */
import { Types } from 'mongoose';
import type { Models, SpeakerRecord } from './models';
import type { UserRecord } from './people-models';
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

export class UserRepository {
  constructor(private readonly models: Pick<Models, 'User'>) {}

  /** User names by user id (ids of no user are left out). */
  async usernamesOf(ids: string[]): Promise<Map<string, string>> {
    const users = await this.models.User.find({ _id: { $in: ids } }, { username: 1 }).lean<Array<Pick<UserRecord, '_id' | 'username'>>>();
    return new Map(users.map((u) => [String(u._id), u.username]));
  }
}
