/**
 * Requests per key per minute, counted in this process (a fixed one-minute window). Several app
 * instances each count their own; docs/scaling.md says what to use instead behind a balancer.
 */
export type RateLimitDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

const WINDOW_MS = 60_000;

export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(private readonly perMinute: () => number) {}

  take(id: string, now = Date.now()): RateLimitDecision {
    const current = this.windows.get(id);
    if (!current || now - current.start >= WINDOW_MS) {
      if (this.windows.size > 10_000) this.forgetOld(now);
      this.windows.set(id, { start: now, count: 1 });
      return { allowed: true };
    }
    if (current.count >= this.perMinute()) {
      return {
        allowed: false,
        retryAfterSeconds: Math.ceil((current.start + WINDOW_MS - now) / 1000),
      };
    }
    current.count += 1;
    return { allowed: true };
  }

  private forgetOld(now: number): void {
    for (const [id, window] of this.windows) {
      if (now - window.start >= WINDOW_MS) this.windows.delete(id);
    }
  }
}
