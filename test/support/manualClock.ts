/**
 * A LaterClock for tests: time stands still until the test lets a wait end. Each wait is labelled with its reason
 * (reply window, progress, retry, grace), so a test says "the reply window has passed" or "the next retry is due"
 * instead of sleeping; `now()` moves to the released wait's due time. `waiting(reason)` resolves once something
 * waits for that reason, so a test can follow the service step by step without polling.
 */
import { type LaterClock, type WaitReason } from "../../service/src/digital/clock";

interface Timer {
  reason: WaitReason;
  ms: number;
  dueAt: number;
  resolve: (elapsed: boolean) => void;
}

export class ManualClock implements LaterClock {
  private current: number;
  private readonly timers: Timer[] = [];
  private readonly watchers: Array<{ reason: WaitReason; resolve: (ms: number) => void }> = [];
  /** Every wait asked for, in order: what a test asserts on (for example a Retry-After honoured). */
  readonly requested: Array<{ reason: WaitReason; ms: number }> = [];

  constructor(start = Date.UTC(2026, 0, 15, 9, 0, 0)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  wait(ms: number, reason: WaitReason, signal?: AbortSignal): Promise<boolean> {
    if (signal?.aborted) return Promise.resolve(false);
    this.requested.push({ reason, ms });
    return new Promise<boolean>((resolve) => {
      const timer: Timer = { reason, ms, dueAt: this.current + ms, resolve };
      this.timers.push(timer);
      signal?.addEventListener(
        "abort",
        () => {
          const at = this.timers.indexOf(timer);
          if (at >= 0) this.timers.splice(at, 1);
          resolve(false);
        },
        { once: true },
      );
      const at = this.watchers.findIndex((w) => w.reason === reason);
      if (at >= 0) this.watchers.splice(at, 1)[0]?.resolve(ms);
    });
  }

  /** How many waits for this reason are pending. */
  pending(reason: WaitReason): number {
    return this.timers.filter((t) => t.reason === reason).length;
  }

  /** Resolves (with the wait's length) once a wait for this reason is pending: at once if one already is. */
  waiting(reason: WaitReason): Promise<number> {
    const existing = this.timers.find((t) => t.reason === reason);
    if (existing) return Promise.resolve(existing.ms);
    return new Promise((resolve) => this.watchers.push({ reason, resolve }));
  }

  /** Ends the earliest pending wait for this reason as elapsed; throws when there is none. */
  release(reason: WaitReason): number {
    const due = this.timers.filter((t) => t.reason === reason).sort((a, b) => a.dueAt - b.dueAt)[0];
    if (!due) throw new Error(`nothing waits for ${reason} (pending: ${this.timers.map((t) => t.reason).join(", ") || "none"})`);
    this.timers.splice(this.timers.indexOf(due), 1);
    this.current = Math.max(this.current, due.dueAt);
    due.resolve(true);
    return due.ms;
  }

  /** Waits for the next wait of this reason and ends it. */
  async next(reason: WaitReason): Promise<number> {
    await this.waiting(reason);
    return this.release(reason);
  }

  /** Moves time forward without ending any wait (leases and deadlines see it). */
  advance(ms: number): void {
    this.current += ms;
  }
}
