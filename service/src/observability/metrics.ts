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
  | "conversation_mismatch"
  | "session_too_large"
  | "error";

/** The limits counted by `botconnector_limits_reached_total` (docs/robustness.md). */
export type LimitName =
  | "turn_text"
  | "session_parameters"
  | "session_parameter_chars"
  | "session_parameter_name"
  | "session_transcript"
  | "session_bytes";

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
  readonly limitsReached = new Counter({
    name: "botconnector_limits_reached_total",
    help: "Times a turn reached a limit and the service dropped, cut or refused something (docs/robustness.md), by limit",
    labelNames: ["limit"] as const,
    registers: [this.registry],
  });
  readonly turnsReplayed = new Counter({
    name: "botconnector_turns_replayed_total",
    help: "Turns answered with the answer already saved for them instead of running again: repeat (the same request again) or own_write (the turn's write landed but its answer was lost)",
    labelNames: ["reason"] as const,
    registers: [this.registry],
  });
  readonly conversationMismatches = new Counter({
    name: "botconnector_session_conversation_mismatches_total",
    help: "Turns refused because their botSessionId belongs to another genesysConversationId",
    registers: [this.registry],
  });
  readonly openConnections = new Gauge({
    name: "botconnector_open_connections",
    help: "Client connections open right now",
    registers: [this.registry],
  });
  readonly connectionLimit = new Gauge({
    name: "botconnector_connection_limit",
    help: "Most client connections the service keeps open (MAX_CONNECTIONS, lowered to fit the open-file limit)",
    registers: [this.registry],
  });
  readonly connectionsClosed = new Counter({
    name: "botconnector_connections_closed_total",
    help: "Client connections the service closed itself: silent (no byte within REQUEST_TIMEOUT_MS) or refused (at the connection limit)",
    labelNames: ["reason"] as const,
    registers: [this.registry],
  });
  readonly inFlight = new Gauge({
    name: "botconnector_turns_in_flight",
    help: "Turns being answered right now",
    registers: [this.registry],
  });

  readonly upstreamCalls = new Counter({
    name: "botconnector_upstream_calls_total",
    help: "Calls to upstream agents (retries included in one call), by agent (<bot>/<name>) and outcome",
    labelNames: ["upstream", "outcome"] as const,
    registers: [this.registry],
  });
  readonly upstreamDuration = new Histogram({
    name: "botconnector_upstream_call_duration_seconds",
    help: "Time of a call to an upstream agent, retries included",
    labelNames: ["upstream", "outcome"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10],
    registers: [this.registry],
  });
  readonly upstreamRetries = new Counter({
    name: "botconnector_upstream_retries_total",
    help: "Retried attempts of upstream calls, by agent and reason (connection_refused, status_429, status_503)",
    labelNames: ["upstream", "reason"] as const,
    registers: [this.registry],
  });
  readonly upstreamCircuitState = new Gauge({
    name: "botconnector_upstream_circuit_state",
    help: "Circuit breaker state per upstream agent: 0 closed, 1 open, 2 half-open",
    labelNames: ["upstream"] as const,
    registers: [this.registry],
  });
  readonly upstreamCircuitTransitions = new Counter({
    name: "botconnector_upstream_circuit_transitions_total",
    help: "Circuit breaker state changes per upstream agent, by new state",
    labelNames: ["upstream", "to"] as const,
    registers: [this.registry],
  });
  readonly handoverWrites = new Counter({
    name: "botconnector_handover_context_writes_total",
    help: "Hand-over context written to Genesys participant data (or not), by outcome",
    labelNames: ["outcome"] as const,
    registers: [this.registry],
  });
  readonly handoverDuration = new Histogram({
    name: "botconnector_handover_context_write_duration_seconds",
    help: "Time to write hand-over context (participant lookup and update, retries included)",
    labelNames: ["outcome"] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
    registers: [this.registry],
  });
  readonly handoverPending = new Gauge({
    name: "botconnector_handover_context_pending",
    help: "Hand-over context writes queued or in flight",
    registers: [this.registry],
  });
  readonly genesysApiRetries = new Counter({
    name: "botconnector_genesys_api_retries_total",
    help: "Genesys Cloud Platform API calls retried, by the status that caused it (network for no answer)",
    labelNames: ["status"] as const,
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
