/**
 * Calls upstream agents over HTTP for the turns that need them (docs/upstream-agents.md):
 *
 * - one call has the agent's own timeout, never more than what is left of the turn (the caller's deadline), and
 *   is cancelled with the turn's signal;
 * - it is authenticated with a bearer token, or an HMAC-SHA256 signature of `<timestamp>.<body>` with the timestamp
 *   in a header so the agent can refuse replays;
 * - it is retried only when a retry cannot make the agent act twice: the connection was refused or the host not
 *   found (no byte was sent), or the agent answered 429 or 503 (it did not process the call; the Idempotency-Key
 *   lets it recognise the retry anyway), and only when the wait (Retry-After or a short backoff) and another
 *   attempt still fit before the deadline. A timeout, a reset connection or any other status is never retried;
 * - a circuit breaker per agent refuses calls for a while after repeated failures (breaker.ts);
 * - whatever comes back is checked (the call's `check`) before the engine sees it;
 * - metrics per agent: calls and latency by outcome, retries, circuit state. Logs never carry bodies or secrets.
 */
import { createHmac } from "node:crypto";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { type UpstreamCall } from "../engine/engine";
import { type TurnLogger } from "../observability/logger";
import { type ServiceMetrics } from "../observability/metrics";
import { type UpstreamFailureCode, UPSTREAM_FAILURES, UPSTREAM_HEADERS, type UpstreamOutcome } from "./contract";
import { CircuitBreaker, type CircuitState } from "./breaker";
import { endpointId, type UpstreamEndpoint } from "./endpoints";

export interface UpstreamCallOptions {
  /** The turn's signal: aborted when the turn is abandoned. */
  signal: AbortSignal;
  /** `performance.now()` time by which the call must be settled, retries included. */
  deadline: number;
  log: TurnLogger;
}

/** Performs the upstream calls a turn asks for. */
export interface UpstreamCaller {
  call(bot: { id: string; version: string }, call: UpstreamCall, options: UpstreamCallOptions): Promise<UpstreamOutcome>;
}

export interface UpstreamClientOptions {
  endpoints: ReadonlyMap<string, UpstreamEndpoint>;
  metrics: ServiceMetrics;
  fetch?: typeof fetch;
  /** Clock of the circuit breakers (tests move it). */
  now?: () => number;
}

/** Outcome labels of `botconnector_upstream_calls_total`. */
type CallLabel = "ok" | "invalid_response" | "timeout" | "unreachable" | "http_error" | "circuit_open" | "no_time";

/** The shortest attempt worth making: less than this left before the deadline and the call is not (re)tried. */
const MIN_ATTEMPT_MS = 20;
/** Backoff before retrying a refused connection, or a 429/503 without Retry-After. */
const RETRY_BACKOFF_MS = 50;
/** Largest reply read; a bigger one is an invalid reply (replies hold at most 10 messages). */
const MAX_REPLY_BYTES = 256 * 1024;
/** Error codes of a connection that was never established: nothing of the request reached the agent. */
const NOT_CONNECTED = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "EADDRNOTAVAIL"]);
const CIRCUIT_GAUGE: Record<CircuitState, number> = { closed: 0, open: 1, "half-open": 2 };
const USER_AGENT = "genesys-virtual-agent-botconnector/1";

function errorCodes(err: unknown): string[] {
  const cause = (err as { cause?: unknown } | undefined)?.cause as { code?: unknown; errors?: unknown[] } | undefined;
  const codes = [cause?.code, ...(cause?.errors ?? []).map((e) => (e as { code?: unknown }).code)];
  return codes.filter((c): c is string => typeof c === "string");
}

function neverConnected(err: unknown): boolean {
  const codes = errorCodes(err);
  return codes.length > 0 && codes.every((c) => NOT_CONNECTED.has(c));
}

/** Retry-After as delta seconds or an HTTP date, in milliseconds. */
function retryAfterMs(value: string | null): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** The body, or undefined when it is larger than the limit (then it is not read further). */
async function readCapped(response: Response, max: number): Promise<string | undefined> {
  const declared = Number(response.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > max) {
    await response.body?.cancel();
    return undefined;
  }
  const reader = response.body?.getReader();
  if (!reader) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** The signature headers of HMAC auth: `v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`. */
export function signatureHeaders(secret: string, body: string, nowSeconds: number): Record<string, string> {
  const timestamp = String(nowSeconds);
  const signature = createHmac("sha256", secret).update(`${timestamp}.${body}`, "utf8").digest("hex");
  return { [UPSTREAM_HEADERS.timestamp]: timestamp, [UPSTREAM_HEADERS.signature]: `v1=${signature}` };
}

class CallFailure {
  constructor(
    readonly label: CallLabel,
    readonly code: UpstreamFailureCode,
    readonly message: string,
    /** Whether it counts against the agent in its circuit breaker. */
    readonly countsAgainstAgent: boolean,
    readonly status?: number,
  ) {}
}

export class UpstreamClient implements UpstreamCaller {
  private readonly breakers = new Map<string, CircuitBreaker>();
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: UpstreamClientOptions) {
    this.fetchImpl = options.fetch ?? fetch;
    for (const endpoint of options.endpoints.values()) {
      if (this.breakers.has(endpoint.key)) continue;
      // One breaker per agent of a bot, shared by its versions (the first version's thresholds).
      options.metrics.upstreamCircuitState.set({ upstream: endpoint.key }, 0);
      this.breakers.set(
        endpoint.key,
        new CircuitBreaker({
          failureThreshold: endpoint.failureThreshold,
          openMs: endpoint.openMs,
          now: options.now,
          onTransition: (to) => {
            options.metrics.upstreamCircuitState.set({ upstream: endpoint.key }, CIRCUIT_GAUGE[to]);
            options.metrics.upstreamCircuitTransitions.inc({ upstream: endpoint.key, to });
          },
        }),
      );
    }
  }

  /** The circuit state of an agent (`<bot id>/<name>`), for tests and diagnostics. */
  circuitState(key: string): CircuitState | undefined {
    return this.breakers.get(key)?.state;
  }

  async call(bot: { id: string; version: string }, call: UpstreamCall, options: UpstreamCallOptions): Promise<UpstreamOutcome> {
    const endpoint = this.options.endpoints.get(endpointId(bot.id, bot.version, call.agent));
    const started = performance.now();
    if (!endpoint) {
      // Unreachable by construction: the service does not start when an agent's environment is missing.
      return { ok: false, errorCode: UPSTREAM_FAILURES.unreachable, errorMessage: `upstream "${call.agent}" is not configured` };
    }
    const breaker = this.breakers.get(endpoint.key) as CircuitBreaker;
    let result: UpstreamOutcome | CallFailure;
    if (!breaker.tryAcquire()) {
      result = new CallFailure("circuit_open", UPSTREAM_FAILURES.circuitOpen, `upstream "${endpoint.name}" is failing; calls are paused (circuit open)`, false);
    } else {
      result = await this.attempts(endpoint, call, options);
      if (result instanceof CallFailure) {
        if (result.countsAgainstAgent) breaker.failure();
        else breaker.release();
      } else {
        breaker.success();
      }
    }
    const label: CallLabel = result instanceof CallFailure ? result.label : "ok";
    const seconds = (performance.now() - started) / 1000;
    this.options.metrics.upstreamCalls.inc({ upstream: endpoint.key, outcome: label });
    this.options.metrics.upstreamDuration.observe({ upstream: endpoint.key, outcome: label }, seconds);
    if (result instanceof CallFailure) {
      options.log.warn(
        { upstream: endpoint.key, outcome: label, status: result.status, errorCode: result.code, latencyMs: Math.round(seconds * 1000), circuit: breaker.state },
        `upstream call failed: ${result.message}`,
      );
      return { ok: false, errorCode: result.code, errorMessage: result.message };
    }
    return result;
  }

  private async attempts(endpoint: UpstreamEndpoint, call: UpstreamCall, options: UpstreamCallOptions): Promise<UpstreamOutcome | CallFailure> {
    const body = JSON.stringify(call.request);
    const name = endpoint.name;
    let last: CallFailure | undefined;
    for (let attempt = 1; attempt <= endpoint.maxAttempts; attempt++) {
      const left = options.deadline - performance.now();
      if (left < MIN_ATTEMPT_MS) {
        return last ?? new CallFailure("no_time", UPSTREAM_FAILURES.timeout, `no time left in the turn budget to call upstream "${name}"`, false);
      }
      const timeoutMs = Math.min(endpoint.timeoutMs, left);
      const budgetCut = timeoutMs < endpoint.timeoutMs;
      const timeout = AbortSignal.timeout(Math.max(1, Math.floor(timeoutMs)));
      let response: Response;
      try {
        response = await this.fetchImpl(endpoint.url, {
          method: "POST",
          headers: this.headers(endpoint, call, body),
          body,
          // A redirect would send the credentials somewhere else: never follow one.
          redirect: "error",
          signal: AbortSignal.any([options.signal, timeout]),
        });
      } catch (err) {
        if (options.signal.aborted || timeout.aborted) return this.timedOut(name, timeoutMs, budgetCut || options.signal.aborted);
        if (neverConnected(err) && attempt < endpoint.maxAttempts && (await this.pause(endpoint, "connection_refused", RETRY_BACKOFF_MS, options))) {
          last = new CallFailure("unreachable", UPSTREAM_FAILURES.unreachable, `upstream "${name}" cannot be reached (${errorCodes(err).join(", ")})`, true);
          continue;
        }
        const codes = errorCodes(err);
        return new CallFailure("unreachable", UPSTREAM_FAILURES.unreachable, `upstream "${name}" cannot be reached${codes.length ? ` (${codes.join(", ")})` : ""}`, true);
      }

      if (response.status === 429 || response.status === 503) {
        await response.body?.cancel().catch(() => undefined);
        last = new CallFailure("http_error", UPSTREAM_FAILURES.httpError, `upstream "${name}" answered ${response.status}`, true, response.status);
        const wait = retryAfterMs(response.headers.get("retry-after")) ?? RETRY_BACKOFF_MS;
        if (attempt < endpoint.maxAttempts && (await this.pause(endpoint, `status_${response.status}`, wait, options))) continue;
        return last;
      }
      try {
        return await this.reply(name, call, response);
      } catch {
        if (options.signal.aborted || timeout.aborted) return this.timedOut(name, timeoutMs, budgetCut || options.signal.aborted);
        return new CallFailure("unreachable", UPSTREAM_FAILURES.unreachable, `upstream "${name}" broke off its reply`, true, response.status);
      }
    }
    return last as CallFailure;
  }

  private headers(endpoint: UpstreamEndpoint, call: UpstreamCall, body: string): Record<string, string> {
    const headers: Record<string, string> = {
      "content-type": "application/json; charset=utf-8",
      accept: "application/json",
      "user-agent": USER_AGENT,
      [UPSTREAM_HEADERS.idempotencyKey]: call.request.requestId,
    };
    // Signed per attempt: a retry carries a fresh timestamp, and the same Idempotency-Key.
    if (endpoint.auth.type === "bearer") headers.authorization = `Bearer ${endpoint.auth.token}`;
    else Object.assign(headers, signatureHeaders(endpoint.auth.secret, body, Math.floor(Date.now() / 1000)));
    return headers;
  }

  private timedOut(name: string, timeoutMs: number, budgetCut: boolean): CallFailure {
    return new CallFailure("timeout", UPSTREAM_FAILURES.timeout, `upstream "${name}" did not answer within ${Math.round(timeoutMs)} ms`, !budgetCut);
  }

  /** Waits before a retry when the wait and another attempt fit before the deadline; false otherwise. */
  private async pause(endpoint: UpstreamEndpoint, reason: string, waitMs: number, options: UpstreamCallOptions): Promise<boolean> {
    if (performance.now() + waitMs + MIN_ATTEMPT_MS > options.deadline) return false;
    this.options.metrics.upstreamRetries.inc({ upstream: endpoint.key, reason });
    try {
      await sleep(waitMs, undefined, { signal: options.signal });
    } catch {
      return false;
    }
    return true;
  }

  private async reply(name: string, call: UpstreamCall, response: Response): Promise<UpstreamOutcome | CallFailure> {
    const invalid = (message: string) => new CallFailure("invalid_response", UPSTREAM_FAILURES.invalidResponse, `upstream "${name}" sent an invalid reply: ${message}`, true, response.status);
    if (response.status < 200 || response.status >= 300) {
      await response.body?.cancel().catch(() => undefined);
      return new CallFailure("http_error", UPSTREAM_FAILURES.httpError, `upstream "${name}" answered ${response.status}`, true, response.status);
    }
    const type = response.headers.get("content-type") ?? "";
    if (!/^application\/([a-z0-9.+-]*\+)?json\b/i.test(type.trim())) {
      await response.body?.cancel().catch(() => undefined);
      return invalid(`content type "${type.slice(0, 100) || "(none)"}" is not application/json`);
    }
    const text = await readCapped(response, MAX_REPLY_BYTES);
    if (text === undefined) return invalid(`larger than ${MAX_REPLY_BYTES} bytes`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return invalid("the body is not JSON");
    }
    const checked = call.check(parsed);
    if (!checked.ok) {
      const shown = checked.problems.slice(0, 5).join("; ");
      return invalid(checked.problems.length > 5 ? `${shown}; and ${checked.problems.length - 5} more` : shown);
    }
    return { ok: true, reply: checked.reply };
  }
}
