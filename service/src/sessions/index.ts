import { type ServiceConfig } from "../config";
import { MemorySessionStore } from "./memoryStore";
import { type SessionStore } from "./store";
import type * as DynamoStoreModule from "./dynamoStore";

type DynamoModule = typeof DynamoStoreModule;

export interface SessionStoreHooks {
  onEvict?: (sessionId: string) => void;
}

/** The session store the configuration asks for. */
export function createSessionStore(config: ServiceConfig, hooks: SessionStoreHooks = {}): SessionStore {
  switch (config.sessionStore) {
    case "memory":
      return new MemorySessionStore({
        maxSessions: config.maxSessions,
        maxSessionBytes: config.sessionLimits.maxBytes,
        ...(hooks.onEvict ? { onEvict: hooks.onEvict } : {}),
      });
    case "dynamodb":
      if (!config.sessionTable) throw new Error("SESSION_TABLE must name the DynamoDB table when SESSION_STORE=dynamodb");
    {
      // Loaded only when used: the AWS SDK is a tenth of the memory-store service's start-up time.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { DynamoSessionStore } = require("./dynamoStore") as DynamoModule;
      // Region, endpoint (AWS_ENDPOINT_URL_DYNAMODB) and credentials come from the AWS SDK's own environment.
      return new DynamoSessionStore({ tableName: config.sessionTable, turnBudgetMs: config.turnBudgetMs, maxSessionBytes: config.sessionLimits.maxBytes });
    }
  }
}
