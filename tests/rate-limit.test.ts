import { describe, expect, it } from 'vitest';
import { RateLimiter } from '@/server/api/rate-limit';

describe('per-key rate limit', () => {
  it('allows the limit per minute per key, then says when to retry, and opens a new window', () => {
    const limiter = new RateLimiter(() => 3);
    const t0 = 1_000_000;
    expect([1, 2, 3].map((i) => limiter.take('a', t0 + i).allowed)).toEqual([true, true, true]);
    expect(limiter.take('a', t0 + 20_000)).toEqual({ allowed: false, retryAfterSeconds: 41 });
    // Another key has its own window.
    expect(limiter.take('b', t0 + 20_000).allowed).toBe(true);
    // A minute after the window opened, the key may call again.
    expect(limiter.take('a', t0 + 1 + 60_000).allowed).toBe(true);
  });

  it('reads the limit at every call, so a changed setting applies at once', () => {
    let limit = 1;
    const limiter = new RateLimiter(() => limit);
    expect(limiter.take('k', 0).allowed).toBe(true);
    expect(limiter.take('k', 1).allowed).toBe(false);
    limit = 5;
    expect(limiter.take('k', 2).allowed).toBe(true);
  });
});
