/**
 * Answers the Digital Bot Connector's `POST /messages`: the same turn pipeline as v1 (turn.ts: bot, session,
 * engine, upstream agents, conditional save), with v2's answer shapes and error semantics, and replies that come
 * later.
 *
 * A turn that outlasts the reply window (DBC_REPLY_WINDOW_MS) is answered `MoreData` at once, with the bot's
 * `replyLater.pleaseWait` text if it has one, and keeps running (at most DBC_LATER_BUDGET_MS in all). While it runs,
 * the bot's `replyLater.progress` texts go out every so often; its outcome follows through the outgoing messages
 * API. Everything a turn sends goes out in order, one message at a time per session (delivery/queue.ts).
 *
 * Exactly once: a retry of a message (same `messageId`) gets the answer the message got, never a second step: the
 * engine's stored last-turn answer for a turn answered at once, the session's `later` record (sessionView.ts) for
 * one answered later. A message that arrives while another one of the session is answered later is answered
 * "busy" (`replyLater.busy`) and not processed, so steps never race and replies never cross.
 *
 * A restart of the task: the pending reply is not handed over to another task (the outgoing API has no
 * idempotency key, so a second sender could duplicate or reorder it). A stopping task finishes what it can within
 * its grace period and ends the rest `Failed` (no message: the flow's failure path apologises), so Architect takes its
 * failure path; a task that dies without stopping leaves a marker whose lease expires, after which the session's
 * next message logs the abandoned reply and goes on. Both are counted in botconnector_dbc_abandoned_total.
 */
import { performance } from "node:perf_hooks";
import { type Logger } from "pino";
import { type DigitalBotConnectorConfig } from "../config";
import { type BotRegistry, type Resolution } from "../bots/registry";
import { chooseLanguage } from "../bots/localize";
import { type LocalizedText } from "../bots/definition";
import { renderText } from "../engine/content";
import { type RunnableBot } from "../engine/engine";
import { type SessionState } from "../engine/state";
import { type TranscriptLimits } from "../engine/transcript";
import { type HandoverSink } from "../handover/participantData";
import { bindLogger, type TurnLogger } from "../observability/logger";
import { type ServiceMetrics } from "../observability/metrics";
import { toDigitalTurnRequest, turnKeyOf } from "../protocol/v2/request";
import { type ValidDigitalMessageBody } from "../protocol/v2/requestSchema";
import { toDigitalResponse, toOutgoingMessage, type SessionAddress } from "../protocol/v2/response";
import { type IncomingMessageResponse } from "../protocol/v2/types";
import { type SessionStore } from "../sessions/store";
import { answerTurn, capTurnInput, turnSummaryFields, type TurnDependencies, type TurnLimits, type TurnResult } from "../turn";
import { type UpstreamCaller } from "../upstream/client";
import { type DeliveryQueue } from "../delivery/queue";
import { type LaterClock } from "./clock";
import { type DigitalMetrics } from "./metrics";
import { isLive, laterOf, LaterSessionView, type PendingLater } from "./sessionView";

/** What a v2 turn runs on that the v1 route has too (the service's bots, store, limits and collaborators). */
export interface TurnServices {
  registry: BotRegistry;
  store: SessionStore;
  metrics: ServiceMetrics;
  logger: Logger;
  /** The turn layer's limits (customer text, session parameters), as for v1. */
  limits: TurnLimits;
  logCustomerText: boolean;
  /** The engine's clock (answers such as dates); the service's `now` override. */
  now?: () => Date;
  /** Monotonic clock of the turn budget (`performance.now` unless a test injects one; the same as the server's). */
  budgetClock?: () => number;
  upstreams?: UpstreamCaller;
  transcript?: TranscriptLimits;
  handover?: HandoverSink;
}

export interface DigitalTurnsOptions extends TurnServices {
  digitalMetrics: DigitalMetrics;
  config: DigitalBotConnectorConfig;
  deliveries: DeliveryQueue;
  clock: LaterClock;
  /** This service instance (task), named in the markers it writes. */
  instanceId: string;
}

/** What the route sends: v2's answer, or an error status (4xx is not retried by Genesys, 5xx is). */
export type HttpAnswer = { status: 200; body: IncomingMessageResponse } | { status: 404 | 500 | 503; body: { error: string; message: string } };

export interface MessageContext {
  reqId: string;
  /** `inin-correlation-id`, for logs. */
  correlationId: string | undefined;
  /** `performance.now()` when the request arrived. */
  startedAt: number;
  /** Settles when the HTTP answer has been written: nothing of the same message goes out before it. */
  answered: Promise<unknown>;
}

/** Added to a marker's lease beyond the turn's budget and its delivery deadline. */
const LEASE_MARGIN_MS = 60_000;
/** How long a stopping task may take to tell a customer it gave up on their reply. */
const ABANDON_DELIVERY_MS = 3000;

/** Outcomes of the engine that v2 answers with a 5xx, so Genesys retries (nothing was saved, a retry is one step). */
const RETRIED: Partial<Record<TurnResult["outcome"], { status: 500 | 503; error: string; message: string }>> = {
  store_unavailable: { status: 503, error: "session_store_unavailable", message: "the session store could not be reached; retry" },
  conflict: { status: 503, error: "session_conflict", message: "concurrent messages of this session kept colliding; retry" },
  error: { status: 500, error: "internal_error", message: "the message could not be processed" },
};

/** One turn answered later, from the end of the reply window to its delivery. */
interface Deferred {
  sessionId: string;
  messageId: string;
  bot: RunnableBot;
  address: SessionAddress;
  view: LaterSessionView;
  log: TurnLogger;
  /** Epoch ms of the customer's message. */
  since: number;
  deadline: number;
  language: string;
  state: SessionState | undefined;
  customerText: string;
  answered: Promise<unknown>;
  /** Stops the progress messages. */
  stop: AbortController;
  /** Set once its outcome is queued for delivery. */
  outcomeQueued: boolean;
  /** Set when the task gave up on it (stopping): its outcome, when it comes, is not delivered. */
  abandoned: boolean;
  /** Settles once it is delivered (or given up) and its marker released. */
  done: Promise<void>;
}

export class DigitalTurns {
  private readonly deferred = new Map<string, Deferred>();

  constructor(private readonly options: DigitalTurnsOptions) {}

  /** Turns answered later still running or delivering on this task. */
  get deferredCount(): number {
    return this.deferred.size;
  }

  async answer(body: ValidDigitalMessageBody, ctx: MessageContext): Promise<HttpAnswer> {
    const { registry, store, clock, digitalMetrics, config } = this.options;
    const receivedAt = clock.now();
    const request = toDigitalTurnRequest(body, ctx.correlationId);
    const resolved = registry.resolve(request);
    // v2 names a bot by its manifest id, exactly (ids are case-sensitive): no lookup by name as v1 needs.
    const resolution: Resolution =
      resolved.ok && resolved.bot.definition.id !== body.botId
        ? { ok: false, reason: "unknown_bot", message: `no bot with id "${body.botId}" (ids are case-sensitive)` }
        : resolved;
    const log = bindLogger(this.options.logger, {
      reqId: ctx.reqId,
      protocol: "v2",
      genesysConversationId: request.genesysConversationId,
      botSessionId: request.botSessionId,
      messageId: body.messageId,
      correlationId: ctx.correlationId,
      botId: body.botId,
      botVersion: body.botVersion,
    });
    if (!resolution.ok) {
      digitalMetrics.messages.inc({ outcome: "unknown_bot" });
      log.warn({ reason: resolution.reason }, resolution.message);
      // A 4xx: the flow takes its failure path at once (often the flow needs republishing with the current manifest).
      return { status: 404, body: { error: resolution.reason, message: resolution.message } };
    }
    const bot = resolution.bot;
    const language = chooseLanguage(request.languageCode, bot.definition.languages, bot.definition.defaultLanguage);

    let stored;
    try {
      stored = await store.load(request.botSessionId);
    } catch (err) {
      this.options.metrics.storeErrors.inc({ operation: "load", kind: (err as Error).name });
      digitalMetrics.messages.inc({ outcome: "store_unavailable" });
      log.error({ err }, "session store load failed");
      return { status: 503, body: { error: "session_store_unavailable", message: "the session store could not be read; retry" } };
    }
    const later = laterOf(stored?.state);
    const now = clock.now();
    const replay = later?.pending?.messageId === body.messageId ? later.pending.answer : later?.last?.messageId === body.messageId ? later.last.answer : undefined;
    if (replay) {
      digitalMetrics.messages.inc({ outcome: "replayed" });
      log.info({ event: "replayed" }, "retried message: answered as before, no second step");
      return { status: 200, body: replay };
    }
    if (isLive(later?.pending, now) || this.deferred.has(request.botSessionId)) {
      digitalMetrics.messages.inc({ outcome: "busy" });
      log.info({ pendingMessageId: later?.pending?.messageId ?? this.deferred.get(request.botSessionId)?.messageId }, "message not processed: the previous one is still being answered later");
      return { status: 200, body: this.textAnswer(bot, stored?.state, language, bot.definition.replyLater?.busy) };
    }
    if (later?.pending) {
      const p = later.pending;
      digitalMetrics.abandoned.inc({ reason: "lease_expired" });
      log.warn(
        { abandonedMessageId: p.messageId, phase: p.phase, owner: p.owner, leaseUntil: new Date(p.leaseUntil).toISOString() },
        p.phase === "running"
          ? "a reply that was to come later was abandoned: the task working on it stopped before it finished (the session goes on from its last saved state)"
          : "a reply that was to come later may not have been delivered: the task delivering it stopped (the session goes on from its saved state)",
      );
    }

    const ttlSeconds = request.sessionTimeoutMinutes * 60;
    const view = new LaterSessionView(store, request.botSessionId, stored, () => clock.now(), ttlSeconds);
    const deps: TurnDependencies = {
      store: view,
      metrics: this.options.metrics,
      budgetMs: config.laterBudgetMs,
      limits: this.options.limits,
      ...(this.options.now ? { now: this.options.now } : {}),
      ...(this.options.budgetClock ? { clock: this.options.budgetClock } : {}),
      ...(this.options.upstreams ? { upstreams: this.options.upstreams } : {}),
      ...(this.options.transcript ? { transcript: this.options.transcript } : {}),
    };
    // The turn layer's exactly-once key is the message's id: a retry of a turn answered at once gets its stored answer.
    const work = answerTurn(request, turnKeyOf(body), resolution, deps, ctx.startedAt, log);
    const window = new AbortController();
    const first = await Promise.race([
      work.then((result) => ({ result })),
      clock.wait(config.replyWindowMs, "reply-window", window.signal).then(() => "window" as const),
    ]);
    window.abort();
    // Only what the turn processed is ever logged: text past the turn cap is dropped there too.
    const processedText = capTurnInput(request, this.options.limits.textMaxChars).request.input.text;
    if (first !== "window") return this.answeredNow(first.result, bot, ctx, log, processedText);
    // A turn that started saving inside the window is answered in the same call, however long the save takes.
    if (view.committedToAnswerNow) return this.answeredNow(await work, bot, ctx, log, processedText);

    if (this.deferred.size >= config.maxDeferred) {
      digitalMetrics.messages.inc({ outcome: "over_limit" });
      log.warn({ deferred: this.deferred.size, maxDeferred: config.maxDeferred }, "turn outlasted the reply window with DBC_MAX_DEFERRED turns already answered later: answered Failed");
      void work.then((result) => log.info({ outcome: result.outcome }, "outcome of a turn answered Failed over the limit: not delivered"));
      return {
        status: 200,
        body: { botState: "Failed", replyMessages: [], errorInfo: { errorCode: "TOO_MANY_LATER_REPLIES", errorMessage: `more than ${config.maxDeferred} replies are pending on this instance` } },
      };
    }

    const answer = this.textAnswer(bot, stored?.state, language, bot.definition.replyLater?.pleaseWait);
    const deferredAt = clock.now();
    const deadline = Math.min(deferredAt + config.laterBudgetMs + config.deliveryTimeoutMs, deferredAt + ttlSeconds * 1000);
    const pending: PendingLater = {
      messageId: body.messageId,
      owner: this.options.instanceId,
      since: deferredAt,
      leaseUntil: deadline + LEASE_MARGIN_MS,
      phase: "running",
      answer,
    };
    const item: Deferred = {
      sessionId: request.botSessionId,
      messageId: body.messageId,
      bot,
      address: { botId: body.botId, botVersion: body.botVersion, botSessionId: body.botSessionId, languageCode: body.languageCode ?? language },
      view,
      log,
      since: receivedAt,
      deadline,
      language,
      state: stored?.state,
      customerText: processedText,
      answered: ctx.answered,
      stop: new AbortController(),
      outcomeQueued: false,
      abandoned: false,
      done: Promise.resolve(),
    };
    this.deferred.set(item.sessionId, item);
    digitalMetrics.deferred.set(this.deferred.size);
    digitalMetrics.messages.inc({ outcome: "deferred" });
    item.done = work
      .then((result) => this.finish(item, result, ctx))
      .catch((err: unknown) => {
        log.error({ err }, "a reply that was to come later failed");
        return this.settle(item, false);
      });
    void this.progress(item);
    if (!(await view.defer(pending))) log.warn({}, "the session could not be marked as answered later (a concurrent write came first, or the store failed); replies of concurrent messages may cross");
    log.info({ replyWindowMs: config.replyWindowMs }, "turn outlasted the reply window: answered MoreData, the outcome follows through the outgoing messages API");
    return { status: 200, body: answer };
  }

  /** Resolves once every turn answered later has been delivered (or given up) and its marker released. */
  async idle(): Promise<void> {
    while (this.deferred.size > 0) await Promise.all([...this.deferred.values()].map((d) => d.done));
  }

  /** Waits for the turns answered later, at most `graceMs`; ends the rest `Failed` so the customer is not left waiting. */
  async close(graceMs: number): Promise<void> {
    const pending = [...this.deferred.values()];
    if (pending.length > 0) {
      const stop = new AbortController();
      await Promise.race([Promise.all(pending.map((d) => d.done)), this.options.clock.wait(graceMs, "grace", stop.signal)]);
      stop.abort();
      // Outcomes not ready yet end Failed; outcomes already being delivered get until the queue stops.
      await Promise.all([...this.deferred.values()].filter((d) => !d.outcomeQueued).map((d) => this.abandon(d)));
    }
    this.options.deliveries.stop();
    await this.options.deliveries.idle();
  }

  private answeredNow(result: TurnResult, bot: RunnableBot, ctx: MessageContext, log: TurnLogger, customerText: string): HttpAnswer {
    const seconds = (performance.now() - ctx.startedAt) / 1000;
    this.options.metrics.observeTurn(result.bot, result.version, result.outcome, seconds);
    this.summary(log, result, seconds, false, customerText);
    const retried = RETRIED[result.outcome];
    if (retried) {
      this.options.digitalMetrics.messages.inc({ outcome: result.outcome === "error" ? "error" : "store_unavailable" });
      return { status: retried.status, body: { error: retried.error, message: retried.message } };
    }
    this.options.digitalMetrics.messages.inc({ outcome: "answered" });
    if (result.handover) {
      const handover = result.handover;
      void ctx.answered.then(() => this.options.handover?.submit(handover, log));
    }
    return { status: 200, body: toDigitalResponse(result.response, bot.definition) };
  }

  private summary(log: TurnLogger, result: TurnResult, seconds: number, later: boolean, customerText: string): void {
    log.summary(
      {
        ...turnSummaryFields(result, seconds),
        later,
        ...(this.options.logCustomerText ? { customerText } : {}),
      },
      "turn",
    );
  }

  /** A `MoreData` answer with one optional text of the bot's, in the customer's language. */
  private textAnswer(bot: RunnableBot, state: SessionState | undefined, language: string, text: LocalizedText | undefined): IncomingMessageResponse {
    if (!text) return { botState: "MoreData", replyMessages: [] };
    const def = bot.definition;
    const rendered = renderText(text, {
      language,
      defaultLanguage: def.defaultLanguage,
      scope: { vars: state?.vars ?? {}, params: state?.params ?? {}, language },
      textLimit: bot.textLimit,
    });
    return { botState: "MoreData", replyMessages: [{ type: "Text", text: rendered }] };
  }

  /** Sends the bot's progress text every `everySeconds` while the turn runs, at most `times` times. */
  private async progress(item: Deferred): Promise<void> {
    const progress = item.bot.definition.replyLater?.progress;
    if (!progress) return;
    for (let sent = 0; sent < (progress.times ?? 3); sent++) {
      if (!(await this.options.clock.wait(progress.everySeconds * 1000, "progress", item.stop.signal))) return;
      const body = toOutgoingMessage(item.address, this.textAnswer(item.bot, item.state, item.language, progress.text));
      void this.options.deliveries.send({ session: item.sessionId, kind: "progress", body, deadline: item.deadline, since: item.since, after: item.answered, log: item.log });
    }
  }

  private async finish(item: Deferred, result: TurnResult, ctx: MessageContext): Promise<void> {
    item.stop.abort();
    this.options.deliveries.dropWaiting(item.sessionId, "progress");
    const seconds = (performance.now() - ctx.startedAt) / 1000;
    this.options.metrics.observeTurn(result.bot, result.version, result.outcome, seconds);
    this.summary(item.log, result, seconds, true, item.customerText);
    if (item.abandoned) return;
    item.outcomeQueued = true;
    const answer = toDigitalResponse(result.response, item.bot.definition);
    const delivered = await this.options.deliveries.send({
      session: item.sessionId,
      kind: "outcome",
      body: toOutgoingMessage(item.address, answer),
      deadline: item.deadline,
      since: item.since,
      after: item.answered,
      log: item.log,
    });
    if (delivered.result === "delivered" && result.handover) this.options.handover?.submit(result.handover, item.log);
    await this.settle(item, delivered.result === "session_closed" || delivered.result === "session_not_found");
  }

  /** Stopping: the outcome will not come in time. Tells the customer (Failed: the flow's failure path) and lets go. */
  private async abandon(item: Deferred): Promise<void> {
    if (item.abandoned) return;
    item.abandoned = true;
    item.stop.abort();
    this.options.deliveries.dropWaiting(item.sessionId, "progress");
    this.options.digitalMetrics.abandoned.inc({ reason: "stopping" });
    item.log.warn({}, "the service is stopping before this reply was ready: the session ends Failed (the flow's failure path)");
    // No apology of its own: the flow's failure path sends the one apology, in the customer's language.
    const body = toOutgoingMessage(item.address, {
      botState: "Failed",
      replyMessages: [],
      errorInfo: { errorCode: "SERVICE_STOPPING", errorMessage: "the service stopped before the reply was ready" },
    });
    const deadline = Math.min(item.deadline, this.options.clock.now() + ABANDON_DELIVERY_MS);
    await this.options.deliveries.send({ session: item.sessionId, kind: "abandoned", body, deadline, since: item.since, after: item.answered, log: item.log });
    await this.settle(item, false);
  }

  /** The reply is out (or given up): the marker goes, or the whole session when Genesys says it is gone. */
  private async settle(item: Deferred, sessionGone: boolean): Promise<void> {
    try {
      if (sessionGone) await this.options.store.delete(item.sessionId);
      else if (!(await item.view.release(item.messageId))) item.log.warn({}, "the session's marker could not be removed; it ends with its lease");
    } catch (err) {
      item.log.warn({ err: { name: (err as Error).name, message: (err as Error).message } }, "the session could not be updated after the reply");
    } finally {
      if (this.deferred.get(item.sessionId) === item) this.deferred.delete(item.sessionId);
      this.options.digitalMetrics.deferred.set(this.deferred.size);
    }
  }
}
