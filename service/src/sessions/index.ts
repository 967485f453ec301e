import { type ServiceConfig } from "../config";
import { DynamoSessionStore } from "./dynamoStore";
import { MemorySessionStore } from "./memoryStore";
import { type SessionStore } from "./store";

export interface SessionStoreHooks {
  onEvict?: (sessionId: string) => void;
}

/** The session store the configuration asks for. */
export function createSessionStore(config: ServiceConfig, hooks: SessionStoreHooks = {}): SessionStore {
  switch (config.sessionStore) {
    case "memory":
      return new MemorySessionStore({ maxSessions: config.maxSessions, ...(hooks.onEvict ? { onEvict: hooks.onEvict } : {}) });
    case "dynamodb":
      if (!config.sessionTable) throw new Error("SESSION_TABLE must name the DynamoDB table when SESSION_STORE=dynamodb");
      // Region, endpoint (AWS_ENDPOINT_URL_DYNAMODB) and credentials come from the AWS SDK's own environment.
      return new DynamoSessionStore({ tableName: config.sessionTable, turnBudgetMs: config.turnBudgetMs });
  }
}
