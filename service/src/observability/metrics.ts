import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

/** Outcome label of a turn: the bot state, or why the service answered it itself. */
export type TurnOutcomeLabel =
  | "MoreData"
  | "Complete"
  | "Failed"
  | "unknown_bot"
  | "budget_exceeded"
  | "store_unavailable"
  | "conflict"
  | "error";

/** The service's Prometheus metrics, on a registry of their own (one per server, so tests stay apart). */
export class ServiceMetrics {
  readonly registry = new Registry();
  readonly turns = new Counter({
    name: "botconnector_turns_total",
    help: "Turns answered, by bot, version and outcome",
    labelNames: ["bot", "version", "outcome"] as const,
    registers: [this.registry],
  });
  readonly turnDuration = new Histogram({
    name: "botconnector_turn_duration_seconds",
    help: "Time from request to answer of a turn",
    labelNames: ["bot", "outcome"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 7.5, 10],
    registers: [this.registry],
  });
  readonly authFailures = new Counter({
    name: "botconnector_auth_failures_total",
    help: "Requests refused for a missing or wrong verify token",
    labelNames: ["reason"] as const,
    registers: [this.registry],
  });
  readonly validationFailures = new Counter({
    name: "botconnector_validation_failures_total",
    help: "Requests refused as malformed, by reason",
    labelNames: ["reason"] as const,
    registers: [this.registry],
  });
  readonly storeErrors = new Counter({
    name: "botconnector_session_store_errors_total",
    help: "Session store operations that failed, by operation and kind",
    labelNames: ["operation", "kind"] as const,
    registers: [this.registry],
  });
  readonly sessionsEvicted = new Counter({
    name: "botconnector_sessions_evicted_total",
    help: "Sessions dropped by the memory store to stay under its size cap",
    registers: [this.registry],
  });
  readonly inFlight = new Gauge({
    name: "botconnector_turns_in_flight",
    help: "Turns being answered right now",
    registers: [this.registry],
  });

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  private readonly turnSeries = new Map<string, { count: { inc(): void }; duration: { observe(value: number): void } }>();

  /** Counts a turn and its latency; the labelled series are looked up once per bot, version and outcome. */
  observeTurn(bot: string, version: string, outcome: TurnOutcomeLabel, seconds: number): void {
    const key = `${bot}\u0000${version}\u0000${outcome}`;
    let series = this.turnSeries.get(key);
    if (!series) {
      series = { count: this.turns.labels(bot, version, outcome), duration: this.turnDuration.labels(bot, outcome) };
      this.turnSeries.set(key, series);
    }
    series.count.inc();
    series.duration.observe(seconds);
  }
}
