/**
 * The people repositories: speakers of statements (the registry per-speaker dossiers use), and
 * user accounts (src/auth keeps their rules; names for others to see). Sessions, API keys, the
 * setup link and login counts are in credentials.ts.
 */
import { Types } from 'mongoose';
import type { Models, SpeakerRecord } from './models';
import type { UserRecord } from './people-models';
import type { PageOf, Pagination } from './pagination';

export type { SpeakerRecord } from './models';
export { ROLES } from './people-models';
export type { Role, UserRecord } from './people-models';

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

type NewUser = Pick<UserRecord, 'username' | 'displayName' | 'roles' | 'passwordHash' | 'disabled'>;

export class UserRepository {
  constructor(private readonly models: Pick<Models, 'User'>) {}

  /** Inserts a user; a name already taken fails with E11000 (unique index on username). */
  async insertUser(user: NewUser): Promise<UserRecord> {
    return (await this.models.User.create(user)).toObject() as UserRecord;
  }

  findUser(id: string | Types.ObjectId): Promise<UserRecord | null> {
    return this.models.User.findById(id).lean<UserRecord>();
  }

  /** `username` as stored: lower case. */
  findByUsername(username: string): Promise<UserRecord | null> {
    return this.models.User.findOne({ username }).lean<UserRecord>();
  }

  /** In username order. */
  listUsers(): Promise<UserRecord[]> {
    return this.models.User.find({}).sort({ username: 1 }).lean<UserRecord[]>();
  }

  /** Whether an enabled admin exists (other than `except`, when given). */
  async activeAdminExists(except?: Types.ObjectId): Promise<boolean> {
    return !!(await this.models.User.exists({ roles: 'admin', disabled: false, ...(except ? { _id: { $ne: except } } : {}) }));
  }

  async setUserFields(id: Types.ObjectId, set: Partial<NewUser>): Promise<void> {
    await this.models.User.updateOne({ _id: id }, { $set: set });
  }

  /** User names by user id (ids of no user are left out). */
  async usernamesOf(ids: string[]): Promise<Map<string, string>> {
    const users = await this.models.User.find({ _id: { $in: ids } }, { username: 1 }).lean<Array<Pick<UserRecord, '_id' | 'username'>>>();
    return new Map(users.map((u) => [String(u._id), u.username]));
  }
}
