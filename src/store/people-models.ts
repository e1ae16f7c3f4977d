/**
 * Persistence for people, review and audit: users, sessions, API keys, reviews, review leases,
 * translations, the append-only audit log, and the speakers of statements. Same FerretDB v1 subset as models.ts: no TTL
 * indexes (expiry is checked in code), exclusivity only through unique indexes.
 */
import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { CATEGORY_CODES } from '../analyze/types';

export const ROLES = ['admin', 'analyst', 'reviewer', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export interface UserRecord {
  _id: Types.ObjectId;
  /** Lower-case login name; unique. */
  username: string;
  displayName: string;
  roles: Role[];
  /** `scrypt$N$r$p$salt$hash` (base64); never leaves the server. */
  passwordHash: string;
  disabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** A browser session; `_id` is the SHA-256 of the cookie token, so a database leak yields no live cookie. */
export interface SessionRecord {
  _id: string;
  user: Types.ObjectId;
  csrfToken: string;
  expiresAt: Date;
  createdAt: Date;
}

/** An API key; `_id` is the public key id, `secretSha256` the hash of the secret part (shown once). */
export interface ApiKeyRecord {
  _id: string;
  user: Types.ObjectId;
  name: string;
  secretSha256: string;
  expiresAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  createdAt: Date;
}

/**
 * A login throttle counter (src/auth/rate-limit.ts): one per (username, client address) and one
 * per client address. `attempts` counts attempts that failed or are still being checked; it is
 * taken with an atomic update before the password check, so parallel attempts cannot all pass.
 */
export interface LoginThrottleRecord {
  /** `user:<username>|<client>` or `client:<client>`. */
  _id: string;
  username: string | null;
  client: string;
  attempts: number;
  /** Once the free attempts are used: the next attempt waits until then (delays double). */
  gateAt: Date | null;
  lastAt: Date;
}

/** The one-time first-admin setup link: only its SHA-256 is kept; used once, then dead. */
export interface SetupTokenRecord {
  /** Always "first-admin": there is at most one live link. */
  _id: string;
  tokenHash: string;
  createdAt: Date;
  usedAt: Date | null;
}

export const DECISIONS = ['confirm', 'reject', 'modify', 'escalate'] as const;
export type Decision = (typeof DECISIONS)[number];

/**
 * What the passage does with the words it contains, as a reviewer reads it: says them as its own
 * (`endorses`), reports or quotes someone else (`reports-or-quotes`), condemns them (`condemns`),
 * or cannot tell (`unclear`). Only endorsed passages are findings in a dossier.
 */
export const STANCES = ['endorses', 'reports-or-quotes', 'condemns', 'unclear'] as const;
export type Stance = (typeof STANCES)[number];

/** Round 1 and 2 are the independent reviews (more when N > 2); 0 marks the adjudication. */
export const ADJUDICATION_ROUND = 0;

export interface ReviewRecord {
  _id: Types.ObjectId;
  flag: Types.ObjectId;
  flagVersion: number;
  reviewer: Types.ObjectId;
  round: number;
  decision: Decision;
  modification?: { category?: string; severity?: number; target?: string };
  /** The reviewer's reading of the passage's stance (absent on reviews made before stances, or when not given). */
  stance?: Stance;
  note?: string;
  createdAt: Date;
}

/** Who holds a flag in the review queue; `_id` = flag id, so only one reviewer at a time. */
export interface ReviewLeaseRecord {
  _id: string;
  holder: Types.ObjectId;
  expiresAt: Date;
}

/** A reviewer's "not now" on one version of a flag: the queue stops offering it to them. */
export interface ReviewSkipRecord {
  _id: string;
  user: Types.ObjectId;
  flag: Types.ObjectId;
  flagVersion: number;
  createdAt: Date;
}

export interface TranslationRecord {
  _id: Types.ObjectId;
  flag: Types.ObjectId;
  text: string;
  language: string;
  translator: string;
  createdBy: Types.ObjectId;
  check?: { by: Types.ObjectId; verdict: 'approved' | 'needs_changes'; note?: string; at: Date };
  createdAt: Date;
}

export interface AuditEventRecord {
  _id: Types.ObjectId;
  seq: number;
  at: Date;
  actor: string;
  role: string;
  action: string;
  entity: { type: string; id: string };
  change: unknown;
  reason: string | null;
  payloadSha256: string;
  prevHash: string;
  hash: string;
}

const userSchema = new Schema<UserRecord>(
  {
    username: { type: String, required: true },
    displayName: { type: String, required: true },
    roles: { type: [{ type: String, enum: ROLES }], default: [] },
    passwordHash: { type: String, required: true },
    disabled: { type: Boolean, default: false },
  },
  { timestamps: true, collection: 'users', strict: 'throw' },
);
userSchema.index({ username: 1 }, { unique: true });

const sessionSchema = new Schema<SessionRecord>(
  {
    _id: { type: String, required: true },
    user: { type: Schema.Types.ObjectId, required: true },
    csrfToken: { type: String, required: true },
    expiresAt: { type: Date, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'sessions', versionKey: false },
);
sessionSchema.index({ expiresAt: 1 });
sessionSchema.index({ user: 1 });

const apiKeySchema = new Schema<ApiKeyRecord>(
  {
    _id: { type: String, required: true },
    user: { type: Schema.Types.ObjectId, required: true },
    name: { type: String, required: true },
    secretSha256: { type: String, required: true },
    expiresAt: { type: Date, required: true },
    revokedAt: { type: Date, default: null },
    lastUsedAt: { type: Date, default: null },
    createdAt: { type: Date, required: true },
  },
  { collection: 'apikeys', versionKey: false },
);
apiKeySchema.index({ user: 1, createdAt: -1 });

const loginThrottleSchema = new Schema<LoginThrottleRecord>(
  {
    _id: { type: String, required: true },
    username: { type: String, default: null },
    client: { type: String, required: true },
    attempts: { type: Number, required: true },
    gateAt: { type: Date, default: null },
    lastAt: { type: Date, required: true },
  },
  { collection: 'loginthrottles', versionKey: false },
);
loginThrottleSchema.index({ username: 1 });

const setupTokenSchema = new Schema<SetupTokenRecord>(
  { _id: { type: String, required: true }, tokenHash: { type: String, required: true }, createdAt: { type: Date, required: true }, usedAt: { type: Date, default: null } },
  { collection: 'setuptokens', versionKey: false },
);

const reviewSchema = new Schema<ReviewRecord>(
  {
    flag: { type: Schema.Types.ObjectId, required: true },
    flagVersion: { type: Number, required: true },
    reviewer: { type: Schema.Types.ObjectId, required: true },
    round: { type: Number, required: true },
    decision: { type: String, enum: DECISIONS, required: true },
    modification: {
      type: new Schema({ category: { type: String, enum: CATEGORY_CODES }, severity: { type: Number, min: 1, max: 4 }, target: String }, { _id: false }),
      default: undefined,
    },
    stance: { type: String, enum: STANCES, default: undefined },
    note: String,
    createdAt: { type: Date, required: true },
  },
  { collection: 'reviews', versionKey: false, strict: 'throw' },
);
// One slot per round of a flag version (two reviewers cannot both be "second"), and one review
// per person per version (the four eyes are four different eyes).
reviewSchema.index({ flag: 1, flagVersion: 1, round: 1 }, { unique: true });
reviewSchema.index({ flag: 1, flagVersion: 1, reviewer: 1 }, { unique: true });
reviewSchema.index({ reviewer: 1 });

const reviewLeaseSchema = new Schema<ReviewLeaseRecord>(
  {
    _id: { type: String, required: true },
    holder: { type: Schema.Types.ObjectId, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'reviewleases', versionKey: false },
);

const reviewSkipSchema = new Schema<ReviewSkipRecord>(
  {
    _id: { type: String, required: true },
    user: { type: Schema.Types.ObjectId, required: true },
    flag: { type: Schema.Types.ObjectId, required: true },
    flagVersion: { type: Number, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'reviewskips', versionKey: false },
);
reviewSkipSchema.index({ user: 1 });

const translationSchema = new Schema<TranslationRecord>(
  {
    flag: { type: Schema.Types.ObjectId, required: true },
    text: { type: String, required: true },
    language: { type: String, required: true },
    translator: { type: String, required: true },
    createdBy: { type: Schema.Types.ObjectId, required: true },
    check: {
      type: new Schema({ by: Schema.Types.ObjectId, verdict: String, note: String, at: Date }, { _id: false }),
      default: undefined,
    },
    createdAt: { type: Date, required: true },
  },
  { collection: 'translations', versionKey: false, strict: 'throw' },
);
translationSchema.index({ flag: 1, createdAt: 1 });

const auditEventSchema = new Schema<AuditEventRecord>(
  {
    seq: { type: Number, required: true },
    at: { type: Date, required: true },
    actor: { type: String, required: true },
    role: { type: String, required: true },
    action: { type: String, required: true },
    entity: { type: new Schema({ type: String, id: String }, { _id: false }), required: true },
    change: { type: Schema.Types.Mixed },
    reason: { type: String, default: null },
    payloadSha256: { type: String, required: true },
    prevHash: { type: String, required: true },
    hash: { type: String, required: true },
  },
  { collection: 'auditevents', versionKey: false, minimize: false },
);
// The next sequence number is claimed by inserting it: E11000 = someone else appended first.
auditEventSchema.index({ seq: 1 }, { unique: true });
// GET /api/audit: by entity type, or type and id, in sequence order.
auditEventSchema.index({ 'entity.type': 1, seq: 1 });
auditEventSchema.index({ 'entity.type': 1, 'entity.id': 1, seq: 1 });

/** A speaker of statements: the name in its original script, its renderings, and positions held. */
export interface SpeakerRecord {
  _id: Types.ObjectId;
  name: string;
  transliterations: string[];
  aliases: string[];
  positions: Array<{ title: string; institution?: string; from?: string; to?: string }>;
  createdAt: Date;
  updatedAt: Date;
}

const speakerSchema = new Schema<SpeakerRecord>(
  {
    name: { type: String, required: true },
    transliterations: { type: [String], default: [] },
    aliases: { type: [String], default: [] },
    positions: [new Schema({ title: { type: String, required: true }, institution: String, from: String, to: String }, { _id: false })],
  },
  { timestamps: true, collection: 'speakers', strict: 'throw' },
);
speakerSchema.index({ name: 1 }, { unique: true });

export interface PeopleModels {
  User: Model<UserRecord>;
  Session: Model<SessionRecord>;
  ApiKey: Model<ApiKeyRecord>;
  LoginThrottle: Model<LoginThrottleRecord>;
  SetupToken: Model<SetupTokenRecord>;
  Review: Model<ReviewRecord>;
  ReviewLease: Model<ReviewLeaseRecord>;
  ReviewSkip: Model<ReviewSkipRecord>;
  Translation: Model<TranslationRecord>;
  AuditEvent: Model<AuditEventRecord>;
  Speaker: Model<SpeakerRecord>;
}

export function registerPeopleModels(connection: Connection): PeopleModels {
  return {
    User: connection.model<UserRecord>('User', userSchema),
    Session: connection.model<SessionRecord>('Session', sessionSchema),
    ApiKey: connection.model<ApiKeyRecord>('ApiKey', apiKeySchema),
    LoginThrottle: connection.model<LoginThrottleRecord>('LoginThrottle', loginThrottleSchema),
    SetupToken: connection.model<SetupTokenRecord>('SetupToken', setupTokenSchema),
    Review: connection.model<ReviewRecord>('Review', reviewSchema),
    ReviewLease: connection.model<ReviewLeaseRecord>('ReviewLease', reviewLeaseSchema),
    ReviewSkip: connection.model<ReviewSkipRecord>('ReviewSkip', reviewSkipSchema),
    Translation: connection.model<TranslationRecord>('Translation', translationSchema),
    AuditEvent: connection.model<AuditEventRecord>('AuditEvent', auditEventSchema),
    Speaker: connection.model<SpeakerRecord>('Speaker', speakerSchema),
  };
}
