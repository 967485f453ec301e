import { randomBytes } from "node:crypto";
import path from "node:path";
import { isGenesysRegion, platformUrls } from "./genesys/regions";
import { providerProblem } from "./protocol/v2/manifest";
import { outboundUrl } from "./urls";
import { DEFAULT_SESSION_MAX_BYTES, MAX_RECORD_BYTES } from "./sessions/store";

/** The manifest's `provider` when DBC_BOT_PROVIDER is not set. */
export const DEFAULT_BOT_PROVIDER = "Genesys virtual agent";

/** The service's own Genesys Cloud OAuth client (client credentials) and the org's hosts. */
export interface GenesysApiConfig {
  clientId: string;
  clientSecret: string;
  /** `https://api.<region domain>` (or GENESYS_API_BASE_URL). */
  apiBaseUrl: string;
  /** `https://login.<region domain>` (or GENESYS_LOGIN_BASE_URL). */
  loginBaseUrl: string;
}

/** Hand-over context in participant data (HANDOVER_CONTEXT=participant-data); see docs/handover-context.md. */
export interface HandoverContextConfig extends GenesysApiConfig {
  /** Prefix of the attribute names written. */
  prefix: string;
  /** Turns kept in the transcript. */
  transcriptTurns: number;
  /** Longest text of one message in the transcript. */
  textChars: number;
  /** Longest attribute value written. */
  valueChars: number;
  /** Deadline of one write (lookup and update, retries included), after the answer. */
  timeoutMs: number;
  /** Writes in flight at once (further ones queue). */
  concurrency: number;
}

/** Bounds on what a session keeps (docs/robustness.md). */
export interface SessionLimits {
  /** Largest serialised session (state, last answer, notes), in bytes. */
  maxBytes: number;
  /** Most Architect session variables (request `parameters`) kept; new names beyond it are dropped. */
  maxParameters: number;
  /** Longest parameter value kept, in characters; a longer one is dropped, not cut. */
  parameterMaxChars: number;
}

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
  /** Longest a client may take to send a whole request (slow or stalled clients get 408); a connection silent that long is closed. */
  requestTimeoutMs: number;
  /** How long an idle keep-alive connection stays open; above the load balancer's idle timeout. */
  keepAliveTimeoutMs: number;
  /** Most open client connections; fewer when the process's open-file limit leaves less room. */
  maxConnections: number;
  /** Longest customer text one turn processes; the rest of a longer message is dropped. */
  turnTextMaxChars: number;
  sessionLimits: SessionLimits;
  /** Customer text appears in logs only when this is set. */
  logCustomerText: boolean;
  /** Local mode: a generated verify token when none is configured. */
  localMode: boolean;
  /** The token was generated here (local mode), so it may be printed once at start-up. */
  generatedToken: boolean;
  /** Hand-over context written to Genesys participant data; off when undefined. */
  handoverContext: HandoverContextConfig | undefined;
  /** The Genesys protocol the deployment speaks (GENESYS_PROTOCOL): v1 the Bot Connector, v2 the Digital Bot Connector. */
  genesysProtocol: GenesysProtocol;
  /** The Digital Bot Connector's routes and replies that come later; present with GENESYS_PROTOCOL=v2. */
  digitalBotConnector: DigitalBotConnectorConfig | undefined;
  /**
   * The environment as read at start, for values bot definitions name (their upstream agents' URLs and secrets),
   * which are checked once the bots are loaded.
   */
  environment: Readonly<Record<string, string | undefined>>;
}

export const GENESYS_PROTOCOLS = ["v1", "v2"] as const;
export type GenesysProtocol = (typeof GENESYS_PROTOCOLS)[number];

/** GENESYS_PROTOCOL=v2: the Digital Bot Connector; see docs/digital-bot-connector.md. */
export interface DigitalBotConnectorConfig {
  /** `provider` of every bot in the manifest (Genesys reports on it). */
  provider: string;
  /** How long a turn may take before it is answered `MoreData` at once and its outcome is sent later. */
  replyWindowMs: number;
  /** The longest a turn answered later may run; past it the turn ends `Failed`, sent like any later reply. */
  laterBudgetMs: number;
  /** How long the replies of one turn are retried (429, 5xx, no answer); never past the bot session's life. */
  deliveryTimeoutMs: number;
  /** Turns answered later that may run at once on this task; one more that outlasts the window ends `Failed` at once. */
  maxDeferred: number;
  /** Outgoing messages API calls in flight at once (the rest wait their turn). */
  deliveryConcurrency: number;
  /** The OAuth client that sends replies that come later (it needs integration:botconnector:send). */
  api: GenesysApiConfig;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`the service cannot start:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Above the load balancer's default idle timeout (60 s), so it never reuses a connection the service just closed. */
export const DEFAULT_KEEP_ALIVE_TIMEOUT_MS = 65_000;
/** Client connections a task keeps open at most (docs/robustness.md: sized with the task's open-file limit). */
export const DEFAULT_MAX_CONNECTIONS = 8192;

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];
/** An HTTP header name (RFC 9110 token): what the verify token's header may be called. */
export const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

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

  const handoverContext = readHandoverContext(env, int, problems);
  const protocolRaw = (env.GENESYS_PROTOCOL ?? "v1").trim().toLowerCase() || "v1";
  const genesysProtocol: GenesysProtocol = (GENESYS_PROTOCOLS as readonly string[]).includes(protocolRaw) ? (protocolRaw as GenesysProtocol) : "v1";
  if (protocolRaw !== genesysProtocol) problems.push(`GENESYS_PROTOCOL must be v1 (Bot Connector) or v2 (Digital Bot Connector), got "${env.GENESYS_PROTOCOL}"`);
  const digitalBotConnector = genesysProtocol === "v2" ? readDigitalBotConnector(env, int, problems, handoverContext) : undefined;

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
    keepAliveTimeoutMs: int("KEEP_ALIVE_TIMEOUT_MS", DEFAULT_KEEP_ALIVE_TIMEOUT_MS, 1_000, 4_005_000),
    maxConnections: int("MAX_CONNECTIONS", DEFAULT_MAX_CONNECTIONS, 16, 1_000_000),
    turnTextMaxChars: int("TURN_TEXT_MAX_CHARS", 4000, 100, 32_000),
    sessionLimits: {
      maxBytes: int("SESSION_MAX_BYTES", DEFAULT_SESSION_MAX_BYTES, 8 * 1024, MAX_RECORD_BYTES),
      maxParameters: int("SESSION_MAX_PARAMETERS", 50, 0, 200),
      parameterMaxChars: int("SESSION_PARAMETER_MAX_CHARS", 1024, 16, 32_000),
    },
    logCustomerText: flag(env.LOG_CUSTOMER_TEXT),
    localMode,
    generatedToken,
    handoverContext,
    genesysProtocol,
    digitalBotConnector,
    environment: Object.freeze({ ...env }),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

const HANDOVER_MODES = ["off", "participant-data"];

function readHandoverContext(
  env: NodeJS.ProcessEnv,
  int: (name: string, fallback: number, min: number, max: number) => number,
  problems: string[],
): HandoverContextConfig | undefined {
  const mode = (env.HANDOVER_CONTEXT ?? "off").trim().toLowerCase() || "off";
  if (!HANDOVER_MODES.includes(mode)) {
    problems.push(`HANDOVER_CONTEXT must be one of ${HANDOVER_MODES.join(", ")}, got "${env.HANDOVER_CONTEXT}"`);
    return undefined;
  }
  if (mode === "off") return undefined;
  const api = readGenesysApi(env, problems, { feature: "HANDOVER_CONTEXT=participant-data", use: "writes" });

  const prefix = env.HANDOVER_CONTEXT_PREFIX ?? "virtualAgent.context.";
  if (!/^[A-Za-z0-9_.-]{0,100}$/.test(prefix)) problems.push(`HANDOVER_CONTEXT_PREFIX must be letters, digits, ".", "_" or "-" (at most 100), got "${prefix}"`);
  return {
    ...api,
    prefix,
    transcriptTurns: int("HANDOVER_CONTEXT_TURNS", 10, 0, 100),
    textChars: int("HANDOVER_CONTEXT_TEXT_CHARS", 200, 20, 4000),
    valueChars: int("HANDOVER_CONTEXT_VALUE_CHARS", 2000, 100, 32000),
    timeoutMs: int("HANDOVER_CONTEXT_TIMEOUT_MS", 10_000, 500, 60_000),
    concurrency: int("HANDOVER_CONTEXT_CONCURRENCY", 4, 1, 64),
  };
}

/**
 * The service's OAuth client and the org's hosts, for a feature that calls the Platform API. Problems name the
 * feature that needs them (`use`: what it does through the client).
 */
function readGenesysApi(env: NodeJS.ProcessEnv, problems: string[], needs: { feature: string; use: string }): GenesysApiConfig {
  const clientId = env.GENESYS_CLIENT_ID?.trim() ?? "";
  const clientSecret = env.GENESYS_CLIENT_SECRET?.trim() ?? "";
  if (clientId === "") problems.push(`GENESYS_CLIENT_ID is not set: ${needs.feature} ${needs.use} through the service's Genesys OAuth client`);
  if (clientSecret === "") problems.push(`GENESYS_CLIENT_SECRET is not set: ${needs.feature} needs the OAuth client's secret`);

  const region = env.GENESYS_REGION?.trim() ?? "";
  const regional = region !== "" && isGenesysRegion(region) ? platformUrls(region) : undefined;
  if (region !== "" && !regional) problems.push(`GENESYS_REGION "${region}" is not a Genesys Cloud region (for example eu-central-1, us-east-1)`);
  const hostUrl = (name: "GENESYS_API_BASE_URL" | "GENESYS_LOGIN_BASE_URL", fallback: string | undefined): string | undefined => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const checked = outboundUrl(raw);
    if ("problem" in checked) problems.push(`${name} ${checked.problem}`);
    return "url" in checked ? checked.url.origin : "";
  };
  // The base URLs override the region's hosts (a proxy, or a local fake in tests).
  const apiBaseUrl = hostUrl("GENESYS_API_BASE_URL", regional?.apiBaseUrl);
  const loginBaseUrl = hostUrl("GENESYS_LOGIN_BASE_URL", regional?.loginBaseUrl);
  if ((apiBaseUrl === undefined || loginBaseUrl === undefined) && region === "") {
    problems.push(`GENESYS_REGION is not set: ${needs.feature} calls the org's region (or set GENESYS_API_BASE_URL and GENESYS_LOGIN_BASE_URL)`);
  }
  return { clientId, clientSecret, apiBaseUrl: apiBaseUrl ?? "", loginBaseUrl: loginBaseUrl ?? "" };
}

/** GENESYS_PROTOCOL=v2: the manifest's provider, the reply window and the limits of replies that come later. */
function readDigitalBotConnector(
  env: NodeJS.ProcessEnv,
  int: (name: string, fallback: number, min: number, max: number) => number,
  problems: string[],
  handover: HandoverContextConfig | undefined,
): DigitalBotConnectorConfig {
  // One OAuth client serves every Platform API call of the service; its problems are reported once.
  const api: GenesysApiConfig = handover
    ? { clientId: handover.clientId, clientSecret: handover.clientSecret, apiBaseUrl: handover.apiBaseUrl, loginBaseUrl: handover.loginBaseUrl }
    : readGenesysApi(env, problems, { feature: "GENESYS_PROTOCOL=v2", use: "sends replies that come later" });
  const provider = (env.DBC_BOT_PROVIDER ?? DEFAULT_BOT_PROVIDER).trim();
  const problem = providerProblem(provider);
  if (problem) problems.push(`DBC_BOT_PROVIDER ${problem} (Genesys shows it as the bots' provider), got "${env.DBC_BOT_PROVIDER}"`);
  const replyWindowMs = int("DBC_REPLY_WINDOW_MS", 3000, 100, 59_000);
  const laterBudgetMs = int("DBC_LATER_BUDGET_MS", 60_000, 1000, 900_000);
  if (laterBudgetMs <= replyWindowMs) problems.push(`DBC_LATER_BUDGET_MS (${laterBudgetMs}) must be longer than DBC_REPLY_WINDOW_MS (${replyWindowMs})`);
  return {
    provider,
    replyWindowMs,
    laterBudgetMs,
    deliveryTimeoutMs: int("DBC_DELIVERY_TIMEOUT_MS", 300_000, 1000, 3_600_000),
    maxDeferred: int("DBC_MAX_DEFERRED", 1000, 1, 100_000),
    deliveryConcurrency: int("DBC_DELIVERY_CONCURRENCY", 8, 1, 256),
    api,
  };
}
