import { createHash } from "node:crypto";
import {
  type BotDefinition,
  HANDOVER_REASON_PARAMETER,
  type InterruptDef,
  type LocalizedText,
  type NodeDef,
  type OptionalQuestionDef,
  type QuestionDef,
  type SystemMessageKey,
  type UpstreamNodeDef,
} from "../bots/definition";
import { GENESYS_LIMITS } from "../bots/limits";
import { chooseLanguage, localizedText, localizedWords } from "../bots/localize";
import { phrasesOf, saysExactly, saysWithin, utteranceOf, type WordsOf } from "./matching";
import { evaluateTemplate, renderTemplate, type TemplateScope, valueToText } from "../bots/template";
import { nodeKind } from "../bots/validate";
import { type BotResponse, type QuickReplyContent, type ReplyMessage, type SlotValue, type TurnRequest } from "../protocol/types";
import { type Answer, choiceWords, NO_PAYLOAD, parseAnswer, YES_PAYLOAD, yesNoLabels } from "./answers";
import { evaluateCondition } from "./conditions";
import { CONTRACT_VERSION, MAX_REPLY_MESSAGES, UPSTREAM_FAILURES, type UpstreamAction, type UpstreamInput, type UpstreamOutcome, type UpstreamRequest } from "../upstream/contract";
import { checkUpstreamReply, type ReplyCheck } from "../upstream/reply";
import { appendQuickReplies, literalMessages, quickReply, type RenderContext, renderMessages, renderText, splitPayload, tagPayloads } from "./content";
import { formatSlotValue } from "./slots";
import { type SessionState, type VarValue } from "./state";
import { appendTranscript, type TranscriptLimits } from "./transcript";

/** A bot ready to run: its definition plus what is derived once at load time. */
export interface RunnableBot {
  definition: BotDefinition;
  textLimit: number;
}

export interface EngineContext {
  now: Date;
  /** Keep a short transcript in the session (for hand-over context); off when absent. */
  transcript?: TranscriptLimits;
  /**
   * Answers upstream calls synchronously, for `runTurn` (tests, tools). The service uses `beginTurn` and performs
   * the calls itself; without either, an upstream node fails as unreachable.
   */
  upstream?: (call: UpstreamCall) => UpstreamOutcome;
}

/** What happened in a turn, for logs and metrics (never customer text). */
export type TurnEvent =
  | "started"
  | "answered"
  | "reprompted"
  | "no-match"
  | "skipped"
  | "stale-button"
  | "interrupted"
  | "replayed"
  | "upstream"
  | "upstream-failed";

/**
 * A call to an upstream agent the engine needs before it can finish the turn. The engine stays free of I/O: the
 * caller sends `request`, checks the parsed reply with `check` and resumes the turn with the outcome.
 */
export interface UpstreamCall {
  /** The agent's name under the definition's `upstreams`. */
  agent: string;
  node: string;
  request: UpstreamRequest;
  /** Checks a parsed JSON reply against the contract and what this node allows. */
  check(raw: unknown): ReplyCheck;
}

/** A turn in progress: finished, or waiting for an upstream call. */
export type TurnStep = { kind: "done"; outcome: TurnOutcome } | { kind: "upstream"; call: UpstreamCall; resume(outcome: UpstreamOutcome): TurnStep };

export interface TurnOutcome {
  state: SessionState;
  response: BotResponse;
  event: TurnEvent;
  /** Problems worth a log line, such as a slot value that fits no Genesys format. */
  warnings: string[];
}

/** Payload of the quick reply that skips an optional question (the `__` prefix is reserved). */
export const SKIP_PAYLOAD = "__skip__";
/** Tag of buttons sent with a turn that ends the session: no question of this session answers them. */
const NO_QUESTION_TAG = "_";
/** Bound on nodes visited in one turn; definitions are checked for loops, this guards the engine itself. */
const MAX_STEPS = 500;
/** Bound on upstream calls in one turn (definitions forbid cycles through agents that never wait; this guards the engine). */
const MAX_UPSTREAM_CALLS = 3;

/** The engine waits for an upstream agent before the turn can go on. */
interface Suspension {
  suspended: UpstreamCall;
}

/** Where running nodes stopped: an answer for Genesys, or an upstream call to make first. */
type RunResult = BotResponse | Suspension;

function isSuspension(result: RunResult): result is Suspension {
  return "suspended" in result;
}

/** The messages the engine sends itself; technicalProblem is the flow's (its failure path), never the engine's. */
type EngineMessageKey = Exclude<SystemMessageKey, "technicalProblem">;

const DEFAULT_SYSTEM_MESSAGES: Record<EngineMessageKey, string> = {
  staleButton: "That option belongs to an earlier question.",
  noMatch: "Sorry, I couldn't understand that. Let me connect you with a colleague.",
};

/** The engine's message for a system situation, in the bot's words when it defines them. */
export function systemMessage(def: BotDefinition, key: EngineMessageKey, language: string): string {
  const text: LocalizedText = def.systemMessages?.[key] ?? DEFAULT_SYSTEM_MESSAGES[key];
  return localizedText(text, language, def.defaultLanguage);
}

function toVarValue(value: unknown): VarValue {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? value : valueToText(value);
}

class Turn {
  readonly messages: ReplyMessage[] = [];
  readonly warnings: string[] = [];
  readonly def: BotDefinition;
  private upstreamCalls = 0;

  constructor(
    readonly bot: RunnableBot,
    readonly state: SessionState,
    private readonly request: TurnRequest,
    private readonly now: Date,
  ) {
    this.def = bot.definition;
  }

  get scope(): TemplateScope {
    return { vars: this.state.vars, params: this.state.params, language: this.state.language };
  }

  get render(): RenderContext {
    return { language: this.state.language, defaultLanguage: this.def.defaultLanguage, scope: this.scope, textLimit: this.bot.textLimit };
  }

  say(text: string): void {
    this.messages.push({ type: "Text", text });
  }

  prompt(nodeId: string, question: QuestionDef, retry: boolean): BotResponse {
    const render = this.render;
    this.messages.push(...renderMessages(retry ? (question.retryPrompt ?? question.prompt) : question.prompt, render));
    const replies: QuickReplyContent[] = [];
    const answer = question.answer;
    if (answer.type === "choice" && answer.present !== "none") {
      for (const o of answer.options) replies.push(quickReply(renderText(o.label, render, 128), o.value));
    } else if (answer.type === "yesNo") {
      const [yes, no] = yesNoLabels(this.state.language);
      replies.push(quickReply(yes, YES_PAYLOAD), quickReply(no, NO_PAYLOAD));
    }
    const skip = this.def.nodes[nodeId]?.optionalQuestion?.skip.button;
    if (skip) replies.push(quickReply(renderText(skip, render, 128), SKIP_PAYLOAD));
    appendQuickReplies(this.messages, replies);
    tagPayloads(this.messages, nodeId);
    return { botState: "MoreData", replymessages: this.messages };
  }

  slots(intent: string, templates: Record<string, string> | undefined): Record<string, SlotValue> | undefined {
    const declared = this.def.intents[intent]?.slots ?? {};
    const entries: Array<[string, string]> = templates
      ? Object.entries(templates)
      : Object.keys(declared).map((slot) => [slot, `{{vars.${slot}}}`]);
    const out: Record<string, SlotValue> = {};
    for (const [slot, template] of entries) {
      const type = declared[slot];
      if (!type) continue;
      const raw = evaluateTemplate(template, this.scope);
      if (raw === undefined || raw === "") continue;
      const value = formatSlotValue(type, raw);
      if (value === undefined) this.warnings.push(`slot "${slot}" of intent "${intent}" is not a valid ${type}; left out`);
      else out[slot] = value;
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }

  parameters(templates: Record<string, string> | undefined, extra: Record<string, string> = {}): Record<string, string> | undefined {
    const out: Record<string, string> = {};
    for (const [name, template] of Object.entries(templates ?? {})) out[name] = renderTemplate(template, this.scope);
    Object.assign(out, extra);
    return Object.keys(out).length > 0 ? out : undefined;
  }

  end(state: "Complete" | "Failed"): void {
    this.state.ended = state;
    delete this.state.awaiting;
    tagPayloads(this.messages, NO_QUESTION_TAG);
  }

  /** Ends the session `Complete` with an intent, its declared slots and output parameters. */
  complete(intent: string, slotTemplates: Record<string, string> | undefined, parameters: Record<string, string> | undefined): BotResponse {
    return this.completeWith(intent, this.slots(intent, slotTemplates), parameters);
  }

  completeWith(intent: string, slotValues: Record<string, SlotValue> | undefined, parameters: Record<string, string> | undefined): BotResponse {
    this.end("Complete");
    return {
      botState: "Complete",
      replymessages: this.messages,
      intent,
      confidence: 1,
      ...(slotValues ? { slotValues } : {}),
      ...(parameters ? { parameters } : {}),
    };
  }

  /** The intent of a hand-over: its own, else the bot's default (the loader rejects a bot that would need one and lacks it). */
  handoverIntent(intent: string | undefined): string {
    const name = intent ?? this.def.defaultHandoverIntent;
    if (name === undefined) throw new Error(`bot ${this.def.id} hands over without an intent and declares no defaultHandoverIntent`);
    return name;
  }

  /**
   * A designed hand-over: `Complete` with a hand-over intent, its slots (from templates, else the variables of the
   * same names) and `handoverReason`, so Architect takes the intent's path, writes participant data and transfers.
   * Never `Failed`: that is kept for technical failures.
   */
  handover(intent: string | undefined, reason: string, slotTemplates: Record<string, string> | undefined, parameters: Record<string, string> | undefined): BotResponse {
    const name = this.handoverIntent(intent);
    return this.completeWith(name, this.slots(name, slotTemplates), { ...parameters, [HANDOVER_REASON_PARAMETER]: reason });
  }

  fail(errorCode: string, errorMessage: string, parameters?: Record<string, string>): BotResponse {
    this.end("Failed");
    return { botState: "Failed", replymessages: this.messages, errorInfo: { errorCode, errorMessage }, ...(parameters ? { parameters } : {}) };
  }

  /** Runs nodes from `startId` until one waits for the customer, ends the session or needs an upstream agent. */
  run(startId: string, pending?: Answer): RunResult {
    let id = startId;
    for (let step = 0; step < MAX_STEPS; step++) {
      const node = this.def.nodes[id] as NodeDef;
      switch (nodeKind(node)) {
        case "say":
          this.messages.push(...renderMessages(node.say ?? [], this.render));
          id = node.next as string;
          break;
        case "set":
          for (const [name, template] of Object.entries(node.set ?? {})) this.state.vars[name] = toVarValue(evaluateTemplate(template, this.scope));
          id = node.next as string;
          break;
        case "branch": {
          const branch = node.branch as NonNullable<NodeDef["branch"]>;
          id = branch.cases.find((c) => evaluateCondition(c.when, this.scope))?.next ?? branch.default;
          break;
        }
        case "question":
        case "optionalQuestion": {
          const question = (node.question ?? node.optionalQuestion) as QuestionDef;
          // The first turn's text may already answer the first question (e.g. "I want to return something").
          if (pending) {
            const result = parseAnswer(question.answer, pending, this.answerContext);
            pending = undefined;
            if (result.ok) {
              this.state.vars[question.var] = result.value;
              id = node.next as string;
              break;
            }
          }
          this.state.awaiting = { node: id, attempts: 0 };
          return this.prompt(id, question, false);
        }
        case "complete": {
          const c = node.complete as NonNullable<NodeDef["complete"]>;
          this.messages.push(...renderMessages(c.say ?? [], this.render));
          return this.complete(c.intent, c.slots, this.parameters(c.parameters));
        }
        case "handover": {
          const h = node.handover as NonNullable<NodeDef["handover"]>;
          this.messages.push(...renderMessages(h.say ?? [], this.render));
          return this.handover(h.intent, renderTemplate(h.reason, this.scope), h.slots, this.parameters(h.parameters));
        }
        case "upstream":
          // The agent gets the customer's input of this turn, even if a question before it already used it.
          return this.callUpstream(id, "start", this.input);
      }
    }
    return this.fail("ENGINE_LOOP", `more than ${MAX_STEPS} nodes in one turn`);
  }

  /** The customer's input as an agent sees it (a button of the agent's own carries its payload). */
  get input(): UpstreamInput {
    return { type: "text", text: this.request.input.text };
  }

  /** Asks for a call to the agent of an upstream node; the turn goes on in `resumeUpstream`. */
  callUpstream(nodeId: string, event: UpstreamRequest["event"], input: UpstreamInput): RunResult {
    if (++this.upstreamCalls > MAX_UPSTREAM_CALLS) return this.fail("ENGINE_LOOP", `more than ${MAX_UPSTREAM_CALLS} upstream calls in one turn`);
    const nodeDef = this.def.nodes[nodeId] as NodeDef;
    const node = nodeDef.upstream as UpstreamNodeDef;
    const allowedIntents = Object.fromEntries(
      (node.intents ?? Object.keys(this.def.intents)).map((name) => [name, this.def.intents[name] ?? {}] as const),
    );
    const actions: UpstreamAction[] = ["continue", "complete", "handover", ...(nodeDef.next ? (["return"] as const) : [])];
    const request: UpstreamRequest = {
      version: CONTRACT_VERSION,
      requestId: requestId(this.request, this.state.turns, nodeId, this.upstreamCalls),
      event,
      bot: { id: this.def.id, version: this.def.version },
      node: nodeId,
      botSessionId: this.request.botSessionId,
      genesysConversationId: this.state.genesysConversationId,
      language: this.state.language,
      turn: this.state.turns,
      input,
      parameters: { ...this.state.params },
      variables: { ...this.state.vars },
      allowed: {
        actions,
        intents: Object.fromEntries(Object.entries(allowedIntents).map(([name, i]) => [name, { handover: i.handover === true, slots: { ...i.slots } }])),
        variables: [...(node.variables ?? [])],
        parameters: [...(node.parameters ?? [])],
      },
      limits: {
        textLength: this.bot.textLimit,
        quickRepliesPerMessage: GENESYS_LIMITS.quickRepliesPerMessage,
        cardsPerCarousel: GENESYS_LIMITS.cardsPerCarousel,
        messages: MAX_REPLY_MESSAGES,
      },
    };
    const constraints = {
      intents: allowedIntents,
      variables: new Set(node.variables ?? []),
      parameters: new Set(node.parameters ?? []),
      canReturn: nodeDef.next !== undefined,
      textLimit: this.bot.textLimit,
    };
    return { suspended: { agent: node.agent, node: nodeId, request, check: (raw) => checkUpstreamReply(raw, constraints) } };
  }

  /** Goes on after an upstream call: the agent's messages and decision, or the node's failure path. */
  resumeUpstream(call: UpstreamCall, outcome: UpstreamOutcome): RunResult {
    const nodeDef = this.def.nodes[call.node] as NodeDef;
    const node = nodeDef.upstream as UpstreamNodeDef;
    if (!outcome.ok) {
      delete this.state.awaiting;
      if (node.onFailure) return this.run(node.onFailure);
      // No apology here: the flow's failure path sends it, in the customer's language (see serviceFailure).
      return this.fail(outcome.errorCode, outcome.errorMessage);
    }
    const reply = outcome.reply;
    this.messages.push(...literalMessages(reply.messages));
    for (const [name, value] of Object.entries(reply.variables ?? {})) this.state.vars[name] = value;
    switch (reply.action) {
      case "continue":
        // The agent answers the customer's next message too: the node waits like a question does.
        this.state.awaiting = { node: call.node, attempts: 0 };
        tagPayloads(this.messages, call.node);
        return { botState: "MoreData", replymessages: this.messages };
      case "complete":
        return this.completeWith(reply.intent as string, reply.slotValues, reply.parameters);
      case "handover": {
        const parameters = { ...reply.parameters, [HANDOVER_REASON_PARAMETER]: reply.reason as string };
        // An agent that names no intent gets the bot's default, with the slots collected so far.
        if (reply.intent) return this.completeWith(reply.intent, reply.slotValues, parameters);
        const name = this.handoverIntent(undefined);
        return this.completeWith(name, this.slots(name, undefined), parameters);
      }
      case "return":
        delete this.state.awaiting;
        return this.run(nodeDef.next as string);
    }
  }

  get answerContext() {
    return { language: this.state.language, defaultLanguage: this.def.defaultLanguage, now: this.now, timeZone: this.def.timeZone ?? "UTC" };
  }
}

/**
 * The idempotency key of an upstream call: the same for a retry of the same logical call (same session, turn,
 * node, call and input), different otherwise, so an agent can recognise a retried call and answer it again
 * without acting twice.
 */
function requestId(request: TurnRequest, turn: number, node: string, call: number): string {
  const parts = [request.botSessionId, turn, node, call, request.input.kind, request.input.text, request.input.payload ?? ""];
  return createHash("sha256").update(JSON.stringify(parts)).digest("base64url").slice(0, 32);
}

const interruptWords: WordsOf<InterruptDef> = (i, language, defaultLanguage) => localizedWords(i.words, language, defaultLanguage);
const skipWords: WordsOf<OptionalQuestionDef["skip"]> = (skip, language, defaultLanguage) => localizedWords(skip.words, language, defaultLanguage);

/**
 * Prepares, when a bot is loaded, every phrase its turns compare the customer's words with (interrupt words, skip
 * words, choice options) in each of its languages, so that no turn does it.
 */
export function preparePhrases(def: BotDefinition): void {
  for (const language of def.languages) {
    for (const i of def.interrupts ?? []) phrasesOf(i, language, def.defaultLanguage, interruptWords);
    for (const node of Object.values(def.nodes)) {
      const question = node.question ?? node.optionalQuestion;
      if (question?.answer.type === "choice") for (const o of question.answer.options) phrasesOf(o, language, def.defaultLanguage, choiceWords);
      if (node.optionalQuestion) phrasesOf(node.optionalQuestion.skip, language, def.defaultLanguage, skipWords);
    }
  }
}

/**
 * The interrupt the customer's input triggers: a button carrying its payload (from any turn), or its words. Inside a
 * free-text answer only the exact words interrupt ("the agent was rude" is an answer); elsewhere the words may stand
 * anywhere in the message, in any order and inflection ("can I talk to a real person please").
 */
function matchInterrupt(def: BotDefinition, request: TurnRequest, language: string, freeText: boolean, byWords = true): InterruptDef | undefined {
  const interrupts = def.interrupts ?? [];
  if (request.input.kind === "button" && request.input.payload !== undefined) {
    const { payload } = splitPayload(request.input.payload);
    const byPayload = interrupts.find((i) => i.payload === payload);
    if (byPayload) return byPayload;
  }
  if (!byWords || interrupts.every((i) => i.words === undefined)) return undefined;
  const said = utteranceOf(request.input.text, language);
  if (said.normalized === "") return undefined;
  const phrases = (i: InterruptDef) => phrasesOf(i, language, def.defaultLanguage, interruptWords);
  return interrupts.find((i) => phrases(i).some((p) => saysExactly(said, p))) ?? (freeText ? undefined : interrupts.find((i) => phrases(i).some((p) => saysWithin(said, p))));
}

function newState(bot: RunnableBot, request: TurnRequest, language: string): SessionState {
  return {
    v: 1,
    botId: bot.definition.id,
    botVersion: bot.definition.version,
    genesysConversationId: request.genesysConversationId,
    language,
    params: {},
    vars: {},
    turns: 0,
  };
}

/**
 * One step of the conversation: the customer's input against the stored session, with any upstream calls
 * answered by `ctx.upstream`. Pure apart from the clock; the caller loads and saves the session.
 */
export function runTurn(bot: RunnableBot, stored: SessionState | undefined, request: TurnRequest, ctx: EngineContext): TurnOutcome {
  let step = beginTurn(bot, stored, request, ctx);
  while (step.kind === "upstream") {
    step = step.resume(
      ctx.upstream?.(step.call) ?? { ok: false, errorCode: UPSTREAM_FAILURES.unreachable, errorMessage: `no caller for upstream "${step.call.agent}"` },
    );
  }
  return step.outcome;
}

/**
 * Starts one step of the conversation. The result is the finished outcome, or an upstream call the caller makes
 * (with whatever I/O, timeout and cancellation it needs) before resuming the step with the call's outcome.
 */
export function beginTurn(bot: RunnableBot, stored: SessionState | undefined, request: TurnRequest, ctx: EngineContext): TurnStep {
  const def = bot.definition;
  const language = chooseLanguage(request.languageCode, def.languages, def.defaultLanguage);
  const resumable = stored && !stored.ended && stored.botId === def.id && stored.botVersion === def.version;
  const state: SessionState = resumable ? { ...stored, vars: { ...stored.vars }, params: { ...stored.params } } : newState(bot, request, language);
  state.language = language;
  state.params = { ...state.params, ...request.parameters };
  state.turns += 1;
  if (request.genesysConversationId) state.genesysConversationId = request.genesysConversationId;
  if (!ctx.transcript) delete state.transcript;

  const turn = new Turn(bot, state, request, ctx.now);
  const finish = (result: RunResult, event: TurnEvent): TurnStep => {
    if (isSuspension(result)) {
      let resumed = false;
      return {
        kind: "upstream",
        call: result.suspended,
        resume(outcome) {
          if (resumed) throw new Error("an upstream step can be resumed only once");
          resumed = true;
          return finish(turn.resumeUpstream(result.suspended, outcome), outcome.ok ? event : "upstream-failed");
        },
      };
    }
    if (ctx.transcript) state.transcript = appendTranscript(state.transcript, request.input.text, result.replymessages, ctx.transcript);
    return { kind: "done", outcome: { state, response: result, event, warnings: turn.warnings } };
  };
  const { response, event } = step(turn, request, resumable ? state.awaiting : undefined);
  return finish(response, event);
}

function step(turn: Turn, request: TurnRequest, awaiting: SessionState["awaiting"]): { response: RunResult; event: TurnEvent } {
  const def = turn.def;
  const state = turn.state;
  const awaitingNode = awaiting ? def.nodes[awaiting.node] : undefined;
  if (awaiting && awaitingNode?.upstream) return stepUpstream(turn, request, awaiting.node);
  const question = awaitingNode?.question ?? awaitingNode?.optionalQuestion;

  if (!awaiting || !awaitingNode || !question) {
    const intr = matchInterrupt(def, request, state.language, false);
    if (intr) return { response: turn.run(intr.goto), event: "interrupted" };
    const first: Answer | undefined = request.input.text.trim() !== "" ? { text: request.input.text } : undefined;
    return { response: turn.run(def.start, first), event: "started" };
  }

  let answer: Answer = { text: request.input.text };
  if (request.input.kind === "button" && request.input.payload !== undefined) {
    const { tag, payload } = splitPayload(request.input.payload);
    // A button of the current question answers it, even when its label is also an interrupt word.
    const intr = matchInterrupt(def, request, state.language, true, tag !== awaiting.node);
    if (intr) {
      delete state.awaiting;
      return { response: turn.run(intr.goto), event: "interrupted" };
    }
    if (tag !== undefined && tag !== awaiting.node) {
      turn.say(systemMessage(def, "staleButton", state.language));
      return { response: turn.prompt(awaiting.node, question, false), event: "stale-button" };
    }
    answer = { text: request.input.text, payload };
  } else {
    const intr = matchInterrupt(def, request, state.language, question.answer.type === "text");
    if (intr) {
      delete state.awaiting;
      return { response: turn.run(intr.goto), event: "interrupted" };
    }
    // An empty message mid-conversation (a presence or auto-start event) is not a wrong answer.
    if (request.input.text.trim() === "") return { response: turn.prompt(awaiting.node, question, false), event: "reprompted" };
  }

  const skip = awaitingNode.optionalQuestion?.skip;
  if (skip) {
    const said = utteranceOf(answer.text, state.language);
    const skipPhrases = phrasesOf(skip, state.language, def.defaultLanguage, skipWords);
    // Only the skip words alone skip: "no returns without a receipt" is a comment.
    if (answer.payload === SKIP_PAYLOAD || skipPhrases.some((p) => saysExactly(said, p))) {
      delete state.vars[question.var];
      delete state.awaiting;
      return { response: turn.run(skip.next ?? (awaitingNode.next as string)), event: "skipped" };
    }
  }

  const result = parseAnswer(question.answer, answer, turn.answerContext);
  if (result.ok) {
    state.vars[question.var] = result.value;
    delete state.awaiting;
    return { response: turn.run(awaitingNode.next as string), event: "answered" };
  }
  const attempts = awaiting.attempts + 1;
  if (attempts >= (question.maxAttempts ?? 3)) {
    delete state.awaiting;
    if (question.onNoMatch) return { response: turn.run(question.onNoMatch), event: "no-match" };
    turn.say(systemMessage(def, "noMatch", state.language));
    const reason = `no valid answer to "${awaiting.node}" after ${attempts} attempts`;
    return { response: turn.handover(undefined, reason, undefined, undefined), event: "no-match" };
  }
  state.awaiting = { node: awaiting.node, attempts };
  return { response: turn.prompt(awaiting.node, question, true), event: "reprompted" };
}

/** A turn while an upstream agent has the conversation: the bot's interrupts first, then the agent. */
function stepUpstream(turn: Turn, request: TurnRequest, nodeId: string): { response: RunResult; event: TurnEvent } {
  const def = turn.def;
  const state = turn.state;
  let input: UpstreamInput = { type: "text", text: request.input.text };
  let ownButton = false;
  if (request.input.kind === "button" && request.input.payload !== undefined) {
    const { tag, payload } = splitPayload(request.input.payload);
    ownButton = tag === nodeId;
    // A button of an earlier question reaches the agent as its label.
    if (ownButton) input = { type: "button", text: request.input.text, payload };
  }
  // As inside a free-text answer, only an exact interrupt word (or an interrupt's button) interrupts the agent.
  const intr = matchInterrupt(def, request, state.language, true, !ownButton);
  if (intr) {
    delete state.awaiting;
    return { response: turn.run(intr.goto), event: "interrupted" };
  }
  return { response: turn.callUpstream(nodeId, "message", input), event: "upstream" };
}
