/**
 * Login throttling, in the database (shared by every process, kept across restarts).
 *
 * Keys: the pair (username, client address), and the client address alone. Each key lets a few
 * attempts through freely (5 for a pair, 30 for an address, by default); after that, attempts
 * are let through one at a time with a delay that doubles each time (1 s, 2 s, 4 s… up to
 * 15 minutes). A key is forgotten after an hour without attempts; a pair also on a successful
 * login. There is no hard lock of the account: someone guessing from elsewhere slows down only
 * their own pair (and their own address), so the real user can still sign in.
 *
 * The count is taken BEFORE the password check (scrypt, ~100 ms) by an atomic update of one
 * record, and counts attempts that failed or are still being checked: 40 parallel attempts get
 * no more than the free ones through to the check. A free attempt is a conditional `$inc`; a
 * later one claims the gate by a conditional update that moves it on, so exactly one attempt
 * passes each gate (the embedded FerretDB is patched to make single-document updates atomic, as
 * MongoDB's are: test/store/atomic-writes.test.ts).
 *
 * IPv6 clients are keyed by their /64 network: one host commonly holds a whole /64.
 */
import { isIP } from 'node:net';
import type { LoginThrottleRepository } from '../store/credentials';

export interface ThrottleOptions {
  /** Attempts per (username, address) let through without delay (default 5). */
  pairFreeAttempts: number;
  /** Attempts per address, across usernames, let through without delay (default 30). */
  clientFreeAttempts: number;
  /** The first delay after the free attempts (default 1 s); each further attempt doubles it. */
  baseDelayMs: number;
  /** The longest delay (default 15 minutes). */
  maxDelayMs: number;
  /** A key without attempts for this long is forgotten (default 1 hour). */
  forgetAfterMs: number;
  now: () => number;
}

export const DEFAULT_THROTTLE: Omit<ThrottleOptions, 'now'> = {
  pairFreeAttempts: 5,
  clientFreeAttempts: 30,
  baseDelayMs: 1_000,
  maxDelayMs: 15 * 60_000,
  forgetAfterMs: 60 * 60_000,
};

/**
 * An attempt let through to the password check (counted as failed unless `succeeded` is called:
 * a failure needs no further write), or refused with the wait.
 */
export type Admission = { admitted: true; succeeded(): Promise<void> } | { admitted: false; retryAfterMs: number };
type Taken = { admitted: true } | { admitted: false; retryAfterMs: number };

/** The address as the throttle keys it: IPv4 as is (also IPv4-mapped IPv6), IPv6 as its /64. */
export function clientKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (isIP(address) !== 6) return address;
  const halves = address.toLowerCase().split('%')[0]!.split('::');
  const groups = (half: string | undefined) => (half ? half.split(':').flatMap((g) => (g.includes('.') ? ['0', '0'] : [g])) : []);
  const left = groups(halves[0]);
  const right = groups(halves[1]);
  const all = halves.length === 2 ? [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right] : left;
  return `${all.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

export class LoginThrottle {
  private readonly options: ThrottleOptions;
  private acquisitions = 0;

  constructor(
    private readonly counts: LoginThrottleRepository,
    options: Partial<ThrottleOptions> = {},
  ) {
    this.options = { ...DEFAULT_THROTTLE, now: Date.now, ...options };
  }

  /**
   * Takes an attempt for `username` from `address`: the address's count first, then the pair's.
   * Refused (with the wait) when either key is at its gate.
   */
  async admit(username: string, address: string): Promise<Admission> {
    const client = clientKey(address);
    const clientId = `client:${client}`;
    const pairId = `user:${username}|${client}`;
    const byClient = await this.take(clientId, null, client, this.options.clientFreeAttempts);
    if (!byClient.admitted) return byClient;
    const byPair = await this.take(pairId, username, client, this.options.pairFreeAttempts);
    if (!byPair.admitted) {
      await this.counts.uncount(clientId);
      return byPair;
    }
    return {
      admitted: true,
      // Not a failure after all: the address gets its attempt back, the pair starts afresh.
      succeeded: async () => {
        await this.counts.uncount(clientId);
        await this.counts.forgetKey(pairId);
      },
    };
  }

  /** Admin unlock: forgets every (username, address) count of this username. */
  async unlock(username: string): Promise<number> {
    return this.counts.forgetUsername(username);
  }

  /** The delay before attempt `free + k` (k ≥ 1): base · 2^(k−1), at most the maximum. */
  delay(k: number): number {
    return Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** Math.min(40, Math.max(0, k - 1)));
  }

  private async take(id: string, username: string | null, client: string, free: number): Promise<Taken> {
    const { counts } = this;
    const now = this.options.now();
    const idleSince = new Date(now - this.options.forgetAfterMs);
    if ((this.acquisitions += 1) % 200 === 0) await counts.forgetIdleSince(idleSince);
    await counts.forgetIdleSince(idleSince, id);
    await counts.touch(id, username, client, new Date(now));

    // A free attempt: a conditional increment, atomic on one record.
    const freeSlot = await counts.countIfUnder(id, free);
    if (freeSlot) {
      // The last free attempt sets the first gate; until then later attempts wait.
      if (freeSlot.attempts === free) await counts.setGate(id, new Date(now + this.delay(1)));
      return { admitted: true };
    }

    // Past the free attempts: one attempt passes each gate, and moves it on.
    const current = await counts.findKey(id);
    if (!current) return { admitted: false, retryAfterMs: this.delay(1) };
    if (!current.gateAt || current.gateAt.getTime() > now) {
      return { admitted: false, retryAfterMs: current.gateAt ? current.gateAt.getTime() - now : this.delay(1) };
    }
    const next = current.attempts + 1 - free + 1;
    if (await counts.passGate(current, new Date(now + this.delay(next)))) return { admitted: true };
    // Someone else passed this gate first.
    const after = await counts.findKey(id);
    return { admitted: false, retryAfterMs: Math.max(1, (after?.gateAt?.getTime() ?? now + this.delay(1)) - now) };
  }
}
