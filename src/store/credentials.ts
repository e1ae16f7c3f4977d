/**
 * The credentials repositories: browser sessions, API keys, the one-time first-admin setup link
 * and the login throttle's counts. src/auth keeps their rules (expiry, revocation, delays);
 * these only read and write, with the FerretDB v1 subset (no TTL indexes: expired sessions are
 * deleted in code; exclusivity through unique _ids and conditional single-record updates).
 */
import type { Types } from 'mongoose';
import { isDuplicateKeyError } from './duplicates';
import type { ApiKeyRecord, LoginThrottleRecord, PeopleModels, SessionRecord } from './people-models';

export type { ApiKeyRecord, LoginThrottleRecord, SessionRecord, SetupTokenRecord } from './people-models';

export class SessionRepository {
  constructor(private readonly models: Pick<PeopleModels, 'Session'>) {}

  async insertSession(session: SessionRecord): Promise<void> {
    await this.models.Session.create(session);
  }

  findSession(id: string): Promise<SessionRecord | null> {
    return this.models.Session.findById(id).lean<SessionRecord>();
  }

  async deleteSession(id: string): Promise<void> {
    await this.models.Session.deleteOne({ _id: id });
  }

  /** Ends every session of a user. */
  async deleteSessionsOf(user: Types.ObjectId): Promise<void> {
    await this.models.Session.deleteMany({ user });
  }

  async deleteExpired(now: Date): Promise<void> {
    await this.models.Session.deleteMany({ expiresAt: { $lt: now } });
  }
}

export class ApiKeyRepository {
  constructor(private readonly models: Pick<PeopleModels, 'ApiKey'>) {}

  async insertApiKey(key: ApiKeyRecord): Promise<ApiKeyRecord> {
    return (await this.models.ApiKey.create(key)).toObject() as ApiKeyRecord;
  }

  findApiKey(id: string): Promise<ApiKeyRecord | null> {
    return this.models.ApiKey.findById(id).lean<ApiKeyRecord>();
  }

  /** Newest first, revoked ones too. */
  listApiKeysOf(user: Types.ObjectId): Promise<ApiKeyRecord[]> {
    return this.models.ApiKey.find({ user }).sort({ createdAt: -1 }).lean<ApiKeyRecord[]>();
  }

  /** Every key of every user, newest first, revoked ones too. */
  listAllApiKeys(): Promise<ApiKeyRecord[]> {
    return this.models.ApiKey.find({}).sort({ createdAt: -1, _id: 1 }).lean<ApiKeyRecord[]>();
  }

  /** The ids of a user's keys not revoked (expired ones included). */
  async liveKeyIdsOf(user: Types.ObjectId): Promise<string[]> {
    return (await this.models.ApiKey.find({ user, revokedAt: null }, { _id: 1 }).lean<Array<Pick<ApiKeyRecord, '_id'>>>()).map((k) => k._id);
  }

  /** Revokes the key unless it is revoked already; true when this call revoked it. */
  async revokeIfLive(id: string, at: Date): Promise<boolean> {
    return (await this.models.ApiKey.updateOne({ _id: id, revokedAt: null }, { $set: { revokedAt: at } })).modifiedCount === 1;
  }

  async setLastUsed(id: string, at: Date): Promise<void> {
    await this.models.ApiKey.updateOne({ _id: id }, { $set: { lastUsedAt: at } });
  }
}

/** There is at most one live setup link; its record's _id is always this. */
const SETUP_ID = 'first-admin';

export class SetupTokenRepository {
  constructor(private readonly models: Pick<PeopleModels, 'SetupToken'>) {}

  /** Makes `tokenHash` the live link, replacing any earlier one. */
  async replaceLive(tokenHash: string): Promise<void> {
    await this.models.SetupToken.replaceOne({ _id: SETUP_ID }, { _id: SETUP_ID, tokenHash, createdAt: new Date(), usedAt: null }, { upsert: true });
  }

  async isLive(tokenHash: string): Promise<boolean> {
    return !!(await this.models.SetupToken.exists({ _id: SETUP_ID, tokenHash, usedAt: null }));
  }

  /** Marks the live link used, atomically: true for exactly one caller with the right hash. */
  async take(tokenHash: string): Promise<boolean> {
    return !!(await this.models.SetupToken.findOneAndUpdate({ _id: SETUP_ID, tokenHash, usedAt: null }, { $set: { usedAt: new Date() } }));
  }

  /** Makes a taken link usable again (what it was taken for did not happen). */
  async giveBack(tokenHash: string): Promise<void> {
    await this.models.SetupToken.updateOne({ _id: SETUP_ID, tokenHash }, { $set: { usedAt: null } });
  }
}

/**
 * The login throttle's counts (src/auth/rate-limit.ts has the rules): one record per key, each
 * change an atomic update of that one record (the embedded FerretDB is patched to make
 * single-document updates atomic, as MongoDB's are: test/store/atomic-writes.test.ts).
 */
export class LoginThrottleRepository {
  constructor(private readonly models: Pick<PeopleModels, 'LoginThrottle'>) {}

  /** Forgets every key without attempts since `before` (or only key `id`). */
  async forgetIdleSince(before: Date, id?: string): Promise<void> {
    await this.models.LoginThrottle.deleteMany({ ...(id === undefined ? {} : { _id: id }), lastAt: { $lt: before } });
  }

  /** Creates the key with no attempts if it is missing, and records an attempt's time on it. */
  async touch(id: string, username: string | null, client: string, at: Date): Promise<void> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        await this.models.LoginThrottle.updateOne({ _id: id }, { $setOnInsert: { username, client, attempts: 0, gateAt: null }, $set: { lastAt: at } }, { upsert: true });
        return;
      } catch (error) {
        // Two first attempts at once: the other inserted it; now it exists.
        if (!isDuplicateKeyError(error) || attempt >= 2) throw error;
      }
    }
  }

  findKey(id: string): Promise<LoginThrottleRecord | null> {
    return this.models.LoginThrottle.findById(id).lean<LoginThrottleRecord>();
  }

  /** Counts an attempt if fewer than `free` are counted; the key as it is then, or null when none was free. */
  countIfUnder(id: string, free: number): Promise<LoginThrottleRecord | null> {
    return this.models.LoginThrottle.findOneAndUpdate({ _id: id, attempts: { $lt: free } }, { $inc: { attempts: 1 } }, { new: true }).lean<LoginThrottleRecord>();
  }

  async setGate(id: string, gateAt: Date): Promise<void> {
    await this.models.LoginThrottle.updateOne({ _id: id }, { $set: { gateAt } });
  }

  /** Counts an attempt and moves the gate on, if the key is still as `seen`; true for exactly one caller. */
  async passGate(seen: Pick<LoginThrottleRecord, '_id' | 'attempts' | 'gateAt'>, nextGateAt: Date): Promise<boolean> {
    const result = await this.models.LoginThrottle.updateOne({ _id: seen._id, attempts: seen.attempts, gateAt: seen.gateAt }, { $inc: { attempts: 1 }, $set: { gateAt: nextGateAt } });
    return result.modifiedCount === 1;
  }

  /** Takes one counted attempt back (never below zero). */
  async uncount(id: string): Promise<void> {
    await this.models.LoginThrottle.updateOne({ _id: id, attempts: { $gt: 0 } }, { $inc: { attempts: -1 } });
  }

  async forgetKey(id: string): Promise<void> {
    await this.models.LoginThrottle.deleteOne({ _id: id });
  }

  /** Forgets every key of this username; how many there were. */
  async forgetUsername(username: string): Promise<number> {
    return (await this.models.LoginThrottle.deleteMany({ username })).deletedCount ?? 0;
  }
}
