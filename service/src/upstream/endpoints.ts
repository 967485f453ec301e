/**
 * The upstream agents of the loaded bots, resolved from the environment when the service starts: URLs differ per
 * environment and secrets never live in a bot definition. A missing or unusable variable stops the start with a
 * message naming the variable, the bot and the agent (never a secret's value).
 */
import { type BotDefinition, type UpstreamDef } from "../bots/definition";
import { outboundUrl } from "../urls";

export type UpstreamAuth = { type: "bearer"; token: string } | { type: "hmac"; secret: string };

export interface UpstreamEndpoint {
  /** `<bot id>/<agent name>`: the circuit breaker's and the metrics' key (shared by the bot's versions). */
  key: string;
  name: string;
  url: URL;
  auth: UpstreamAuth;
  timeoutMs: number;
  maxAttempts: number;
  failureThreshold: number;
  openMs: number;
}

export const UPSTREAM_DEFAULTS = { timeoutMs: 2000, maxAttempts: 2, failureThreshold: 5, openSeconds: 30 } as const;

/** Secrets shorter than this are refused, as the verify token is. */
const MIN_SECRET_LENGTH = 16;

/** Where a bot version's agent is found: bot id, version and agent name. */
export function endpointId(botId: string, version: string, agent: string): string {
  return JSON.stringify([botId, version, agent]);
}

function checkUrl(raw: string, envName: string, where: string, problems: string[]): URL | undefined {
  const checked = outboundUrl(raw);
  if ("problem" in checked) {
    problems.push(`${envName} ${checked.problem} (${where})`);
    return undefined;
  }
  return checked.url;
}

function endpointFor(def: BotDefinition, name: string, upstream: UpstreamDef, env: Readonly<Record<string, string | undefined>>, problems: string[]): UpstreamEndpoint | undefined {
  const where = `bot "${def.id}" version "${def.version}", upstream "${name}"`;
  const rawUrl = env[upstream.urlEnv];
  let url: URL | undefined;
  if (rawUrl === undefined || rawUrl.trim() === "") problems.push(`${upstream.urlEnv} is not set: it holds the URL of ${where}`);
  else url = checkUrl(rawUrl, upstream.urlEnv, where, problems);

  const secretEnv = upstream.auth.type === "bearer" ? upstream.auth.tokenEnv : upstream.auth.secretEnv;
  const secret = env[secretEnv]?.trim() ?? "";
  if (secret === "") problems.push(`${secretEnv} is not set: it holds the ${upstream.auth.type === "bearer" ? "bearer token" : "HMAC secret"} of ${where}`);
  else if (secret.length < MIN_SECRET_LENGTH) problems.push(`${secretEnv} is shorter than ${MIN_SECRET_LENGTH} characters; use a long random secret (${where})`);
  if (!url || secret.length < MIN_SECRET_LENGTH) return undefined;
  return {
    key: `${def.id}/${name}`,
    name,
    url,
    auth: upstream.auth.type === "bearer" ? { type: "bearer", token: secret } : { type: "hmac", secret },
    timeoutMs: upstream.timeoutMs ?? UPSTREAM_DEFAULTS.timeoutMs,
    maxAttempts: upstream.maxAttempts ?? UPSTREAM_DEFAULTS.maxAttempts,
    failureThreshold: upstream.circuitBreaker?.failureThreshold ?? UPSTREAM_DEFAULTS.failureThreshold,
    openMs: (upstream.circuitBreaker?.openSeconds ?? UPSTREAM_DEFAULTS.openSeconds) * 1000,
  };
}

/** Every agent of every loaded bot version, by `endpointId`, and every problem with the environment. */
export function resolveUpstreams(
  definitions: readonly BotDefinition[],
  env: Readonly<Record<string, string | undefined>>,
): { endpoints: Map<string, UpstreamEndpoint>; problems: string[] } {
  const endpoints = new Map<string, UpstreamEndpoint>();
  const problems: string[] = [];
  for (const def of definitions) {
    for (const [name, upstream] of Object.entries(def.upstreams ?? {})) {
      const endpoint = endpointFor(def, name, upstream, env, problems);
      if (endpoint) endpoints.set(endpointId(def.id, def.version, name), endpoint);
    }
  }
  return { endpoints, problems: [...new Set(problems)] };
}
