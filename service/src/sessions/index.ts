import { type ServiceConfig } from "../config";
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
      throw new Error("SESSION_STORE=dynamodb is not available in this build yet");
  }
}
