/**
 * Per-tenant request limits (spec §1: default 10 requests/second and 60/minute, configurable per tenant).
 * Fixed windows in memory: exact enough for abuse protection on a single node.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { sec: number; secCount: number; min: number; minCount: number }>();

  /** Returns seconds to wait, or 0 when the request is allowed. */
  hit(key: string, perSecond: number, perMinute: number, now = Date.now()): number {
    const sec = Math.floor(now / 1000);
    const min = Math.floor(now / 60000);
    let w = this.windows.get(key);
    if (!w) {
      w = { sec, secCount: 0, min, minCount: 0 };
      this.windows.set(key, w);
    }
    if (w.sec !== sec) { w.sec = sec; w.secCount = 0; }
    if (w.min !== min) { w.min = min; w.minCount = 0; }
    if (perMinute > 0 && w.minCount >= perMinute) return Math.max(1, 60 - Math.floor((now % 60000) / 1000));
    if (perSecond > 0 && w.secCount >= perSecond) return 1;
    w.secCount++;
    w.minCount++;
    return 0;
  }
}

/** Counts failures per key (login, OTP) and locks the key for a while after too many. */
export class FailureCounter {
  private readonly fails = new Map<string, { count: number; until: number; first: number }>();
  constructor(private readonly maxFailures: number, private readonly lockMs: number, private readonly windowMs = 15 * 60_000) {}

  isLocked(key: string, now = Date.now()): boolean {
    const f = this.fails.get(key);
    return !!f && f.until > now;
  }

  fail(key: string, now = Date.now()): boolean {
    let f = this.fails.get(key);
    if (!f || now - f.first > this.windowMs) { f = { count: 0, until: 0, first: now }; this.fails.set(key, f); }
    f.count++;
    if (f.count >= this.maxFailures) f.until = now + this.lockMs;
    return f.until > now;
  }

  reset(key: string): void {
    this.fails.delete(key);
  }
}
