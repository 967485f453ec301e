import { performance } from "node:perf_hooks";
import { type TurnLogger } from "./observability/logger";
import { chooseLanguage } from "./bots/localize";
import { type Resolution } from "./bots/registry";
import { runTurn, type RunnableBot, systemMessage, type TurnOutcome } from "./engine/engine";
import { type ServiceMetrics, type TurnOutcomeLabel } from "./observability/metrics";
import { type BotResponse, type TurnRequest } from "./protocol/types";
import { SessionConflictError, type SessionStore } from "./sessions/store";

export interface TurnDependencies {
  store: SessionStore;
  metrics: ServiceMetrics;
  /** The longest a turn may take; past it the turn is answered `Failed` so Architect takes its failure path. */
  budgetMs: number;
  now?: () => Date;
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
}

/** Time kept back from the budget to serialise and send the answer. */
export function budgetMargin(budgetMs: number): number {
  return Math.min(50, Math.floor(budgetMs / 10));
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

async function converse(
  request: TurnRequest,
  bot: RunnableBot,
  deps: TurnDependencies,
  signal: AbortSignal,
  log: TurnLogger,
): Promise<ConversationResult> {
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
    let outcome: TurnOutcome;
    try {
      outcome = runTurn(bot, stored?.state, request, { now: deps.now?.() ?? new Date() });
    } catch (err) {
      log.error({ err }, "conversation engine failed");
      return { response: serviceFailure(bot, language, "ENGINE_ERROR", "the bot could not process this turn"), outcome: "error" };
    }
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
  if (!resolution.ok) {
    log.warn({ reason: resolution.reason }, resolution.message);
    return {
      response: serviceFailure(undefined, undefined, resolution.reason === "unknown_bot" ? "UNKNOWN_BOT" : "UNKNOWN_BOT_VERSION", resolution.message),
      outcome: "unknown_bot",
      bot: "unknown",
      version: "unknown",
    };
  }
  const bot = resolution.bot;
  const labels = { bot: bot.definition.id, version: bot.definition.version };
  const remaining = deps.budgetMs - budgetMargin(deps.budgetMs) - (performance.now() - startedAt);
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<"late">((resolve) => {
    timer = setTimeout(() => resolve("late"), Math.max(0, remaining));
  });
  const work = converse(request, bot, deps, controller.signal, log).catch((err: unknown): ConversationResult | "late" => {
    if (err instanceof BudgetExceeded) return "late";
    log.error({ err }, "turn failed");
    return { response: serviceFailure(bot, request.languageCode, "INTERNAL_ERROR", "the turn could not be completed"), outcome: "error" };
  });
  const result = await Promise.race([work, deadline]);
  clearTimeout(timer);
  if (result === "late") {
    controller.abort();
    log.warn({ budgetMs: deps.budgetMs }, "turn exceeded its budget; answered Failed");
    return {
      response: serviceFailure(bot, request.languageCode, "TURN_BUDGET_EXCEEDED", `the turn took longer than ${deps.budgetMs} ms`),
      outcome: "budget_exceeded",
      ...labels,
    };
  }
  return { ...result, ...labels };
}
