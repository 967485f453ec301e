import { type FastifyInstance } from "fastify";
import { type Logger } from "pino";
import { type ServiceConfig } from "./config";
import { loadBotDefinitions } from "./bots/load";
import { BotRegistry } from "./bots/registry";
import { createLogger } from "./observability/logger";
import { ServiceMetrics } from "./observability/metrics";
import { buildServer } from "./server";
import { createSessionStore } from "./sessions";
import { type SessionStore } from "./sessions/store";

export interface Service {
  app: FastifyInstance;
  registry: BotRegistry;
  store: SessionStore;
  metrics: ServiceMetrics;
  logger: Logger;
  /** Stops accepting, answers the turns in flight, then releases the store. */
  close(): Promise<void>;
}

export interface ServiceOverrides {
  logger?: Logger;
  store?: SessionStore;
  metrics?: ServiceMetrics;
  now?: () => Date;
}

/** Wires configuration, bots, session store, metrics and the HTTP server. Throws BotDefinitionError on bad bots. */
export function createService(config: ServiceConfig, overrides: ServiceOverrides = {}): Service {
  const logger = overrides.logger ?? createLogger(config.logLevel);
  const registry = new BotRegistry(loadBotDefinitions(config.botsDir));
  const metrics = overrides.metrics ?? new ServiceMetrics();
  const store = overrides.store ?? createSessionStore(config, { onEvict: () => metrics.sessionsEvicted.inc() });
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
    logCustomerText: config.logCustomerText,
    ...(overrides.now ? { now: overrides.now } : {}),
  });
  return {
    app,
    registry,
    store,
    metrics,
    logger,
    async close() {
      try {
        await app.close();
      } finally {
        await store.close();
      }
    },
  };
}
