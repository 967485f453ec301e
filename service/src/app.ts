import { type FastifyInstance } from "fastify";
import { type Logger } from "pino";
import { ConfigError, type ServiceConfig } from "./config";
import { loadBotDefinitions } from "./bots/load";
import { BotRegistry } from "./bots/registry";
import { createDigitalBotConnector, type DigitalBotConnector } from "./digital";
import { type LaterClock } from "./digital/clock";
import { createParticipantDataWriter } from "./handover/participantData";
import { createLogger } from "./observability/logger";
import { ServiceMetrics } from "./observability/metrics";
import { buildServer } from "./server";
import { createSessionStore } from "./sessions";
import { type SessionStore } from "./sessions/store";
import { UpstreamClient } from "./upstream/client";
import { resolveUpstreams } from "./upstream/endpoints";

export interface Service {
  app: FastifyInstance;
  registry: BotRegistry;
  store: SessionStore;
  metrics: ServiceMetrics;
  logger: Logger;
  /** The upstream agents' client, when a loaded bot has agents. */
  upstreams: UpstreamClient | undefined;
  /** The Digital Bot Connector's routes and replies that come later (GENESYS_PROTOCOL=v2). */
  digital: DigitalBotConnector | undefined;
  /** Stops accepting, answers the turns in flight, lets hand-over writes finish (briefly), then releases the store. */
  close(): Promise<void>;
}

export interface ServiceOverrides {
  logger?: Logger;
  store?: SessionStore;
  metrics?: ServiceMetrics;
  now?: () => Date;
  /** Monotonic clock of the turn budget (tests inject one). */
  clock?: () => number;
  /** The process's open-file limit (tests give one; otherwise read from the process). */
  openFileLimit?: number;
  /** Clock (milliseconds) of the upstream agents' circuit breakers; tests move it instead of waiting. */
  breakerClock?: () => number;
  /** The fetch used for upstream agents and the Genesys Platform API (tests wrap it). */
  fetch?: typeof fetch;
  /** The time source of the Digital Bot Connector's replies that come later (tests drive it). */
  laterClock?: LaterClock;
}

/** How long a stopping service lets replies that come later finish before it ends them Failed. */
const LATER_REPLIES_GRACE_MS = 4000;

/**
 * Wires configuration, bots, session store, metrics, upstream agents, hand-over context and the HTTP server.
 * Throws BotDefinitionError on bad bots, ConfigError when an upstream agent's environment is missing.
 */
export function createService(config: ServiceConfig, overrides: ServiceOverrides = {}): Service {
  const logger = overrides.logger ?? createLogger(config.logLevel);
  const bots = loadBotDefinitions(config.botsDir);
  const { endpoints, problems } = resolveUpstreams(
    bots.map((b) => b.definition),
    config.environment,
  );
  if (problems.length > 0) throw new ConfigError(problems);
  const registry = new BotRegistry(bots);
  const metrics = overrides.metrics ?? new ServiceMetrics();
  const upstreams = endpoints.size > 0 ? new UpstreamClient({ endpoints, metrics, fetch: overrides.fetch, now: overrides.breakerClock }) : undefined;
  const handoverConfig = config.handoverContext;
  const handover = handoverConfig
    ? createParticipantDataWriter(handoverConfig, { metrics, logger, ...(overrides.fetch ? { fetch: overrides.fetch } : {}) })
    : undefined;
  const store = overrides.store ?? createSessionStore(config, { onEvict: () => metrics.sessionsEvicted.inc() });
  const limits = {
    textMaxChars: config.turnTextMaxChars,
    parameters: { maxParameters: config.sessionLimits.maxParameters, parameterMaxChars: config.sessionLimits.parameterMaxChars },
  };
  const app = buildServer({
    registry,
    store,
    metrics,
    logger,
    verifyTokens: config.verifyTokens,
    verifyTokenHeader: config.verifyTokenHeader,
    turnBudgetMs: config.turnBudgetMs,
    bodyLimitBytes: config.bodyLimitBytes,
    requestTimeoutMs: config.requestTimeoutMs,
    keepAliveTimeoutMs: config.keepAliveTimeoutMs,
    maxConnections: config.maxConnections,
    limits,
    logCustomerText: config.logCustomerText,
    ...(overrides.now ? { now: overrides.now } : {}),
    ...(overrides.clock ? { clock: overrides.clock } : {}),
    ...(overrides.openFileLimit !== undefined ? { openFileLimit: overrides.openFileLimit } : {}),
    ...(upstreams ? { upstreams } : {}),
    ...(handover && handoverConfig
      ? { handover: { sink: handover, transcript: { turns: handoverConfig.transcriptTurns, textChars: handoverConfig.textChars } } }
      : {}),
  });
  const digital = config.digitalBotConnector
    ? createDigitalBotConnector(config.digitalBotConnector, {
        registry,
        store,
        metrics,
        logger,
        logCustomerText: config.logCustomerText,
        verifyTokens: config.verifyTokens,
        verifyTokenHeader: config.verifyTokenHeader,
        limits,
        ...(overrides.now ? { now: overrides.now } : {}),
        ...(overrides.clock ? { budgetClock: overrides.clock } : {}),
        ...(upstreams ? { upstreams } : {}),
        ...(handover && handoverConfig ? { handover, transcript: { turns: handoverConfig.transcriptTurns, textChars: handoverConfig.textChars } } : {}),
        ...(overrides.laterClock ? { clock: overrides.laterClock } : {}),
        ...(overrides.fetch ? { fetch: overrides.fetch } : {}),
      })
    : undefined;
  digital?.register(app);
  return {
    app,
    registry,
    store,
    metrics,
    logger,
    upstreams,
    digital,
    async close() {
      try {
        await app.close();
        await digital?.close(LATER_REPLIES_GRACE_MS);
        await handover?.close();
      } finally {
        await store.close();
      }
    },
  };
}
