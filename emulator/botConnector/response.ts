/**
 * Checks a bot's answer the way Genesys does before it acts on it: JSON Schema (Ajv) for the shape, then the
 * rules that need the bot list (intent and slots of the selected version) or span several fields (carousel
 * payloads). Returns every problem found, each naming the field and the rule's source, or the response with
 * `botState` in its canonical case.
 */
import { type BotState, type Card, type ReplyMessage } from "../../service/src/protocol/types";
import { type ValidateFunction } from "ajv";
import { ajv, deepestErrors, describeAjvError } from "../ajvErrors";
import { type BotBinding } from "../botList";
import { type FlowValue } from "../flow/expressions";
import { problem, type ResponseProblem } from "./rules";
import { checkSlotValue } from "./slotValues";

const TEXT = { type: "string" } as const;
const LABEL = { type: "string", minLength: 1 } as const;

const cardAction = {
  type: "object",
  required: ["type", "text"],
  properties: { type: { enum: ["Link", "Postback"] }, text: LABEL, url: TEXT, payload: TEXT },
  allOf: [
    { if: { properties: { type: { const: "Link" } } }, then: { required: ["url"], properties: { url: { type: "string", pattern: "^https?://" } } } },
    { if: { properties: { type: { const: "Postback" } } }, then: { required: ["payload"], properties: { payload: LABEL } } },
  ],
} as const;

const card = {
  type: "object",
  required: ["title", "actions"],
  properties: {
    title: LABEL,
    description: TEXT,
    image: TEXT,
    video: TEXT,
    defaultAction: cardAction,
    actions: { type: "array", items: cardAction },
  },
} as const;

const content = {
  type: "object",
  required: ["contentType"],
  properties: {
    // Attachment is v2-only and DatePicker, ListPicker, QuickReplyV2, Location are undocumented for Bot Connector (genesys-bot-connector.md#reply-messages-and-rich-content).
    contentType: { enum: ["QuickReply", "Card", "Carousel"] },
    quickReply: {
      type: "object",
      required: ["text", "payload"],
      properties: { text: LABEL, payload: LABEL, image: TEXT, action: { enum: ["Message"] } },
    },
    card,
    carousel: { type: "object", required: ["cards"], properties: { cards: { type: "array", minItems: 1, items: card } } },
  },
  allOf: objectRequiredPerContentType(["QuickReply", "Card", "Carousel"]),
} as const;

/** For each content type, its object is required under the type's camel-case key (`QuickReply` → `quickReply`). */
export function objectRequiredPerContentType(types: readonly string[]) {
  return types.map((t) => ({ if: { required: ["contentType"], properties: { contentType: { const: t } } }, then: { required: [t.charAt(0).toLowerCase() + t.slice(1)] } }));
}

/** A reply message (the same in v1 and v2): `Text` needs `text`, `Structured` needs at least one content item. */
export function replyMessageSchema(content: object) {
  return {
    type: "object",
    required: ["type"],
    properties: { type: { enum: ["Text", "Structured"] }, text: TEXT, content: { type: "array", items: content } },
    allOf: [
      { if: { required: ["type"], properties: { type: { const: "Text" } } }, then: { required: ["text"] } },
      { if: { required: ["type"], properties: { type: { const: "Structured" } } }, then: { required: ["content"], properties: { content: { type: "array", minItems: 1 } } } },
    ],
  };
}

const replyMessage = replyMessageSchema(content);

/** The shape; botState values, parameters, carousels and slots are checked in code for clearer reasons. */
const checkShape = ajv.compile({
  type: "object",
  required: ["botState"],
  properties: {
    botState: TEXT,
    replymessages: { type: "array", items: replyMessage },
    intent: TEXT,
    confidence: { type: "number", minimum: 0, maximum: 1 },
    slotValues: { type: "object" },
    parameters: { type: "object" },
    errorInfo: { type: "object", properties: { errorCode: TEXT, errorMessage: TEXT } },
  },
});

/** A response Genesys would act on. */
export interface AcceptedResponse {
  botState: BotState;
  replymessages: ReplyMessage[];
  intent?: string;
  /** Slot values as the flow holds them after binding (see slotValues.ts). */
  slots: Record<string, FlowValue>;
  /** Slot values as the bot sent them. */
  slotValues?: Record<string, unknown>;
  parameters: Record<string, string>;
  errorInfo?: { errorCode?: string; errorMessage?: string };
}

export type ResponseCheck = { ok: true; response: AcceptedResponse; warnings: string[] } | { ok: false; problems: ResponseProblem[]; warnings: string[] };

const BOT_STATES: readonly BotState[] = ["MoreData", "Complete", "Failed"];

/** Cards' postback buttons: payloads unique across a carousel, text+payload unique within a card. */
function checkButtons(cards: readonly Card[], path: string, inCarousel: boolean, problems: ResponseProblem[]): void {
  const carouselPayloads = new Map<string, string>();
  cards.forEach((c, i) => {
    const cardPath = inCarousel ? `${path}.cards[${i}]` : path;
    const seen = new Set<string>();
    c.actions.forEach((a, j) => {
      if (a.type !== "Postback" || a.payload === undefined) return;
      const at = `${cardPath}.actions[${j}]`;
      const key = JSON.stringify([a.text, a.payload]);
      if (seen.has(key)) problems.push(problem("cardButtons", at, `repeats button "${a.text}" with payload "${a.payload}" in the same card`));
      seen.add(key);
      const first = carouselPayloads.get(a.payload);
      if (inCarousel && first !== undefined && first !== cardPath) {
        problems.push(problem("carouselPayloads", at, `payload "${a.payload}" is already used by ${first}; Genesys cannot tell the clicks apart`));
      }
      if (first === undefined) carouselPayloads.set(a.payload, cardPath);
    });
  });
}

/** The content rules both protocols share (carousels, card buttons, empty texts, quick-reply counts). */
export function checkContent(messages: readonly ReplyMessage[], problems: ResponseProblem[], warnings: string[]): void {
  messages.forEach((m, i) => {
    if (m.type === "Text" && m.text?.trim() === "") warnings.push(`replymessages[${i}] is an empty Text message; the customer sees nothing`);
    const quickReplies = (m.content ?? []).filter((c) => c.contentType === "QuickReply").length;
    if (quickReplies > 10) warnings.push(`replymessages[${i}] has ${quickReplies} quick replies; keep to 10 (Genesys's limit is unconfirmed: docs/genesys-bot-connector.md#reply-messages-and-rich-content)`);
    (m.content ?? []).forEach((c, j) => {
      const at = `replymessages[${i}].content[${j}]`;
      if (c.contentType === "Card") checkButtons([c.card], `${at}.card`, false, problems);
      if (c.contentType === "Carousel") {
        const cards = c.carousel.cards;
        if (cards.length > 10) problems.push(problem("carouselCards", `${at}.carousel.cards`, `has ${cards.length} cards; Genesys allows at most 10`));
        checkButtons(cards, `${at}.carousel`, true, problems);
      }
    });
  });
}

function checkIntentAndSlots(body: Record<string, unknown>, botState: BotState, binding: BotBinding, problems: ResponseProblem[], warnings: string[]): Record<string, FlowValue> {
  const slots: Record<string, FlowValue> = {};
  const intent = body.intent as string | undefined;
  const registered = binding.version.intents.map((i) => i.name);
  const label = `bot "${binding.bot.name}" version ${binding.version.version}`;
  if (botState === "Complete") {
    if (intent === undefined || intent === "") {
      problems.push(problem("completeIntent", "intent", `is missing; a Complete response must name one of the intents of ${label} (${registered.join(", ")})`));
      return slots;
    }
    if (!registered.includes(intent)) {
      problems.push(problem("completeIntent", "intent", `"${intent}" is not an intent of ${label} (${registered.join(", ")})`));
      return slots;
    }
  } else if (intent !== undefined && intent !== "" && !registered.includes(intent)) {
    warnings.push(`intent "${intent}" on a ${botState} turn is not registered for ${label}; Genesys ignores it unless the session completes`);
  }
  const values = body.slotValues as Record<string, unknown> | undefined;
  if (botState !== "Complete" || values === undefined || intent === undefined) return slots;
  const declared = binding.slotTypes[intent] ?? {};
  for (const [name, value] of Object.entries(values)) {
    const type = declared[name];
    if (!type) {
      const names = Object.keys(declared);
      problems.push(problem("slots", `slotValues.${name}`, `is not a slot of intent "${intent}" (${names.length ? names.join(", ") : "it declares no slots"})`));
      continue;
    }
    if (value === null) continue;
    const check = checkSlotValue(type, value);
    if (check.ok) slots[name] = check.value;
    else problems.push(problem("slotValue", `slotValues.${name}`, `${JSON.stringify(value)} ${check.reason} (slot type ${type})`));
  }
  return slots;
}

/** What both protocols check first in an answer: a JSON object, its shape, its botState, its parameters. */
export interface AnswerBasics {
  /** The body as an object; undefined when it is not one (the only problem then). */
  record?: Record<string, unknown>;
  problems: ResponseProblem[];
  warnings: string[];
  /** botState in its canonical case, when it is one. */
  botState?: BotState;
}

type BasicRule = "json" | "shape" | "botState" | "parameters";

export function checkAnswerBasics(body: unknown, checkShape: ValidateFunction, problemOf: (rule: BasicRule, path: string, message: string) => ResponseProblem): AnswerBasics {
  const warnings: string[] = [];
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return { problems: [problemOf("json", "(body)", `must be a JSON object, got ${Array.isArray(body) ? "a list" : JSON.stringify(body)}`)], warnings };
  }
  const record = body as Record<string, unknown>;
  const problems: ResponseProblem[] = [];
  if (!checkShape(record)) {
    for (const e of deepestErrors(checkShape.errors ?? [])) {
      const { path, message } = describeAjvError(e, "(body)");
      problems.push(problemOf("shape", path, message));
    }
  }
  const rawState = record.botState;
  const botState = typeof rawState === "string" ? BOT_STATES.find((s) => s.toLowerCase() === rawState.toLowerCase()) : undefined;
  if (typeof rawState === "string" && !botState) problems.push(problemOf("botState", "botState", `"${rawState}" is not a bot state (${BOT_STATES.join(", ")})`));
  if (botState && botState !== rawState) warnings.push(`botState "${String(rawState)}" is accepted in any case; send the canonical "${botState}"`);
  const parameters = record.parameters;
  if (parameters !== undefined && typeof parameters === "object" && parameters !== null && !Array.isArray(parameters)) {
    for (const [key, value] of Object.entries(parameters)) {
      if (typeof value !== "string") problems.push(problemOf("parameters", `parameters.${key}`, `is ${value === null ? "null" : typeof value} ${JSON.stringify(value)}; every value must be a string`));
    }
  }
  return { record, problems, warnings, ...(botState ? { botState } : {}) };
}

/** Checks a parsed response body against the protocol and the bound bot version. */
export function checkBotResponse(body: unknown, binding: BotBinding): ResponseCheck {
  const { record, problems, warnings, botState } = checkAnswerBasics(body, checkShape, problem);
  if (!record) return { ok: false, problems, warnings };
  if (record.replymessages === undefined && Array.isArray(record.replyMessages)) {
    warnings.push("replyMessages (camel case) is the v2 spelling; Bot Connector v1 reads replymessages, so these messages may never reach the customer (docs/genesys-bot-connector.md#fields)");
  }
  if (record.slots !== undefined && record.slotValues === undefined) warnings.push("slots is not the v1 field for slot values; the emulator reads slotValues (docs/genesys-bot-connector.md#intents-and-slots)");
  const parameters = record.parameters;
  const shapeOk = problems.every((p) => p.rule !== "shape");
  const messages = shapeOk && Array.isArray(record.replymessages) ? (record.replymessages as ReplyMessage[]) : [];
  if (shapeOk) checkContent(messages, problems, warnings);
  const slots = shapeOk && botState ? checkIntentAndSlots(record, botState, binding, problems, warnings) : {};

  if (problems.length > 0 || !botState) return { ok: false, problems, warnings };
  return {
    ok: true,
    warnings,
    response: {
      botState,
      replymessages: messages,
      ...(typeof record.intent === "string" && record.intent !== "" ? { intent: record.intent } : {}),
      slots,
      ...(record.slotValues !== undefined ? { slotValues: record.slotValues as Record<string, unknown> } : {}),
      parameters: (parameters as Record<string, string> | undefined) ?? {},
      ...(record.errorInfo !== undefined ? { errorInfo: record.errorInfo as AcceptedResponse["errorInfo"] } : {}),
    },
  };
}

/**
 * Google's finding (genesys-bot-connector.md#gotchas): Genesys v1 fails a session when the same intent comes back more than three times in
 * a row without a slot value changing. One guard per bot session.
 */
export class LoopGuard {
  private last: string | undefined;
  private count = 0;

  /** Records a MoreData answer; returns a problem on the fourth identical intent in a row. */
  record(response: AcceptedResponse): ResponseProblem | undefined {
    if (response.intent === undefined) {
      this.last = undefined;
      this.count = 0;
      return undefined;
    }
    const key = JSON.stringify([response.intent, response.slotValues ?? null]);
    this.count = key === this.last ? this.count + 1 : 1;
    this.last = key;
    if (this.count <= 3) return undefined;
    return problem("loopGuard", "intent", `"${response.intent}" came back ${this.count} times in a row with unchanged slots`);
  }
}
