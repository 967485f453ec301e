/**
 * Delivers outgoing messages: one at a time per bot session, in the order they were queued (Genesys documents no
 * ordering of its own, so the next message waits for the previous one's answer), at most `concurrency` calls in
 * flight across sessions, each retried on 429 (after its Retry-After), 5xx and no answer until its deadline, and
 * never after the session is known to be gone. Every delivery ends in one result, counted and logged with the
 * session's ids; bodies are never logged (they carry what the bot says to the customer).
 */
import { DEFAULT_RETRY_POLICY, retryDelayMs, type RetryPolicy } from "../genesys";
import { type TurnLogger } from "../observability/logger";
import { type ServiceMetrics } from "../observability/metrics";
import { type OutgoingConflict, type OutgoingMessageRequest } from "../protocol/v2/types";
import { type LaterClock } from "../digital/clock";
import { type DeliveryKind, type DeliveryResult, type DigitalMetrics } from "../digital/metrics";
import { classifySendError, type OutgoingMessagesApi } from "./outgoing";

export interface Delivery {
  /** The bot session: its deliveries go out one at a time, in queue order. */
  session: string;
  kind: DeliveryKind;
  body: OutgoingMessageRequest;
  /** Epoch milliseconds after which the delivery is not tried again. */
  deadline: number;
  /** When the customer's message arrived (epoch ms), for the latency metric. */
  since: number;
  /** Nothing is sent before this settles: the HTTP answer of the same message goes out first. */
  after?: Promise<unknown>;
  log: TurnLogger;
}

export interface DeliveryOutcome {
  result: DeliveryResult;
  attempts: number;
  messageId?: string;
  conflict?: OutgoingConflict;
  reason?: string;
}

export interface DeliveryQueueOptions {
  api: OutgoingMessagesApi;
  clock: LaterClock;
  metrics: DigitalMetrics;
  serviceMetrics: ServiceMetrics;
  /** Calls in flight at once. */
  concurrency: number;
  retry?: Partial<RetryPolicy>;
  random?: () => number;
}

interface Entry {
  delivery: Delivery;
  resolve: (outcome: DeliveryOutcome) => void;
  started: boolean;
  dropped: boolean;
}

/** Results after which the session's other deliveries are pointless: Genesys has closed it or refuses it. */
const SESSION_OVER: ReadonlySet<DeliveryResult> = new Set(["session_closed", "session_not_found", "integration_inactive"]);

export class DeliveryQueue {
  private readonly sessions = new Map<string, Entry[]>();
  private readonly policy: RetryPolicy;
  private inFlight = 0;
  private readonly slots: Array<() => void> = [];
  private readonly idleWaiters: Array<() => void> = [];
  private readonly sizeWaiters: Array<{ size: number; resolve: () => void }> = [];
  private readonly stopping = new AbortController();

  constructor(private readonly options: DeliveryQueueOptions) {
    this.policy = { ...DEFAULT_RETRY_POLICY, maxAttempts: Number.POSITIVE_INFINITY, ...options.retry };
  }

  /** Deliveries queued or in flight. */
  get size(): number {
    let n = 0;
    for (const q of this.sessions.values()) n += q.length;
    return n;
  }

  /** Queues a delivery; resolves once it is delivered or given up (never rejects). */
  send(delivery: Delivery): Promise<DeliveryOutcome> {
    const outcome = new Promise<DeliveryOutcome>((resolve) => {
      const entry: Entry = { delivery, resolve, started: false, dropped: false };
      const queue = this.sessions.get(delivery.session);
      if (queue) {
        queue.push(entry);
        return;
      }
      const fresh = [entry];
      this.sessions.set(delivery.session, fresh);
      void this.drain(delivery.session, fresh);
    });
    const size = this.size;
    for (const waiter of [...this.sizeWaiters]) {
      if (size >= waiter.size) {
        this.sizeWaiters.splice(this.sizeWaiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
    return outcome;
  }

  /** Resolves once at least `size` deliveries are queued or in flight (for diagnostics and tests). */
  whenQueued(size: number): Promise<void> {
    if (this.size >= size) return Promise.resolve();
    return new Promise((resolve) => this.sizeWaiters.push({ size, resolve }));
  }

  /** Drops the session's deliveries of this kind that have not started (progress messages the outcome overtook). */
  dropWaiting(session: string, kind: DeliveryKind): void {
    for (const entry of this.sessions.get(session) ?? []) if (!entry.started && entry.delivery.kind === kind) entry.dropped = true;
  }

  /** Resolves when nothing is queued or in flight. */
  idle(): Promise<void> {
    if (this.sessions.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops retrying: waits end at once and every delivery not yet delivered gives up. */
  stop(): void {
    this.stopping.abort();
  }

  private async drain(session: string, queue: Entry[]): Promise<void> {
    while (queue.length > 0) {
      const entry = queue[0] as Entry;
      entry.started = true;
      const outcome = entry.dropped ? { result: "dropped" as const, attempts: 0, reason: "overtaken or the session ended" } : await this.deliver(entry.delivery);
      queue.shift();
      this.record(entry.delivery, outcome);
      entry.resolve(outcome);
      if (SESSION_OVER.has(outcome.result)) for (const rest of queue) rest.dropped = true;
    }
    this.sessions.delete(session);
    if (this.sessions.size === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private async deliver(delivery: Delivery): Promise<DeliveryOutcome> {
    await delivery.after?.catch(() => undefined);
    let body = delivery.body;
    let resentWithoutErrorInfo = false;
    for (let attempt = 1; ; attempt++) {
      if (this.stopping.signal.aborted) return { result: "gave_up", attempts: attempt - 1, reason: "the service is stopping" };
      await this.acquire();
      let failure: ReturnType<typeof classifySendError>;
      try {
        const sent = await this.options.api.send(body, this.stopping.signal);
        return { result: "delivered", attempts: attempt, ...(sent.messageId ? { messageId: sent.messageId } : {}) };
      } catch (err) {
        failure = classifySendError(err, body, this.options.clock.now());
      } finally {
        this.release();
      }
      if (failure.kind === "withoutErrorInfo" && !resentWithoutErrorInfo) {
        resentWithoutErrorInfo = true;
        const { errorInfo: _dropped, ...rest } = body;
        body = rest;
        delivery.log.warn({ kind: delivery.kind, attempt }, `outgoing message refused with errorInfo (${failure.reason}); sending it again without errorInfo`);
        continue;
      }
      if (failure.kind !== "retry") {
        const final = failure.kind === "final" ? failure : { result: "rejected" as const, reason: failure.reason };
        return { result: final.result, attempts: attempt, reason: final.reason, ...("conflict" in final && final.conflict ? { conflict: final.conflict } : {}) };
      }
      const wait = retryDelayMs(attempt, this.policy, failure.retryAfterMs, this.options.random);
      if (this.options.clock.now() + wait > delivery.deadline) {
        return { result: "gave_up", attempts: attempt, reason: `${failure.reason}; no retry fits before the delivery's deadline` };
      }
      this.options.serviceMetrics.genesysApiRetries.inc({ status: failure.status === undefined ? "network" : String(failure.status) });
      if (!(await this.options.clock.wait(wait, "retry", this.stopping.signal))) return { result: "gave_up", attempts: attempt, reason: "the service is stopping" };
    }
  }

  private record(delivery: Delivery, outcome: DeliveryOutcome): void {
    const { metrics, clock } = this.options;
    metrics.deliveries.inc({ kind: delivery.kind, result: outcome.result });
    const fields = { kind: delivery.kind, result: outcome.result, attempts: outcome.attempts, ...(outcome.messageId ? { messageId: outcome.messageId } : {}) };
    if (outcome.result === "delivered") {
      const seconds = Math.max(0, clock.now() - delivery.since) / 1000;
      metrics.deliveryLatency.observe({ kind: delivery.kind }, seconds);
      delivery.log.info({ ...fields, latencyMs: Math.round(seconds * 1000) }, "reply delivered through the outgoing messages API");
    } else if (outcome.result === "dropped") {
      delivery.log.info({ ...fields, reason: outcome.reason }, "reply not sent");
    } else if (outcome.result === "mismatch" || outcome.result === "integration_inactive" || outcome.result === "rejected") {
      delivery.log.error({ ...fields, reason: outcome.reason }, "reply refused by Genesys");
    } else {
      delivery.log.warn({ ...fields, reason: outcome.reason }, "reply not delivered");
    }
  }

  private acquire(): Promise<void> {
    if (this.inFlight < this.options.concurrency) {
      this.inFlight++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.slots.push(resolve));
  }

  private release(): void {
    const next = this.slots.shift();
    if (next) next();
    else this.inFlight--;
  }
}
