/**
 * One coarse timer wheel for every per-connection deadline (auth timeout, ping, TLS handshake,
 * write deadline, JWT expiry) instead of a setTimeout per socket. Deadlines are rounded up to
 * the tick, so a timer fires between 0 and one tick late — fine for second-scale protocol timers.
 *
 * A timer is a plain object owned by its target; targets implement `onTimer(kind)`, so arming
 * a timer allocates nothing after the first time.
 */

export interface TimerTarget {
  onTimer(kind: number): void;
}

export class WheelTimer {
  target: TimerTarget;
  kind: number;
  /** Absolute deadline in ms (performance-independent wall clock), 0 when not armed. */
  deadline = 0;
  slot = -1;
  prev: WheelTimer | null = null;
  next: WheelTimer | null = null;

  constructor(target: TimerTarget, kind: number) {
    this.target = target;
    this.kind = kind;
  }

  get armed(): boolean {
    return this.slot !== -1;
  }
}

const SLOTS = 512;

export class TimerWheel {
  readonly tickMs: number;
  private readonly heads: (WheelTimer | null)[] = new Array(SLOTS).fill(null);
  private handle: NodeJS.Timeout | null = null;
  private count = 0;
  private lastTick: number;
  private readonly due: WheelTimer[] = [];

  constructor(tickMs = 50) {
    this.tickMs = tickMs;
    this.lastTick = Math.floor(Date.now() / tickMs);
  }

  /** Arms (or re-arms) `t` to fire `delayMs` from now. */
  schedule(t: WheelTimer, delayMs: number): void {
    if (t.slot !== -1) this.unlink(t);
    const deadline = Date.now() + Math.max(0, delayMs);
    t.deadline = deadline;
    const tick = Math.ceil(deadline / this.tickMs);
    const slot = tick % SLOTS;
    t.slot = slot;
    t.prev = null;
    t.next = this.heads[slot] ?? null;
    if (t.next) t.next.prev = t;
    this.heads[slot] = t;
    this.count++;
    if (this.handle === null) this.start();
  }

  cancel(t: WheelTimer): void {
    // deadline 0 also stops a timer already collected as due in the current tick.
    t.deadline = 0;
    if (t.slot !== -1) this.unlink(t);
  }

  /** Number of armed timers (for tests and stats). */
  get size(): number {
    return this.count;
  }

  stop(): void {
    if (this.handle !== null) clearInterval(this.handle);
    this.handle = null;
  }

  private unlink(t: WheelTimer): void {
    if (t.prev) t.prev.next = t.next;
    else this.heads[t.slot] = t.next;
    if (t.next) t.next.prev = t.prev;
    t.prev = null;
    t.next = null;
    t.slot = -1;
    this.count--;
  }

  private start(): void {
    this.lastTick = Math.floor(Date.now() / this.tickMs);
    this.handle = setInterval(() => this.advance(), this.tickMs);
    // The wheel must never keep the process alive on its own.
    this.handle.unref();
  }

  private advance(): void {
    const now = Date.now();
    const nowTick = Math.floor(now / this.tickMs);
    // Visit every slot passed since the last tick (at most one full turn).
    const from = this.lastTick + 1;
    const to = Math.min(nowTick, from + SLOTS - 1);
    // Unlink everything due first, then fire: a callback may arm or cancel other timers.
    const due = this.due;
    for (let tick = from; tick <= to; tick++) {
      let t = this.heads[tick % SLOTS] ?? null;
      while (t !== null) {
        const next = t.next;
        if (t.deadline <= now) {
          this.unlink(t);
          due.push(t);
        }
        t = next;
      }
    }
    for (let i = 0; i < due.length; i++) {
      const t = due[i]!;
      // Re-armed by an earlier callback in this batch: leave it for its new deadline.
      // Cancelled by an earlier callback: deadline is 0.
      if (t.slot !== -1 || t.deadline === 0) continue;
      t.deadline = 0;
      t.target.onTimer(t.kind);
    }
    due.length = 0;
    this.lastTick = nowTick;
    if (this.count === 0) this.stop();
  }
}
