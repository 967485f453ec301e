import { randomBytes } from "node:crypto";
import path from "node:path";

/** The service's settings, read once from the environment (names are the contract of ARCHITECTURE.md). */
export interface ServiceConfig {
  port: number;
  host: string;
  logLevel: string;
  /** Accepted verify tokens; several during a rotation. */
  verifyTokens: string[];
  /** Header carrying the token (compared without case, as HTTP header names are). */
  verifyTokenHeader: string;
  botsDir: string;
  sessionStore: "memory" | "dynamodb";
  sessionTable: string | undefined;
  /** The longest a turn may take before it is answered `Failed`. */
  turnBudgetMs: number;
  /** Sessions kept by the memory store before the least recently used is dropped. */
  maxSessions: number;
  /** Largest request body accepted, in bytes. */
  bodyLimitBytes: number;
  /** Longest a client may take to send a whole request (slow or stalled clients get 408). */
  requestTimeoutMs: number;
  /** Customer text appears in logs only when this is set. */
  logCustomerText: boolean;
  /** Local mode: a generated verify token when none is configured. */
  localMode: boolean;
  /** The token was generated here (local mode), so it may be printed once at start-up. */
  generatedToken: boolean;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`the service cannot start:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function flag(value: string | undefined): boolean {
  return value !== undefined && /^(1|true|yes|on)$/i.test(value.trim());
}

/** Reads and checks the environment; one ConfigError lists every problem. Never echoes a token. */
export function loadConfig(env: NodeJS.ProcessEnv, cwd = process.cwd()): ServiceConfig {
  const problems: string[] = [];
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === "") return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  };

  const localMode = flag(env.LOCAL_MODE);
  let verifyTokens = (env.VERIFY_TOKEN ?? "")
    .split(",")
    .map((t) => t.trim())
    .filter((t) => t !== "");
  let generatedToken = false;
  if (verifyTokens.length === 0) {
    if (localMode) {
      verifyTokens = [randomBytes(24).toString("base64url")];
      generatedToken = true;
    } else {
      problems.push(
        "VERIFY_TOKEN is not set: Genesys authenticates every turn with this token (the Bot Connector integration's credential). " +
          "Set it to the integration's token (several, comma-separated, during a rotation), or set LOCAL_MODE=true to run locally with a generated one.",
      );
    }
  }
  const shortToken = verifyTokens.findIndex((t) => t.length < 16);
  if (shortToken >= 0 && !generatedToken) {
    problems.push(`VERIFY_TOKEN: token #${shortToken + 1} is shorter than 16 characters; use a long random token`);
  }

  const verifyTokenHeader = (env.VERIFY_TOKEN_HEADER ?? "verify-token").trim().toLowerCase();
  if (!HEADER_NAME.test(verifyTokenHeader)) problems.push(`VERIFY_TOKEN_HEADER "${env.VERIFY_TOKEN_HEADER}" is not a valid HTTP header name`);

  const logLevel = (env.LOG_LEVEL ?? "info").trim().toLowerCase();
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}, got "${env.LOG_LEVEL}"`);

  const storeRaw = (env.SESSION_STORE ?? "memory").trim().toLowerCase();
  let sessionStore: ServiceConfig["sessionStore"] = "memory";
  if (storeRaw === "memory" || storeRaw === "dynamodb") sessionStore = storeRaw;
  else problems.push(`SESSION_STORE must be "memory" or "dynamodb", got "${env.SESSION_STORE}"`);
  const sessionTable = env.SESSION_TABLE?.trim() || undefined;
  if (sessionStore === "dynamodb" && !sessionTable) problems.push("SESSION_TABLE must name the DynamoDB table when SESSION_STORE=dynamodb");

  const config: ServiceConfig = {
    port: int("PORT", 8080, 0, 65535),
    host: env.HOST?.trim() || "0.0.0.0",
    logLevel,
    verifyTokens,
    verifyTokenHeader,
    botsDir: path.resolve(cwd, env.BOTS_DIR?.trim() || path.join("service", "bots")),
    sessionStore,
    sessionTable,
    turnBudgetMs: int("TURN_BUDGET_MS", 5000, 100, 60_000),
    maxSessions: int("MAX_SESSIONS", 100_000, 1, 100_000_000),
    bodyLimitBytes: int("BODY_LIMIT_BYTES", 64 * 1024, 1024, 10 * 1024 * 1024),
    requestTimeoutMs: int("REQUEST_TIMEOUT_MS", 10_000, 500, 120_000),
    logCustomerText: flag(env.LOG_CUSTOMER_TEXT),
    localMode,
    generatedToken,
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
