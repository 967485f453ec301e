import { Counter, Gauge, Histogram, type Registry } from "prom-client";

/** How a Digital Bot Connector message was answered (label of `botconnector_dbc_messages_total`). */
export type MessageOutcome =
  /** answered in the same call */
  | "answered"
  /** answered `MoreData` at once; the outcome follows through the outgoing messages API */
  | "deferred"
  /** a retry of a message already answered: the same answer again, no second step */
  | "replayed"
  /** another message of the session is still being answered later: not processed */
  | "busy"
  /** outlasted the reply window while the task already had DBC_MAX_DEFERRED turns answered later: ended Failed */
  | "over_limit"
  | "unknown_bot"
  | "store_unavailable"
  | "error";

/** What became of one outgoing message (label `result` of `botconnector_dbc_deliveries_total`). */
export type DeliveryResult =
  | "delivered"
  /** 409 session.already.closed / session.not.found: the session is gone; its state is dropped */
  | "session_closed"
  | "session_not_found"
  /** 409 integration.not.active: the integration is deactivated */
  | "integration_inactive"
  /** 409 session.bot.id.mismatch / session.bot.version.mismatch: a bug, never retried */
  | "mismatch"
  /** another 4xx: the body was refused */
  | "rejected"
  /** 429, 5xx or no answer until the delivery's deadline */
  | "gave_up"
  /** dropped unsent: a progress message the outcome overtook, or the session ended first */
  | "dropped";

export type DeliveryKind = "outcome" | "progress" | "abandoned";

/** The Digital Bot Connector's metrics, on the service's registry. */
export class DigitalMetrics {
  readonly messages: Counter<"outcome">;
  readonly deliveries: Counter<"kind" | "result">;
  readonly deliveryLatency: Histogram<"kind">;
  readonly deferred: Gauge;
  readonly abandoned: Counter<"reason">;

  constructor(registry: Registry) {
    this.messages = new Counter({
      name: "botconnector_dbc_messages_total",
      help: "Digital Bot Connector messages, by how they were answered",
      labelNames: ["outcome"] as const,
      registers: [registry],
    });
    this.deliveries = new Counter({
      name: "botconnector_dbc_deliveries_total",
      help: "Messages sent through the outgoing messages API (or not), by kind and result",
      labelNames: ["kind", "result"] as const,
      registers: [registry],
    });
    this.deliveryLatency = new Histogram({
      name: "botconnector_dbc_delivery_seconds",
      help: "From the customer's message to the delivery of a reply that came later, by kind",
      labelNames: ["kind"] as const,
      buckets: [0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300, 600],
      registers: [registry],
    });
    this.deferred = new Gauge({
      name: "botconnector_dbc_deferred_turns",
      help: "Turns answered later that are still running or delivering on this task",
      registers: [registry],
    });
    this.abandoned = new Counter({
      name: "botconnector_dbc_abandoned_total",
      help: "Replies that come later and were abandoned, by reason (stopping, lease_expired)",
      labelNames: ["reason"] as const,
      registers: [registry],
    });
  }
}
