/**
 * Writes hand-over context to the customer participant's data in Genesys Cloud, after the turn is answered, so
 * the agent's script can show it. The turn never waits for it: a write is queued when the answer goes out and
 * runs with its own deadline; a failure is logged and counted, never seen by the customer.
 *
 * Platform API calls (Genesys Cloud Platform API v2; paths, bodies and permissions as documented by the Platform
 * API client SDKs, ConversationsApi, checked against PureCloudPlatformClientV2 257.1.0):
 * - `GET /api/v2/conversations/messages/{conversationId}` (getConversationsMessage → MessageConversation): the
 *   participants, each with `id`, `purpose` (`customer`, `agent`, `acd`, `workflow`, ...) and `state`. CONFIRMED
 *   path and model; the SDK documents "Requires no permissions".
 * - `PATCH /api/v2/conversations/messages/{conversationId}/participants/{participantId}/attributes`
 *   (patchConversationsMessageParticipantAttributes), body `ParticipantAttributes {attributes: {string: string}}`:
 *   merges the given attributes into the participant's data. CONFIRMED path and body; "Requires no permissions".
 *   That a PATCH merges rather than replaces follows from the verb and the Architect behaviour; UNCONFIRMED.
 * - Tokens: the client-credentials grant on the region's login host (`POST /oauth/token`), cached and renewed
 *   before expiry (genesys/tokenProvider.ts).
 *
 * Rate limits: at most `concurrency` writes run at once (the rest queue, up to a bound, then are dropped and
 * counted); 429 answers are retried after their Retry-After, 5xx with backoff (genesys/platformClient.ts), all
 * within the write's deadline.
 */
import { type Logger } from "pino";
import { type HandoverContextConfig } from "../config";
import { GenesysApiError, GenesysAuthError, GenesysNetworkError, GenesysPlatformClient, type PlatformApi } from "../genesys";
import { type TurnLogger } from "../observability/logger";
import { type ServiceMetrics } from "../observability/metrics";
import { handoverAttributes, type AttributeLimits } from "./attributes";
import { type HandoverContext } from "./context";

/** Where a finished turn hands its hand-over context. */
export interface HandoverSink {
  submit(context: HandoverContext, log: TurnLogger): void;
}

export interface ParticipantDataWriterOptions extends AttributeLimits {
  api: PlatformApi;
  metrics: ServiceMetrics;
  logger: Logger;
  /** Deadline of one write, lookup and retries included. */
  timeoutMs: number;
  /** Writes in flight at once. */
  concurrency: number;
  /** Writes waiting beyond this are dropped (counted as `dropped`). Default 1000. */
  maxQueued?: number;
}

/** Outcome labels of `botconnector_handover_context_writes_total`. */
export type WriteOutcome =
  | "written"
  | "no_conversation"
  | "no_customer"
  | "rate_limited"
  | "forbidden"
  | "not_found"
  | "api_error"
  | "auth_error"
  | "network_error"
  | "timeout"
  | "dropped";

interface MessageParticipant {
  id?: string;
  purpose?: string;
  state?: string;
}

interface Job {
  context: HandoverContext;
  log: TurnLogger;
}

/** Conversations whose customer participant is remembered (a conversation can hand over more than once). */
const PARTICIPANT_CACHE_SIZE = 1000;

function outcomeOf(err: unknown, timedOut: boolean): WriteOutcome {
  if (timedOut) return "timeout";
  if (err instanceof GenesysAuthError) return "auth_error";
  if (err instanceof GenesysNetworkError) return "network_error";
  if (err instanceof GenesysApiError) {
    if (err.status === 429) return "rate_limited";
    if (err.status === 401 || err.status === 403) return "forbidden";
    if (err.status === 404) return "not_found";
    return "api_error";
  }
  return "api_error";
}

export class ParticipantDataWriter implements HandoverSink {
  private readonly queue: Job[] = [];
  private active = 0;
  private readonly idle = new Set<() => void>();
  /** Customer participant per conversation, or its lookup in progress (concurrent writes share one lookup). */
  private readonly participants = new Map<string, Promise<string | undefined>>();
  private readonly stopping = new AbortController();

  constructor(private readonly options: ParticipantDataWriterOptions) {}

  submit(context: HandoverContext, log: TurnLogger): void {
    const metrics = this.options.metrics;
    if (this.stopping.signal.aborted || this.queue.length >= (this.options.maxQueued ?? 1000)) {
      metrics.handoverWrites.inc({ outcome: "dropped" });
      log.warn({ outcome: "dropped" }, "hand-over context not written: the queue is full or the service is stopping");
      return;
    }
    this.queue.push({ context, log });
    metrics.handoverPending.inc();
    this.drain();
  }

  /** Waits for the writes queued or in flight, at most `graceMs`; then abandons the rest. */
  async close(graceMs = 5000): Promise<void> {
    if (this.active === 0 && this.queue.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise<void>((resolve) => this.idle.add(resolve)),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, graceMs);
      }),
    ]);
    clearTimeout(timer);
    this.stopping.abort();
    for (const job of this.queue.splice(0)) {
      this.options.metrics.handoverPending.dec();
      this.options.metrics.handoverWrites.inc({ outcome: "dropped" });
      job.log.warn({ outcome: "dropped" }, "hand-over context not written: the service is stopping");
    }
  }

  private drain(): void {
    while (this.active < this.options.concurrency && this.queue.length > 0) {
      const job = this.queue.shift() as Job;
      this.active++;
      void this.run(job).finally(() => {
        this.active--;
        this.options.metrics.handoverPending.dec();
        this.drain();
        if (this.active === 0 && this.queue.length === 0) for (const resolve of this.idle) resolve();
      });
    }
  }

  private async run(job: Job): Promise<void> {
    const started = performance.now();
    const deadline = AbortSignal.timeout(this.options.timeoutMs);
    const signal = AbortSignal.any([deadline, this.stopping.signal]);
    let outcome: WriteOutcome;
    let status: number | undefined;
    try {
      outcome = await this.write(job.context, signal);
    } catch (err) {
      outcome = outcomeOf(err, signal.aborted);
      status = err instanceof GenesysApiError ? err.status : undefined;
      // The error names the call and Genesys's message, never a token, a secret or the attributes.
      job.log.warn({ outcome, status, err: { name: (err as Error).name, message: (err as Error).message } }, "hand-over context not written");
    }
    const seconds = (performance.now() - started) / 1000;
    this.options.metrics.handoverWrites.inc({ outcome });
    this.options.metrics.handoverDuration.observe({ outcome }, seconds);
    if (outcome === "written") job.log.info({ outcome, latencyMs: Math.round(seconds * 1000) }, "hand-over context written to participant data");
    else if (status === undefined && (outcome === "no_conversation" || outcome === "no_customer")) job.log.warn({ outcome }, "hand-over context not written");
  }

  private async write(context: HandoverContext, signal: AbortSignal): Promise<WriteOutcome> {
    const conversationId = context.genesysConversationId;
    if (!conversationId) return "no_conversation";
    const path = `/api/v2/conversations/messages/${encodeURIComponent(conversationId)}`;
    let lookup = this.participants.get(conversationId);
    if (!lookup) {
      lookup = this.customerParticipant(path, signal);
      this.remember(conversationId, lookup);
      // A failed lookup is not remembered: the next hand-over of the conversation tries again.
      const forget = () => void this.participants.delete(conversationId);
      void lookup.then((id) => (id ? undefined : forget()), forget);
    }
    const participantId = await lookup;
    if (!participantId) return "no_customer";
    const attributes = handoverAttributes(context, this.options);
    await this.options.api.request("PATCH", `${path}/participants/${encodeURIComponent(participantId)}/attributes`, { body: { attributes }, signal });
    return "written";
  }

  private async customerParticipant(path: string, signal: AbortSignal): Promise<string | undefined> {
    const conversation = await this.options.api.request<{ participants?: MessageParticipant[] }>("GET", path, { signal });
    const customers = (conversation?.participants ?? []).filter((p) => p.purpose === "customer" && typeof p.id === "string");
    // The customer's current leg if several (a conversation can be transferred); any customer leg otherwise.
    return (customers.find((p) => p.state !== "disconnected" && p.state !== "terminated") ?? customers[customers.length - 1])?.id;
  }

  private remember(conversationId: string, participantId: Promise<string | undefined>): void {
    if (this.participants.size >= PARTICIPANT_CACHE_SIZE) {
      const oldest = this.participants.keys().next().value;
      if (oldest !== undefined) this.participants.delete(oldest);
    }
    this.participants.set(conversationId, participantId);
  }
}

/** The writer for a configuration: the OAuth client's tokens from the login host, the API host, the limits. */
export function createParticipantDataWriter(
  config: HandoverContextConfig,
  deps: {
    metrics: ServiceMetrics;
    logger: Logger;
    fetch?: typeof fetch;
    /** The Platform API client's clock and waits between retries (tests move the one and record the other). */
    now?: () => number;
    sleep?: (ms: number) => Promise<void>;
  },
): ParticipantDataWriter {
  const api = new GenesysPlatformClient({
    apiBaseUrl: config.apiBaseUrl,
    loginBaseUrl: config.loginBaseUrl,
    credentials: { clientId: config.clientId, clientSecret: config.clientSecret },
    // Bounded by the write's deadline: a few quick retries, a Retry-After honoured up to 3 s.
    retry: { maxAttempts: 4, baseDelayMs: 200, maxDelayMs: 3000 },
    timeoutMs: Math.min(5000, config.timeoutMs),
    userAgent: "genesys-virtual-agent-botconnector/1",
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
    now: deps.now,
    sleep: deps.sleep,
    onRetry: (event) => deps.metrics.genesysApiRetries.inc({ status: event.status === undefined ? "network" : String(event.status) }),
  });
  return new ParticipantDataWriter({
    api,
    metrics: deps.metrics,
    logger: deps.logger,
    prefix: config.prefix,
    valueChars: config.valueChars,
    timeoutMs: config.timeoutMs,
    concurrency: config.concurrency,
  });
}
