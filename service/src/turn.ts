import { performance } from "node:perf_hooks";
import { type TurnLogger } from "./observability/logger";
import { type Resolution } from "./bots/registry";
import { beginTurn, type RunnableBot, type TurnOutcome, type TurnStep } from "./engine/engine";
import { type SessionState } from "./engine/state";
import { type TranscriptLimits } from "./engine/transcript";
import { handoverContextOf, type HandoverContext } from "./handover/context";
import { type LimitName, type ServiceMetrics, type TurnOutcomeLabel } from "./observability/metrics";
import { type BotResponse, type TurnRequest } from "./protocol/types";
import { admitParameters, type ParameterLimits, shedTranscript } from "./sessions/limits";
import {
  REMEMBERED_TURN_IDS,
  SessionConflictError,
  type SessionMeta,
  type SessionStore,
  SessionTooLargeError,
  type StoredSession,
} from "./sessions/store";
import { UPSTREAM_FAILURES } from "./upstream/contract";
import { type UpstreamCaller } from "./upstream/client";

export interface TurnLimits {
  /** Longest customer text a turn processes (`TURN_TEXT_MAX_CHARS`); the rest of a longer message is dropped. */
  textMaxChars: number;
  /** What a session keeps of the request's parameters. */
  parameters: ParameterLimits;
}

export interface TurnDependencies {
  store: SessionStore;
  metrics: ServiceMetrics;
  /** The longest a turn may take; past it the turn is answered `Failed` so Architect takes its failure path. */
  budgetMs: number;
  limits: TurnLimits;
  now?: () => Date;
  /** Monotonic milliseconds the budget is measured on (`performance.now` unless a test injects one). */
  clock?: () => number;
  /** Performs the upstream agent calls the conversation asks for (none configured: such a node fails). */
  upstreams?: UpstreamCaller;
  /** Hand-over context is enabled: keep a transcript this long in the session and describe hand-overs. */
  transcript?: TranscriptLimits;
}

export interface TurnResult {
  response: BotResponse;
  /** The response as the JSON text to send, when the turn serialised it already (to store it): sent as is. */
  responseJson?: string;
  outcome: TurnOutcomeLabel;
  /** The bot and version that answered, or "unknown" (metric labels must not come from raw input). */
  bot: string;
  version: string;
  /** What the conversation did, when it ran. */
  event?: TurnOutcome["event"];
  /** Turns so far in this session, when it ran. */
  turn?: number;
  /** What the agent should know, when the answer hands over and hand-over context is enabled. */
  handover?: HandoverContext;
}

/** The fields of a turn's summary log line, the same for every protocol. */
export function turnSummaryFields(result: TurnResult, seconds: number) {
  return {
    outcome: result.outcome,
    event: result.event,
    botState: result.response.botState,
    intent: result.response.intent,
    errorCode: result.response.errorInfo?.errorCode,
    turn: result.turn,
    latencyMs: Math.round(seconds * 10_000) / 10,
  };
}

/** Time kept back from the budget to serialise and send the answer. */
export function budgetMargin(budgetMs: number): number {
  return Math.min(50, Math.floor(budgetMs / 10));
}

/**
 * Time kept back from an upstream call for what follows it (saving the session): an agent that uses all its
 * time still leaves the turn enough to save and answer in time.
 */
export function upstreamReserve(budgetMs: number): number {
  return Math.min(250, Math.floor(budgetMs / 10));
}

/** Conditional-write races lost before the turn gives up (each retry re-reads the session). */
const MAX_CONFLICT_RETRIES = 3;

/**
 * A technical failure: `Failed` with its reason and no message of its own. The flow's failure path sends the one
 * apology, in the conversation's language (the bot's technicalProblem text, rendered into the flow), and it is
 * the only message that also reaches a customer when Genesys could not reach the bot at all: a text here would
 * be a second apology.
 */
function serviceFailure(errorCode: string, errorMessage: string): BotResponse {
  return { botState: "Failed", replymessages: [], errorInfo: { errorCode, errorMessage } };
}

class BudgetExceeded extends Error {}

/**
 * The customer input a turn processes: text (and a button's text and payload) beyond `maxChars` is dropped, so
 * every later pass over it is bounded. Cuts between UTF-16 units of one character are moved back by one.
 */
export function capTurnInput(request: TurnRequest, maxChars: number): { request: TurnRequest; cut: boolean } {
  const { text, payload } = request.input;
  if (text.length <= maxChars && (payload === undefined || payload.length <= maxChars)) return { request, cut: false };
  const input = { ...request.input, text: cutAt(text, maxChars) };
  if (payload !== undefined) input.payload = cutAt(payload, maxChars);
  return { request: { ...request, input }, cut: true };
}

function cutAt(text: string, max: number): string {
  if (text.length <= max) return text;
  const last = text.charCodeAt(max - 1);
  // A high surrogate at the cut would leave half a character.
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}

type ConversationResult = Omit<TurnResult, "bot" | "version">;

/** The latest session state the turn has seen (for the hand-over context of a turn that could not finish). */
interface Seen {
  state?: SessionState;
}

interface ConverseContext {
  signal: AbortSignal;
  /** `performance.now()` time by which upstream calls must be settled. */
  upstreamDeadline: number;
  /** Clock time past which the turn answers Failed instead of going on. */
  deadlineAt: number;
  clock: () => number;
  log: TurnLogger;
  seen: Seen;
  /** Limits this turn reached before the session was read (logged once the session says whether they were before). */
  reached: LimitName[];
}

/**
 * Stops the turn when the budget is spent. The deadline timer cannot fire while synchronous work runs, so the
 * turn also checks the clock after each piece of such work: a turn whose work overran answers Failed at once
 * instead of answering late.
 */
function checkBudget(ctx: ConverseContext): void {
  if (ctx.signal.aborted || ctx.clock() >= ctx.deadlineAt) throw new BudgetExceeded();
}

/** Runs the engine, making the upstream calls it asks for; an engine error becomes a Failed answer. */
async function runEngine(request: TurnRequest, bot: RunnableBot, stored: SessionState | undefined, deps: TurnDependencies, ctx: ConverseContext): Promise<TurnOutcome | ConversationResult> {
  const engineFailure = (err: unknown): ConversationResult => {
    ctx.log.error({ err }, "conversation engine failed");
    return { response: serviceFailure("ENGINE_ERROR", "the bot could not process this turn"), outcome: "error" };
  };
  let step: TurnStep;
  try {
    step = beginTurn(bot, stored, request, { now: deps.now?.() ?? new Date(), ...(deps.transcript ? { transcript: deps.transcript } : {}) });
  } catch (err) {
    return engineFailure(err);
  }
  while (step.kind === "upstream") {
    const outcome = deps.upstreams
      ? await deps.upstreams.call({ id: bot.definition.id, version: bot.definition.version }, step.call, {
          signal: ctx.signal,
          deadline: ctx.upstreamDeadline,
          log: ctx.log,
        })
      : ({ ok: false, errorCode: UPSTREAM_FAILURES.unreachable, errorMessage: `upstream "${step.call.agent}" is not configured` } as const);
    // Work past the budget is abandoned: its result is neither answered nor saved.
    checkBudget(ctx);
    try {
      step = step.resume(outcome);
    } catch (err) {
      return engineFailure(err);
    }
  }
  return step.outcome;
}

/** The answer already given to this turn id, when the stored session has one; undefined when the turn must run. */
function answeredBefore(stored: StoredSession, turnId: string, written: ConversationResult | undefined, deps: TurnDependencies): ConversationResult | undefined {
  const ids = stored.meta?.turnIds;
  if (!ids?.includes(turnId)) return undefined;
  if (written) {
    // Our conditional write landed although it was reported lost (its answer came late and the SDK's retry failed
    // its own version check): the outcome is what we wrote.
    deps.metrics.turnsReplayed.inc({ reason: "own_write" });
    return written;
  }
  const answerJson = stored.meta?.lastAnswer;
  if (answerJson === undefined) return undefined;
  // The same request again: the answer it already got (or, if the session moved on since, its current one),
  // never a second step.
  const answer = JSON.parse(answerJson) as BotResponse;
  deps.metrics.turnsReplayed.inc({ reason: "repeat" });
  return { response: answer, responseJson: answerJson, outcome: answer.botState, event: "replayed", turn: stored.state.turns };
}

/** Logs each limit once per session (the meta remembers which were), returns the list to remember. */
function noteLimits(reached: readonly LimitName[], meta: SessionMeta | undefined, log: TurnLogger): readonly string[] | undefined {
  const logged = meta?.limitsLogged ?? [];
  const fresh = reached.filter((l) => !logged.includes(l));
  if (fresh.length === 0) return meta?.limitsLogged;
  log.warn({ limits: fresh }, "session reached a limit; see docs/robustness.md (logged once per session)");
  return [...logged, ...fresh];
}

async function converse(request: TurnRequest, turnId: string, bot: RunnableBot, deps: TurnDependencies, ctx: ConverseContext): Promise<ConversationResult> {
  const { signal, log } = ctx;
  /** The answer of the last save that may have landed, to recognise our own write on a reported conflict. */
  let written: ConversationResult | undefined;
  for (let attempt = 0; attempt <= MAX_CONFLICT_RETRIES; attempt++) {
    let stored: StoredSession | undefined;
    try {
      stored = await deps.store.load(request.botSessionId, signal);
    } catch (err) {
      if (signal.aborted) throw new BudgetExceeded();
      deps.metrics.storeErrors.inc({ operation: "load", kind: (err as Error).name });
      log.error({ err }, "session store load failed");
      return { response: serviceFailure("SESSION_STORE_UNAVAILABLE", "the session store could not be read"), outcome: "store_unavailable" };
    }
    checkBudget(ctx);
    if (stored && stored.state.genesysConversationId !== request.genesysConversationId) {
      // Never continue, show or overwrite another conversation's session: Architect takes the failure path.
      deps.metrics.conversationMismatches.inc();
      log.warn({}, "botSessionId belongs to another genesysConversationId; turn refused");
      return {
        response: serviceFailure("SESSION_CONVERSATION_MISMATCH", "this botSessionId belongs to another conversation"),
        outcome: "conversation_mismatch",
      };
    }
    if (stored) {
      ctx.seen.state = stored.state;
      const before = answeredBefore(stored, turnId, written, deps);
      if (before) return before;
    }
    const params = admitParameters(stored?.state.params ?? {}, request.parameters, deps.limits.parameters);
    for (const limit of params.reached) deps.metrics.limitsReached.inc({ limit });
    // On a lost conditional write the turn runs again on the fresh state, upstream calls included (with a new
    // request id: the session has moved on).
    const admitted = params.parameters === request.parameters ? request : { ...request, parameters: params.parameters };
    const ran = await runEngine(admitted, bot, stored?.state, deps, ctx);
    if (!("state" in ran)) return ran;
    const outcome = ran;
    // The engine's work is synchronous: past the deadline, its result is neither answered nor saved.
    checkBudget(ctx);
    ctx.seen.state = outcome.state;
    for (const warning of outcome.warnings) log.warn({ warning }, "bot definition produced an unusable value");
    // Serialised once: the same text is stored with the session and sent.
    const responseJson = JSON.stringify(outcome.response);
    const result: ConversationResult = { response: outcome.response, responseJson, outcome: outcome.response.botState, event: outcome.event, turn: outcome.state.turns };
    const meta: SessionMeta = {
      turnIds: [...(stored?.meta?.turnIds ?? []), turnId].slice(-REMEMBERED_TURN_IDS),
      lastAnswer: responseJson,
    };
    const reached = params.reached.length === 0 ? ctx.reached : [...ctx.reached, ...params.reached];
    const limitsLogged = reached.length === 0 ? stored?.meta?.limitsLogged : noteLimits(reached, stored?.meta, log);
    if (limitsLogged) meta.limitsLogged = limitsLogged;
    written = result;
    try {
      await saveWithinLimits(request, outcome.state, meta, stored?.version, deps, ctx);
    } catch (err) {
      if (err instanceof SessionConflictError) {
        deps.metrics.storeErrors.inc({ operation: "save", kind: "conflict" });
        log.info({ attempt }, "concurrent turn saved first (or our own write's answer was lost); re-reading");
        continue;
      }
      if (err instanceof SessionTooLargeError) {
        deps.metrics.limitsReached.inc({ limit: "session_bytes" });
        log.warn({ bytes: err.bytes, maxBytes: err.maxBytes }, "session too large to save; turn answered Failed, session left as it was");
        return { response: serviceFailure("SESSION_TOO_LARGE", "the session reached its size limit"), outcome: "session_too_large" };
      }
      if (signal.aborted) throw new BudgetExceeded();
      deps.metrics.storeErrors.inc({ operation: "save", kind: (err as Error).name });
      log.error({ err }, "session store save failed");
      return { response: serviceFailure("SESSION_STORE_UNAVAILABLE", "the session could not be saved"), outcome: "store_unavailable" };
    }
    return result;
  }
  return { response: serviceFailure("SESSION_CONFLICT", "concurrent turns of this session kept colliding"), outcome: "conflict" };
}

/**
 * Saves the session; when it is over the store's size limit, drops the oldest transcript entries (hand-over
 * context loses its oldest turns, the conversation nothing) and saves once more. Throws SessionTooLargeError when
 * that is not enough.
 */
async function saveWithinLimits(
  request: TurnRequest,
  state: SessionState,
  meta: SessionMeta,
  expectedVersion: number | undefined,
  deps: TurnDependencies,
  ctx: ConverseContext,
): Promise<void> {
  const options = { expectedVersion, ttlSeconds: request.sessionTimeoutMinutes * 60, signal: ctx.signal };
  try {
    await deps.store.save(request.botSessionId, state, { ...options, meta });
  } catch (err) {
    if (!(err instanceof SessionTooLargeError)) throw err;
    const shed = shedTranscript(state, err.bytes - err.maxBytes);
    if (shed.dropped === 0) throw err;
    deps.metrics.limitsReached.inc({ limit: "session_transcript" });
    const limitsLogged = noteLimits(["session_transcript"], meta, ctx.log);
    await deps.store.save(request.botSessionId, shed.state, { ...options, meta: { ...meta, ...(limitsLogged ? { limitsLogged } : {}) } });
  }
}

/**
 * Answers one turn within the budget: resolves the bot, loads the session, runs one conversation step,
 * saves. Never throws and never answers late: past the budget (minus a small margin) it answers
 * `Failed` with `errorInfo`, aborts the work still running and does not save its result.
 */
export async function answerTurn(
  received: TurnRequest,
  turnId: string,
  resolution: Resolution,
  deps: TurnDependencies,
  startedAt: number,
  log: TurnLogger,
): Promise<TurnResult> {
  const clock = deps.clock ?? performance.now.bind(performance);
  const reached: LimitName[] = [];
  const capped = capTurnInput(received, deps.limits.textMaxChars);
  if (capped.cut) {
    reached.push("turn_text");
    deps.metrics.limitsReached.inc({ limit: "turn_text" });
  }
  const request = capped.request;
  const withHandover = (result: Omit<TurnResult, "handover">, bot: RunnableBot | undefined, state: SessionState | undefined): TurnResult => {
    if (!deps.transcript) return result;
    const handover = handoverContextOf(result.response, request, bot?.definition, state, deps.now?.() ?? new Date());
    return handover ? { ...result, handover } : result;
  };
  if (!resolution.ok) {
    log.warn({ reason: resolution.reason }, resolution.message);
    return withHandover(
      {
        response: serviceFailure(resolution.reason === "unknown_bot" ? "UNKNOWN_BOT" : "UNKNOWN_BOT_VERSION", resolution.message),
        outcome: "unknown_bot",
        bot: "unknown",
        version: "unknown",
      },
      undefined,
      undefined,
    );
  }
  const bot = resolution.bot;
  const labels = { bot: bot.definition.id, version: bot.definition.version };
  const deadlineAt = startedAt + deps.budgetMs - budgetMargin(deps.budgetMs);
  const controller = new AbortController();
  const seen: Seen = {};
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<"late">((resolve) => {
    timer = setTimeout(() => resolve("late"), Math.max(0, deadlineAt - clock()));
  });
  const context: ConverseContext = {
    signal: controller.signal,
    upstreamDeadline: deadlineAt - upstreamReserve(deps.budgetMs),
    deadlineAt,
    clock,
    log,
    seen,
    reached,
  };
  const work = converse(request, turnId, bot, deps, context).catch((err: unknown): ConversationResult | "late" => {
    if (err instanceof BudgetExceeded) return "late";
    log.error({ err }, "turn failed");
    return { response: serviceFailure("INTERNAL_ERROR", "the turn could not be completed"), outcome: "error" };
  });
  const result = await Promise.race([work, deadline]);
  clearTimeout(timer);
  if (result === "late") {
    controller.abort();
    log.warn({ budgetMs: deps.budgetMs }, "turn exceeded its budget; answered Failed");
    return withHandover(
      {
        response: serviceFailure("TURN_BUDGET_EXCEEDED", `the turn took longer than ${deps.budgetMs} ms`),
        outcome: "budget_exceeded",
        ...labels,
      },
      bot,
      seen.state,
    );
  }
  return withHandover({ ...result, ...labels }, bot, seen.state);
}
