/**
 * Failed-login throttling. Each failed password check counts against the username and the
 * client address; past `slowAfter` failures inside the window every further attempt is
 * delayed, past `blockAfter` it is refused with 429 until the window has passed. A success
 * clears the username's count. Counts live in this process's memory, bounded in size.
 */
export interface ThrottleOptions {
  windowMs: number;
  slowAfter: number;
  blockAfter: number;
  delayMs: number;
  maxKeys: number;
}

export const DEFAULT_THROTTLE: ThrottleOptions = {
  windowMs: 15 * 60 * 1000,
  slowAfter: 5,
  blockAfter: 10,
  delayMs: 1000,
  maxKeys: 10000,
};

interface Entry {
  failures: number[];
}

export type ThrottleVerdict = { action: 'allow' } | { action: 'delay'; ms: number } | { action: 'block'; retryAfterSeconds: number };

export class LoginThrottle {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly options: ThrottleOptions = DEFAULT_THROTTLE,
    private readonly clock: () => number = Date.now,
  ) {}

  private recent(key: string): number[] {
    const entry = this.entries.get(key);
    if (entry === undefined) return [];
    const since = this.clock() - this.options.windowMs;
    entry.failures = entry.failures.filter((t) => t > since);
    if (entry.failures.length === 0) this.entries.delete(key);
    return entry.failures;
  }

  /** What to do with a login attempt for these keys (username and address). */
  verdict(keys: readonly string[]): ThrottleVerdict {
    let worst: ThrottleVerdict = { action: 'allow' };
    for (const key of keys) {
      const failures = this.recent(key);
      if (failures.length >= this.options.blockAfter) {
        const oldest = failures[failures.length - this.options.blockAfter] ?? this.clock();
        const retryAfterSeconds = Math.max(1, Math.ceil((oldest + this.options.windowMs - this.clock()) / 1000));
        return { action: 'block', retryAfterSeconds };
      }
      if (failures.length >= this.options.slowAfter) worst = { action: 'delay', ms: this.options.delayMs };
    }
    return worst;
  }

  recordFailure(keys: readonly string[]): void {
    const now = this.clock();
    for (const key of keys) {
      const entry = this.entries.get(key);
      if (entry !== undefined) {
        entry.failures.push(now);
        continue;
      }
      if (this.entries.size >= this.options.maxKeys) {
        const oldest = this.entries.keys().next().value;
        if (oldest !== undefined) this.entries.delete(oldest);
      }
      this.entries.set(key, { failures: [now] });
    }
  }

  recordSuccess(keys: readonly string[]): void {
    for (const key of keys) this.entries.delete(key);
  }
}

export function loginKeys(username: string, address: string): string[] {
  return [`user:${username.toLowerCase()}`, `addr:${address}`];
}
