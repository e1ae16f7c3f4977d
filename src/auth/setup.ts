/**
 * First run without a command line: while no active admin exists, the service makes a one-time
 * setup link (a 256-bit random token; only its SHA-256 is stored) and prints it; whoever opens it
 * creates the first admin in the browser. The token is dead once used, and replaced by a new one
 * at each start while there is still no admin (the old link was printed by the old process).
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { AuditLog } from '../audit/log';
import { Conflict, Invalid, NotFound } from '../errors';
import { sha256 } from '../hash';
import type { UserRecord } from '../store/people';
import type { Repositories } from '../store/repositories';
import { passwordProblem } from './passwords';
import { NewUserSchema, type AuthService } from './service';

const SETUP_ACTOR = { id: 'setup', role: 'setup' };

/** What the setup page sends: the token, and the first admin's name and password. */
export const FirstAdminSchema = NewUserSchema.omit({ roles: true }).extend({ token: z.string().min(1).max(200) }).strict();

export class FirstAdminSetup {
  constructor(
    private readonly repos: Pick<Repositories, 'users' | 'setupTokens'>,
    private readonly auth: AuthService,
    private readonly audit: AuditLog,
  ) {}

  private adminExists(): Promise<boolean> {
    return this.repos.users.activeAdminExists();
  }

  /** A fresh token when no active admin exists (it replaces any earlier one), else null. */
  async issueIfNoAdmin(): Promise<string | null> {
    if (await this.adminExists()) return null;
    const token = randomBytes(32).toString('base64url');
    await this.repos.setupTokens.replaceLive(sha256(token));
    return token;
  }

  /** Whether `token` is the live setup token (and no admin exists yet). */
  async isValid(token: unknown): Promise<boolean> {
    if (typeof token !== 'string' || !token || token.length > 200) return false;
    return (await this.repos.setupTokens.isLive(sha256(token))) && !(await this.adminExists());
  }

  /**
   * Creates the first admin with the live token, which dies with it. The input is checked in
   * full before the token is taken, so a refused password does not spend the link.
   */
  async createFirstAdmin(input: unknown): Promise<UserRecord> {
    const parsed = FirstAdminSchema.safeParse(input);
    if (!parsed.success) throw Invalid.fromZod('invalid_request', parsed.error, 'first admin');
    const { token, ...user } = parsed.data;
    const problem = passwordProblem(user.password, user.username);
    if (problem) throw new Invalid('invalid_request', `invalid first admin: password ${problem}`, [{ field: 'password', message: problem }]);
    if (await this.adminExists()) throw new Conflict('conflict', 'an admin exists already: sign in instead');
    if (!(await this.repos.setupTokens.take(sha256(token)))) throw new NotFound('setup link', 'this setup link is not valid: it was used already, or the service was restarted and printed a new one');
    let created: UserRecord;
    try {
      created = await this.auth.createUser({ ...user, roles: ['admin'] }, SETUP_ACTOR);
    } catch (error) {
      // Not created (a name taken meanwhile): the link stays usable.
      await this.repos.setupTokens.giveBack(sha256(token));
      throw error;
    }
    await this.audit.append({ actor: SETUP_ACTOR, action: 'setup.first_admin', entity: { type: 'user', id: String(created._id) }, change: { username: created.username } });
    return created;
  }
}
