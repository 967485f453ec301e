/**
 * Time in the tests. The rule (README, "Tests and CI"): no test asserts a speed; speed is measured by
 * `npm run bench`. A test about time uses a clock it moves itself where the code takes one, and waits on events
 * (an answer, a log line, a gauge) instead of sleeping. Where real timers are the subject (a turn budget, a
 * connection timeout, a store cut off), the test makes the other outcome impossible (the slow part never answers)
 * and bounds only what it configured itself: at least the configured time less TIMER_SLACK_MS, at most the
 * configured time plus LOAD_TOLERANCE_MS.
 */

/**
 * How late a timer-driven answer may come on a loaded machine: both cores saturated by other processes (load
 * average 6 to 20 on 2 cores), a jest worker gets a fraction of a core and its event loop falls behind by up to a
 * few seconds. Budgets and timeouts in the tests are far smaller than the failure they guard against (a hang), so
 * this bound never hides one.
 */
export const LOAD_TOLERANCE_MS = 5_000;

/** Timers never fire early, but comparing one clock's reading with another's can make them look a little early. */
export const TIMER_SLACK_MS = 20;

/**
 * A budget or timeout for work that is not the subject of a test but has to fit in one (ordinary turns, a bot's
 * answer to the emulator): large enough that a loaded machine never reaches it.
 */
export const UNHURRIED_MS = 10_000;

/** Longer than any test runs: how long a fake that "never answers" takes (its timers are cleared when it closes). */
export const NEVER_MS = 600_000;

/**
 * How long a started process (the service, `npm start`) may take to say where it listens before a test gives up on
 * it: seconds on a quiet machine (tsx compiles the service first), ten times that on a saturated one. It only turns
 * a process that never starts into a readable failure before jest's own timeout.
 */
export const PROCESS_START_MS = 120_000;

/**
 * Polls `check` until it returns something other than false, undefined or null, and returns that. The bound is
 * for reporting a hang with a readable message before jest's own timeout, not a speed requirement.
 */
export async function eventually<T>(check: () => T | Promise<T>, what: string, withinMs = 60_000): Promise<Exclude<T, false | undefined | null>> {
  const deadline = performance.now() + withinMs;
  for (;;) {
    const value = await check();
    if (value !== false && value !== undefined && value !== null) return value as Exclude<T, false | undefined | null>;
    if (performance.now() > deadline) throw new Error(`still waiting after ${withinMs} ms for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
