/**
 * Caps on long-lived responses (the progress event streams): at most `perUser` open at once for
 * one user and `perProcess` in this process. Over a cap, `take` refuses with 429
 * `too_many_streams`, naming the cap; a slot is given back when its stream ends.
 */
import { ApiError } from './errors';

export class StreamSlots {
  private total = 0;
  private readonly byUser = new Map<string, number>();

  constructor(private readonly limits: { perUser: number; perProcess: number }) {}

  take(user: string): { release(): void } {
    const mine = this.byUser.get(user) ?? 0;
    if (mine >= this.limits.perUser) {
      throw new ApiError('too_many_streams', `you have ${mine} progress streams open, the most one user may; close one (another tab?) and try again`, { scope: 'user', limit: this.limits.perUser });
    }
    if (this.total >= this.limits.perProcess) {
      throw new ApiError('too_many_streams', 'the server has as many progress streams open as it allows; try again later', { scope: 'process', limit: this.limits.perProcess });
    }
    this.byUser.set(user, mine + 1);
    this.total += 1;
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.total -= 1;
        const left = (this.byUser.get(user) ?? 1) - 1;
        if (left > 0) this.byUser.set(user, left);
        else this.byUser.delete(user);
      },
    };
  }
}
