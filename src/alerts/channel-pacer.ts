// Slack allows about one message per second per channel (chat.postMessage, special tier). Posts
// to one channel from this process take turns at least `gapMs` apart; a 429 pushes the channel's
// next turn out by its Retry-After. Other channels are not held up. Replicas pace independently:
// Slack tolerates short bursts, and a 429 that results is waited out like any other.
import type { Clock } from '../time/clock.js';

export class ChannelPacer {
  private readonly nextTurnAt = new Map<string, number>();
  private readonly queues = new Map<string, Promise<void>>();

  constructor(
    private readonly clock: Clock,
    private readonly gapMs: number,
  ) {}

  /** Resolves when the caller may post to `channel`; callers are served in order. */
  turn(channel: string): Promise<void> {
    const previous = this.queues.get(channel) ?? Promise.resolve();
    const mine = previous.then(async () => {
      const wait = (this.nextTurnAt.get(channel) ?? 0) - this.clock.now();
      if (wait > 0) await this.clock.sleep(wait);
      this.nextTurnAt.set(channel, this.clock.now() + this.gapMs);
    });
    // The queue only orders turns; a turn never fails, so neither does the chain.
    this.queues.set(channel, mine);
    return mine;
  }

  /** Slack said wait: nobody posts to `channel` for `ms`. */
  pause(channel: string, ms: number): void {
    const until = this.clock.now() + ms;
    if (until > (this.nextTurnAt.get(channel) ?? 0)) this.nextTurnAt.set(channel, until);
  }
}
