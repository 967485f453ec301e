import { performance } from "node:perf_hooks";
import { type TurnLogger } from "./observability/logger";
import { chooseLanguage } from "./bots/localize";
import { type Resolution } from "./bots/registry";
import { beginTurn, type RunnableBot, systemMessage, type TurnOutcome, type TurnStep } from "./engine/engine";
import { type SessionState } from "./engine/state";
import { type TranscriptLimits } from "./engine/transcript";
import { handoverContextOf, type HandoverContext } from "./handover/context";
import { type ServiceMetrics, type TurnOutcomeLabel } from "./observability/metrics";
import { type BotResponse, type TurnRequest } from "./protocol/types";
import { SessionConflictError, type SessionStore } from "./sessions/store";
import { UPSTREAM_FAILURES } from "./upstream/contract";
import { type UpstreamCaller } from "./upstream/client";

export interface TurnDependencies {
  store: SessionStore;
  metrics: ServiceMetrics;
  /** The longest a turn may take; past it the turn is answered `Failed` so Architect takes its failure path. */
  budgetMs: number;
  now?: () => Date;
  /** Performs the upstream agent calls the conversation asks for (none configured: such a node fails). */
  upstreams?: UpstreamCaller;
  /** Hand-over context is enabled: keep a transcript this long in the session and describe hand-overs. */
  transcript?: TranscriptLimits;
}

export interface TurnResult {
  response: BotResponse;
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

const ENGLISH_TECHNICAL_PROBLEM = "Sorry, something went wrong on my side. Let me connect you with a colleague.";

function serviceFailure(bot: RunnableBot | undefined, language: string | undefined, errorCode: string, errorMessage: string): BotResponse {
  const text = bot
    ? systemMessage(bot.definition, "technicalProblem", chooseLanguage(language, bot.definition.languages, bot.definition.defaultLanguage))
    : ENGLISH_TECHNICAL_PROBLEM;
  return { botState: "Failed", replymessages: [{ type: "Text", text }], errorInfo: { errorCode, errorMessage } };
}

class BudgetExceeded extends Error {}

type ConversationResult = Omit<TurnResult, "bot" | "version">;

/** The latest session state the turn has seen (for the hand-over context of a turn that could not finish). */
interface Seen {
  state?: SessionState;
}

interface ConverseContext {
  signal: AbortSignal;
  /** `performance.now()` time by which upstream calls must be settled. */
  upstreamDeadline: number;
  log: TurnLogger;
  seen: Seen;
}

/** Runs the engine, making the upstream calls it asks for; an engine error becomes a Failed answer. */
async function runEngine(request: TurnRequest, bot: RunnableBot, stored: SessionState | undefined, deps: TurnDependencies, ctx: ConverseContext): Promise<TurnOutcome | ConversationResult> {
  const engineFailure = (err: unknown): ConversationResult => {
    ctx.log.error({ err }, "conversation engine failed");
    return { response: serviceFailure(bot, request.languageCode, "ENGINE_ERROR", "the bot could not process this turn"), outcome: "error" };
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
    if (ctx.signal.aborted) throw new BudgetExceeded();
    try {
      step = step.resume(outcome);
    } catch (err) {
      return engineFailure(err);
    }
  }
  return step.outcome;
}

async function converse(request: TurnRequest, bot: RunnableBot, deps: TurnDependencies, ctx: ConverseContext): Promise<ConversationResult> {
  const { signal, log } = ctx;
  const language = request.languageCode;
  for (let attempt = 0; attempt <= MAX_CONFLICT_RETRIES; attempt++) {
    let stored;
    try {
      stored = await deps.store.load(request.botSessionId, signal);
    } catch (err) {
      if (signal.aborted) throw new BudgetExceeded();
      deps.metrics.storeErrors.inc({ operation: "load", kind: (err as Error).name });
      log.error({ err }, "session store load failed");
      return { response: serviceFailure(bot, language, "SESSION_STORE_UNAVAILABLE", "the session store could not be read"), outcome: "store_unavailable" };
    }
    if (signal.aborted) throw new BudgetExceeded();
    if (stored) ctx.seen.state = stored.state;
    // On a lost conditional write the turn runs again on the fresh state, upstream calls included (with a new
    // request id: the session has moved on).
    const ran = await runEngine(request, bot, stored?.state, deps, ctx);
    if (!("state" in ran)) return ran;
    const outcome = ran;
    ctx.seen.state = outcome.state;
    for (const warning of outcome.warnings) log.warn({ warning }, "bot definition produced an unusable value");
    if (outcome.replayed) return { response: outcome.response, outcome: outcome.response.botState, event: outcome.event, turn: outcome.state.turns };
    if (signal.aborted) throw new BudgetExceeded();
    try {
      await deps.store.save(request.botSessionId, outcome.state, {
        expectedVersion: stored?.version,
        ttlSeconds: request.sessionTimeoutMinutes * 60,
        signal,
      });
    } catch (err) {
      if (err instanceof SessionConflictError) {
        deps.metrics.storeErrors.inc({ operation: "save", kind: "conflict" });
        log.info({ attempt }, "concurrent turn saved first; retrying on fresh state");
        continue;
      }
      if (signal.aborted) throw new BudgetExceeded();
      deps.metrics.storeErrors.inc({ operation: "save", kind: (err as Error).name });
      log.error({ err }, "session store save failed");
      return { response: serviceFailure(bot, language, "SESSION_STORE_UNAVAILABLE", "the session could not be saved"), outcome: "store_unavailable" };
    }
    return { response: outcome.response, outcome: outcome.response.botState, event: outcome.event, turn: outcome.state.turns };
  }
  return { response: serviceFailure(bot, language, "SESSION_CONFLICT", "concurrent turns of this session kept colliding"), outcome: "conflict" };
}

/**
 * Answers one turn within the budget: resolves the bot, loads the session, runs one conversation step,
 * saves. Never throws and never answers late: past the budget (minus a small margin) it answers
 * `Failed` with `errorInfo`, aborts the work still running and does not save its result.
 */
export async function answerTurn(
  request: TurnRequest,
  resolution: Resolution,
  deps: TurnDependencies,
  startedAt: number,
  log: TurnLogger,
): Promise<TurnResult> {
  const withHandover = (result: Omit<TurnResult, "handover">, bot: RunnableBot | undefined, state: SessionState | undefined): TurnResult => {
    if (!deps.transcript) return result;
    const handover = handoverContextOf(result.response, request, bot?.definition, state, deps.now?.() ?? new Date());
    return handover ? { ...result, handover } : result;
  };
  if (!resolution.ok) {
    log.warn({ reason: resolution.reason }, resolution.message);
    return withHandover(
      {
        response: serviceFailure(undefined, undefined, resolution.reason === "unknown_bot" ? "UNKNOWN_BOT" : "UNKNOWN_BOT_VERSION", resolution.message),
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
    timer = setTimeout(() => resolve("late"), Math.max(0, deadlineAt - performance.now()));
  });
  const context: ConverseContext = { signal: controller.signal, upstreamDeadline: deadlineAt - upstreamReserve(deps.budgetMs), log, seen };
  const work = converse(request, bot, deps, context).catch((err: unknown): ConversationResult | "late" => {
    if (err instanceof BudgetExceeded) return "late";
    log.error({ err }, "turn failed");
    return { response: serviceFailure(bot, request.languageCode, "INTERNAL_ERROR", "the turn could not be completed"), outcome: "error" };
  });
  const result = await Promise.race([work, deadline]);
  clearTimeout(timer);
  if (result === "late") {
    controller.abort();
    log.warn({ budgetMs: deps.budgetMs }, "turn exceeded its budget; answered Failed");
    return withHandover(
      {
        response: serviceFailure(bot, request.languageCode, "TURN_BUDGET_EXCEEDED", `the turn took longer than ${deps.budgetMs} ms`),
        outcome: "budget_exceeded",
        ...labels,
      },
      bot,
      seen.state,
    );
  }
  return withHandover({ ...result, ...labels }, bot, seen.state);
}
