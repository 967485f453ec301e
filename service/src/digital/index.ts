/**
 * The Digital Bot Connector (GENESYS_PROTOCOL=v2), wired: the manifest from the loaded bots, the turns, the
 * outgoing messages API with the service's OAuth client, and the routes. See docs/digital-bot-connector.md.
 */
import { randomUUID } from "node:crypto";
import { type FastifyInstance } from "fastify";
import { buildBotList } from "../bots/botList";
import { type DigitalBotConnectorConfig } from "../config";
import { digitalBotManifest } from "../protocol/v2/manifest";
import { type DigitalBotManifest } from "../protocol/v2/types";
import { createOutgoingMessagesApi, type OutgoingMessagesApi } from "../delivery/outgoing";
import { DeliveryQueue } from "../delivery/queue";
import { systemClock, type LaterClock } from "./clock";
import { DigitalMetrics } from "./metrics";
import { registerDigitalBotConnector } from "./routes";
import { DigitalTurns, type TurnServices } from "./turns";

export interface DigitalBotConnectorDeps extends TurnServices {
  verifyTokens: readonly string[];
  verifyTokenHeader: string;
  /** Replaces the time source of replies that come later (tests drive it). */
  clock?: LaterClock;
  /** The fetch used for the Platform API (tests wrap it). */
  fetch?: typeof fetch;
  /** Replaces the outgoing messages API. */
  outgoing?: OutgoingMessagesApi;
}

export interface DigitalBotConnector {
  manifest: DigitalBotManifest;
  turns: DigitalTurns;
  deliveries: DeliveryQueue;
  metrics: DigitalMetrics;
  /** Adds the routes to the service's server. */
  register(app: FastifyInstance): void;
  /** Lets replies in flight finish for at most `graceMs`, ends the rest Failed, then stops delivering. */
  close(graceMs: number): Promise<void>;
}

export function createDigitalBotConnector(config: DigitalBotConnectorConfig, deps: DigitalBotConnectorDeps): DigitalBotConnector {
  const clock = deps.clock ?? systemClock;
  const metrics = new DigitalMetrics(deps.metrics.registry);
  const manifest = digitalBotManifest(buildBotList(deps.registry.all().map((b) => b.definition)), config.provider);
  const deliveries = new DeliveryQueue({
    api: deps.outgoing ?? createOutgoingMessagesApi(config.api, deps.fetch),
    clock,
    metrics,
    serviceMetrics: deps.metrics,
    concurrency: config.deliveryConcurrency,
  });
  const { verifyTokens: _tokens, verifyTokenHeader: _header, clock: _clock, fetch: _fetch, outgoing: _outgoing, ...services } = deps;
  const turns = new DigitalTurns({ ...services, digitalMetrics: metrics, config, deliveries, clock, instanceId: randomUUID() });
  return {
    manifest,
    turns,
    deliveries,
    metrics,
    register(app) {
      registerDigitalBotConnector(app, { manifest, turns, metrics: deps.metrics, verifyTokens: deps.verifyTokens, verifyTokenHeader: deps.verifyTokenHeader });
    },
    close: (graceMs) => turns.close(graceMs),
  };
}
