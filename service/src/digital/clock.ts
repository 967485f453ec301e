import { setTimeout as delay } from "node:timers/promises";

/** Why the Digital Bot Connector waits: tests release each kind of wait on purpose instead of sleeping. */
export type WaitReason = "reply-window" | "progress" | "retry" | "grace";

/**
 * The time source of replies that come later: the reply window, progress messages, delivery retries, leases and
 * deadlines. Injected, so tests drive it with events rather than wall-clock time.
 */
export interface LaterClock {
  /** Epoch milliseconds. */
  now(): number;
  /** Resolves `true` after `ms`, or `false` as soon as `signal` aborts. */
  wait(ms: number, reason: WaitReason, signal?: AbortSignal): Promise<boolean>;
}

export const systemClock: LaterClock = {
  now: () => Date.now(),
  async wait(ms, _reason, signal) {
    if (signal?.aborted) return false;
    try {
      await delay(Math.max(0, ms), undefined, { signal, ref: false });
      return true;
    } catch {
      return false;
    }
  },
};
