/**
 * People and credentials: users with roles, browser sessions (expired in code: FerretDB has no
 * TTL indexes), API keys (shown once, stored as SHA-256 of a 256-bit secret, named, revocable,
 * expiring), login with throttling. Every change and every failed login goes to the audit log.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Types } from 'mongoose';
import { z } from 'zod';
import type { Actor, AuditLog } from '../audit/log';
import { sha256 } from '../hash';
import { Conflict, Invalid, NotFound, RateLimited, Unauthenticated } from '../errors';
import { isDuplicateKeyError } from '../store/connection';
import type { ApiKeyRecord } from '../store/credentials';
import { ROLES, type Role, type UserRecord } from '../store/people';
import type { Repositories } from '../store/repositories';
import { dummyPasswordHash, hashPassword, PASSWORD_MIN_LENGTH, passwordProblem, verifyPassword } from './passwords';
import type { Principal } from './principal';
import { LoginThrottle } from './rate-limit';

export const SESSION_COOKIE = 'lw_session';
export const API_KEY_PREFIX = 'lwk';

export interface AuthOptions {
  sessionTtlMs?: number;
  /** Login attempts per (username, client address) let through without delay (default 5). */
  loginMaxFailures?: number;
  /** Login attempts per client address, across usernames, let through without delay (default 30). */
  clientMaxFailures?: number;
  /** A throttle count without attempts for this long is forgotten (default 1 hour). */
  loginWindowMs?: number;
  /** The first delay after the free attempts (default 1 s; it doubles each attempt) and the longest (default 15 min). */
  loginBaseDelayMs?: number;
  loginMaxDelayMs?: number;
  /** The clock, for tests of the delays. */
  now?: () => number;
}

export const NewUserSchema = z
  .object({
    username: z.string().trim().toLowerCase().regex(/^[a-z0-9][a-z0-9._-]{1,62}$/, 'letters, digits, ".", "_" or "-", 2 to 63 characters'),
    displayName: z.string().trim().min(1).max(200).optional(),
    password: z.string().min(PASSWORD_MIN_LENGTH, `must be at least ${PASSWORD_MIN_LENGTH} characters`).max(1024),
    roles: z.array(z.enum(ROLES)).min(1).max(ROLES.length),
  })
  .strict();

export const UserUpdateSchema = z
  .object({
    displayName: z.string().trim().min(1).max(200).optional(),
    roles: z.array(z.enum(ROLES)).min(1).max(ROLES.length).optional(),
    disabled: z.boolean().optional(),
    password: z.string().min(PASSWORD_MIN_LENGTH).max(1024).optional(),
  })
  .strict();

export const NewApiKeySchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    expiresInDays: z.number().int().min(1).max(366).default(90),
  })
  .strict();

/** What POST /api/auth/login takes; anything else is refused before the throttle counts it. */
export const LoginSchema = z.object({ username: z.string().min(1).max(200), password: z.string().min(1).max(1024) });

export function userView(user: UserRecord) {
  return {
    id: String(user._id),
    username: user.username,
    displayName: user.displayName,
    roles: user.roles,
    disabled: user.disabled,
    createdAt: user.createdAt,
  };
}

export function apiKeyView(key: ApiKeyRecord) {
  return { id: key._id, name: key.name, expiresAt: key.expiresAt, revokedAt: key.revokedAt, lastUsedAt: key.lastUsedAt, createdAt: key.createdAt };
}

function assertAcceptablePassword(password: string, username: string, what: string): void {
  const problem = passwordProblem(password, username);
  if (problem) throw new Invalid('invalid_request', `invalid ${what}: password ${problem}`, [{ field: 'password', message: problem }]);
}

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

/** The repositories the auth service reads and writes. */
export type AuthRepositories = Pick<Repositories, 'users' | 'sessions' | 'apiKeys' | 'loginThrottle'>;

export class AuthService {
  private readonly throttle: LoginThrottle;
  readonly sessionTtlMs: number;

  constructor(
    private readonly repos: AuthRepositories,
    private readonly audit: AuditLog,
    options: AuthOptions = {},
  ) {
    this.sessionTtlMs = options.sessionTtlMs ?? 12 * 3600_000;
    this.throttle = new LoginThrottle(repos.loginThrottle, {
      ...(options.loginMaxFailures !== undefined ? { pairFreeAttempts: options.loginMaxFailures } : {}),
      ...(options.clientMaxFailures !== undefined ? { clientFreeAttempts: options.clientMaxFailures } : {}),
      ...(options.loginWindowMs !== undefined ? { forgetAfterMs: options.loginWindowMs } : {}),
      ...(options.loginBaseDelayMs !== undefined ? { baseDelayMs: options.loginBaseDelayMs } : {}),
      ...(options.loginMaxDelayMs !== undefined ? { maxDelayMs: options.loginMaxDelayMs } : {}),
      ...(options.now ? { now: options.now } : {}),
    });
  }

  async createUser(input: unknown, actor: Actor): Promise<UserRecord> {
    const parsed = NewUserSchema.safeParse(input);
    if (!parsed.success) throw Invalid.fromZod('invalid_request', parsed.error, 'user');
    const { username, password, roles } = parsed.data;
    assertAcceptablePassword(password, username, 'user');
    const passwordHash = await hashPassword(password);
    let user: UserRecord;
    try {
      user = await this.repos.users.insertUser({ username, displayName: parsed.data.displayName ?? username, roles: [...new Set(roles)], passwordHash, disabled: false });
    } catch (error) {
      if (isDuplicateKeyError(error)) throw new Conflict('already_exists', `a user named "${username}" already exists`);
      throw error;
    }
    await this.audit.append({ actor, action: 'user.create', entity: { type: 'user', id: String(user._id) }, change: { username, roles: user.roles } });
    return user;
  }

  async updateUser(id: string, input: unknown, actor: Actor): Promise<UserRecord> {
    const parsed = UserUpdateSchema.safeParse(input);
    if (!parsed.success) throw Invalid.fromZod('invalid_request', parsed.error, 'user update');
    const before = await this.repos.users.findUser(id);
    if (!before) throw new NotFound('user');
    const set: Partial<UserRecord> = {};
    const change: Record<string, { from: unknown; to: unknown }> = {};
    if (parsed.data.displayName !== undefined) {
      set.displayName = parsed.data.displayName;
      change.displayName = { from: before.displayName, to: parsed.data.displayName };
    }
    if (parsed.data.roles) {
      set.roles = [...new Set(parsed.data.roles)];
      change.roles = { from: before.roles, to: set.roles };
    }
    if (parsed.data.disabled !== undefined) {
      set.disabled = parsed.data.disabled;
      change.disabled = { from: before.disabled, to: parsed.data.disabled };
    }
    if (parsed.data.password) {
      assertAcceptablePassword(parsed.data.password, before.username, 'user update');
      set.passwordHash = await hashPassword(parsed.data.password);
      change.password = { from: '(hidden)', to: '(changed)' };
    }
    const losesAdmin = before.roles.includes('admin') && !before.disabled && ((set.roles && !set.roles.includes('admin')) || set.disabled === true);
    if (losesAdmin && !(await this.repos.users.activeAdminExists(before._id))) {
      throw new Conflict('last_admin', 'this is the last active admin; make someone else admin first');
    }
    await this.repos.users.setUserFields(before._id, set);
    // Role changes, disabling and password resets end existing sessions.
    if (set.roles || set.disabled || set.passwordHash) await this.repos.sessions.deleteSessionsOf(before._id);
    // …and revoke the user's API keys: a reset means the old credentials may be known to someone
    // else, and a key was issued under the roles of its day (a key made for a viewer's script must
    // not become an admin's). Revoked keys stay revoked when an account is enabled again.
    const rolesChanged = set.roles !== undefined && [...set.roles].sort().join() !== [...before.roles].sort().join();
    const revokeReason = set.passwordHash ? 'password reset' : set.disabled ? 'account disabled' : rolesChanged ? 'roles changed' : null;
    const revoked = revokeReason ? await this.revokeAllApiKeys(before._id, revokeReason, actor) : [];
    await this.audit.append({ actor, action: 'user.update', entity: { type: 'user', id }, change: { ...change, ...(revoked.length ? { apiKeysRevoked: revoked } : {}) } });
    return (await this.repos.users.findUser(id))!;
  }

  /**
   * Lets a throttled user sign in again at once: forgets the login counts of every (username,
   * address) pair of this user. The counts of addresses are kept (they guard all accounts).
   */
  async unlockUser(id: string, actor: Actor): Promise<{ user: UserRecord; cleared: number }> {
    const user = await this.repos.users.findUser(id);
    if (!user) throw new NotFound('user');
    const cleared = await this.throttle.unlock(user.username);
    await this.audit.append({ actor, action: 'user.unlock', entity: { type: 'user', id }, change: { cleared } });
    return { user, cleared };
  }

  listUsers(): Promise<UserRecord[]> {
    return this.repos.users.listUsers();
  }

  async login(username: unknown, password: unknown, client: string): Promise<{ token: string; csrfToken: string; user: UserRecord; expiresAt: Date }> {
    const credentials = LoginSchema.safeParse({ username, password });
    if (!credentials.success) throw new Invalid('invalid_request', 'send {"username": string, "password": string}');
    const name = credentials.data.username.trim().toLowerCase();
    // Counted before the password check, atomically: parallel attempts cannot all get through.
    const admission = await this.throttle.admit(name, client);
    if (!admission.admitted) {
      // Not audited: refused before any password check, and an attacker could send these without
      // limit (the failures that led here are in the audit log already).
      const seconds = Math.max(1, Math.ceil(admission.retryAfterMs / 1000));
      throw new RateLimited(`too many failed logins; try again in ${seconds} s`, seconds);
    }
    const user = await this.repos.users.findByUsername(name);
    const ok = await verifyPassword(credentials.data.password, user?.passwordHash ?? (await dummyPasswordHash()));
    if (!user || !ok || user.disabled) {
      await this.audit.append({
        actor: { id: 'anonymous', role: 'anonymous' },
        action: 'auth.login_failed',
        entity: { type: 'login', id: name },
        change: { client, reason: !user ? 'unknown user' : user.disabled ? 'account disabled' : 'wrong password' },
      });
      throw new Unauthenticated('wrong username or password');
    }
    await admission.succeeded();
    const now = Date.now();
    await this.repos.sessions.deleteExpired(new Date(now));
    const token = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now + this.sessionTtlMs);
    await this.repos.sessions.insertSession({ _id: sha256(token), user: user._id, csrfToken, expiresAt, createdAt: new Date(now) });
    await this.audit.append({ actor: { id: String(user._id), role: user.roles.join('+') }, action: 'auth.login', entity: { type: 'user', id: String(user._id) } });
    return { token, csrfToken, user, expiresAt };
  }

  async logout(token: string): Promise<void> {
    await this.repos.sessions.deleteSession(sha256(token));
  }

  async principalFromSession(token: string): Promise<Principal | null> {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
    const session = await this.repos.sessions.findSession(sha256(token));
    if (!session) return null;
    if (session.expiresAt.getTime() <= Date.now()) {
      await this.repos.sessions.deleteSession(session._id);
      return null;
    }
    const user = await this.activeUser(session.user);
    return user ? { userId: user._id, username: user.username, roles: user.roles, via: 'session', csrfToken: session.csrfToken } : null;
  }

  async principalFromApiKey(presented: string): Promise<Principal | null> {
    const match = /^lwk_([A-Za-z0-9]{16})_([A-Za-z0-9_-]{43})$/.exec(presented);
    if (!match) return null;
    const key = await this.repos.apiKeys.findApiKey(match[1]!);
    if (!key || key.revokedAt || key.expiresAt.getTime() <= Date.now() || !sameHex(sha256(match[2]!), key.secretSha256)) return null;
    const user = await this.activeUser(key.user);
    if (!user) return null;
    // Best effort, for the owner's overview; not evidence.
    void this.repos.apiKeys.setLastUsed(key._id, new Date()).catch(() => {});
    return { userId: user._id, username: user.username, roles: user.roles, via: 'apikey' };
  }

  async createApiKey(userId: Types.ObjectId, input: unknown, actor: Actor): Promise<{ key: string; record: ApiKeyRecord }> {
    const parsed = NewApiKeySchema.safeParse(input ?? {});
    if (!parsed.success) throw Invalid.fromZod('invalid_request', parsed.error, 'API key');
    const id = randomBytes(12).toString('base64url').replace(/[-_]/g, '').padEnd(16, '0').slice(0, 16);
    const secret = randomBytes(32).toString('base64url');
    const now = new Date();
    const record = await this.repos.apiKeys.insertApiKey({
      _id: id,
      user: userId,
      name: parsed.data.name,
      secretSha256: sha256(secret),
      expiresAt: new Date(now.getTime() + parsed.data.expiresInDays * 86_400_000),
      revokedAt: null,
      lastUsedAt: null,
      createdAt: now,
    });
    await this.audit.append({ actor, action: 'apikey.create', entity: { type: 'apikey', id }, change: { user: String(userId), name: parsed.data.name, expiresAt: record.expiresAt } });
    return { key: `${API_KEY_PREFIX}_${id}_${secret}`, record };
  }

  listApiKeys(userId: Types.ObjectId): Promise<ApiKeyRecord[]> {
    return this.repos.apiKeys.listApiKeysOf(userId);
  }

  /** Every API key of a user, for an admin (404 for an unknown user). */
  async listApiKeysOfUser(id: string): Promise<ApiKeyRecord[]> {
    const user = await this.repos.users.findUser(id);
    if (!user) throw new NotFound('user');
    return this.listApiKeys(user._id);
  }

  /** Every API key of every user, newest first, with its owner's username (for an admin). */
  async listAllApiKeys(): Promise<Array<{ key: ApiKeyRecord; owner: string | null }>> {
    const keys = await this.repos.apiKeys.listAllApiKeys();
    const names = await this.repos.users.usernamesOf([...new Set(keys.map((k) => String(k.user)))]);
    return keys.map((key) => ({ key, owner: names.get(String(key.user)) ?? null }));
  }

  /** Revokes every live key of a user, each audited with the reason; returns their ids. */
  private async revokeAllApiKeys(userId: Types.ObjectId, reason: string, actor: Actor): Promise<string[]> {
    const revoked: string[] = [];
    for (const keyId of await this.repos.apiKeys.liveKeyIdsOf(userId)) {
      if (!(await this.repos.apiKeys.revokeIfLive(keyId, new Date()))) continue;
      revoked.push(keyId);
      await this.audit.append({ actor, action: 'apikey.revoke', entity: { type: 'apikey', id: keyId }, change: { user: String(userId) }, reason });
    }
    return revoked;
  }

  /** Owners revoke their own keys; admins any key. Revoked keys stay listed. */
  async revokeApiKey(principal: Principal, keyId: string, actor: Actor): Promise<ApiKeyRecord> {
    const key = await this.repos.apiKeys.findApiKey(keyId);
    if (!key || (!key.user.equals(principal.userId) && !principal.roles.includes('admin'))) throw new NotFound('API key');
    if (!key.revokedAt && (await this.repos.apiKeys.revokeIfLive(key._id, new Date()))) {
      await this.audit.append({ actor, action: 'apikey.revoke', entity: { type: 'apikey', id: key._id }, change: { user: String(key.user) } });
    }
    return (await this.repos.apiKeys.findApiKey(keyId))!;
  }

  private async activeUser(id: Types.ObjectId): Promise<UserRecord | null> {
    const user = await this.repos.users.findUser(id);
    return user && !user.disabled ? user : null;
  }
}

export function hasRole(principal: Principal | undefined, roles: readonly Role[]): boolean {
  return !!principal && principal.roles.some((r) => roles.includes(r));
}

