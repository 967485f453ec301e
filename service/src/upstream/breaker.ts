/**
 * A circuit breaker per upstream agent (per process), so an agent that is down is not hammered and turns fail
 * fast instead of each waiting out a timeout:
 *
 * - closed: calls go out; `failureThreshold` failed calls in a row open the circuit (a success resets the count);
 * - open: calls are refused at once (`UPSTREAM_CIRCUIT_OPEN`) for `openMs`;
 * - half-open: after `openMs` one trial call goes out (others are still refused while it runs); its success
 *   closes the circuit, its failure opens it again for another `openMs`.
 *
 * A call cut short by the turn's own budget (not by the agent's timeout) says nothing about the agent: it is
 * released without counting.
 */
export type CircuitState = "closed" | "open" | "half-open";

export interface BreakerOptions {
  failureThreshold: number;
  openMs: number;
  now?: () => number;
  onTransition?: (to: CircuitState) => void;
}

export class CircuitBreaker {
  private current: CircuitState = "closed";
  private failures = 0;
  private openedAt = 0;
  private probing = false;
  private readonly now: () => number;

  constructor(private readonly options: BreakerOptions) {
    this.now = options.now ?? Date.now;
  }

  get state(): CircuitState {
    return this.current;
  }

  /** Whether a call may go out now. Every `true` must be followed by exactly one success, failure or release. */
  tryAcquire(): boolean {
    if (this.current === "open") {
      if (this.now() - this.openedAt < this.options.openMs) return false;
      this.transition("half-open");
    }
    if (this.current === "half-open") {
      if (this.probing) return false;
      this.probing = true;
    }
    return true;
  }

  success(): void {
    this.failures = 0;
    this.probing = false;
    if (this.current !== "closed") this.transition("closed");
  }

  failure(): void {
    this.probing = false;
    if (this.current === "half-open") {
      this.open();
      return;
    }
    this.failures++;
    if (this.current === "closed" && this.failures >= this.options.failureThreshold) this.open();
  }

  /** The call ended without saying anything about the agent (the turn ran out of time): let another try. */
  release(): void {
    this.probing = false;
  }

  private open(): void {
    this.openedAt = this.now();
    this.failures = 0;
    this.transition("open");
  }

  private transition(to: CircuitState): void {
    this.current = to;
    this.options.onTransition?.(to);
  }
}
