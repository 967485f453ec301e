/**
 * Checks a Digital Bot Connector answer (the body of `POST /messages`'s response, or an outgoing message) the way
 * Genesys does before acting on it: the shape with Ajv, then the rules that need the manifest (the intent of the
 * version, its entities and their types) or the integration (attachments). Written from the specification, not
 * from the service's code: the emulator is the check on the service.
 */
import { type BotState, type ReplyMessage } from "../../service/src/protocol/types";
import { ajv } from "../ajvErrors";
import { type BotBinding } from "../botList";
import { checkAnswerBasics, checkContent, objectRequiredPerContentType, replyMessageSchema } from "../botConnector/response";
import { type ResponseProblem } from "../botConnector/rules";
import { checkSlotValue } from "../botConnector/slotValues";
import { type FlowValue } from "../flow/expressions";
import { digitalProblem } from "./rules";

/** The content types of a Digital Bot Connector reply (docs/digital-bot-connector.md, "Reply messages"). */
const CONTENT_TYPES = ["QuickReply", "Card", "Carousel", "Attachment"];
const TEXT = { type: "string" } as const;
const LABEL = { type: "string", minLength: 1 } as const;
const cardAction = {
  type: "object",
  required: ["type"],
  properties: { type: { enum: ["Link", "Postback"] }, text: TEXT, url: TEXT, payload: TEXT },
  allOf: [
    { if: { properties: { type: { const: "Link" } } }, then: { required: ["url"], properties: { url: { type: "string", pattern: "^https?://" } } } },
    { if: { properties: { type: { const: "Postback" } } }, then: { required: ["text", "payload"], properties: { payload: LABEL } } },
  ],
} as const;
const card = {
  type: "object",
  required: ["title", "actions"],
  properties: { title: LABEL, description: TEXT, image: TEXT, video: TEXT, defaultAction: cardAction, actions: { type: "array", items: cardAction } },
} as const;
const content = {
  type: "object",
  required: ["contentType"],
  properties: {
    contentType: { enum: CONTENT_TYPES },
    quickReply: { type: "object", required: ["text", "payload"], properties: { text: LABEL, payload: LABEL, image: TEXT, action: { enum: ["Message"] } } },
    card,
    carousel: { type: "object", required: ["cards"], properties: { cards: { type: "array", minItems: 1, items: card } } },
    attachment: {
      type: "object",
      required: ["id", "mediaType", "url", "filename"],
      properties: {
        id: TEXT,
        mediaType: { enum: ["Image", "Video", "Audio", "File", "Link"] },
        url: { type: "string", pattern: "^https?://" },
        filename: TEXT,
        mime: TEXT,
        sha256: TEXT,
        contentSizeBytes: { type: "integer", minimum: 0 },
      },
    },
  },
  allOf: objectRequiredPerContentType(CONTENT_TYPES),
} as const;
const replyMessage = replyMessageSchema(content);

const checkShape = ajv.compile({
  type: "object",
  required: ["botState"],
  properties: {
    botState: TEXT,
    replyMessages: { type: ["array", "null"], items: replyMessage },
    intent: TEXT,
    confidence: { type: "number", minimum: 0, maximum: 1 },
    entities: {
      type: "array",
      items: { type: "object", required: ["name", "type"], properties: { name: LABEL, type: LABEL, value: TEXT, values: { type: "array", items: TEXT } } },
    },
    parameters: { type: "object" },
    errorInfo: { type: "object" },
  },
});

/** An answer Genesys acts on. */
export interface DigitalAnswer {
  botState: BotState;
  /** In the flow's message model: the page and the channel rules take v1's shapes (an attachment stays as sent). */
  replyMessages: ReplyMessage[];
  intent?: string;
  /** Entity values as the flow holds them after binding. */
  slots: Record<string, FlowValue>;
  entities?: unknown[];
  parameters: Record<string, string>;
  errorInfo?: Record<string, unknown>;
}

export type DigitalAnswerCheck = { ok: true; answer: DigitalAnswer; warnings: string[] } | { ok: false; problems: ResponseProblem[]; warnings: string[] };

export interface AnswerContext {
  binding: BotBinding;
  /** The integration lets the bot send attachments (its file-transfer option; off by default). */
  attachments: boolean;
}

interface EntityValue {
  name: string;
  type: string;
  value?: string;
  values?: string[];
}

function checkAttachments(messages: ReadonlyArray<{ type: string; content?: Array<{ contentType: string }> }>, attachments: boolean, problems: ResponseProblem[]): void {
  messages.forEach((m, i) => {
    (m.content ?? []).forEach((c, j) => {
      if (c.contentType !== "Attachment") return;
      const at = `replyMessages[${i}].content[${j}]`;
      if (m.type !== "Text") problems.push(digitalProblem("attachmentMessage", at, `is in a ${m.type} message; attachments go in a Text message, whose text is the caption`));
      if (!attachments) problems.push(digitalProblem("attachmentsDisabled", at, "is an attachment, but the integration does not allow the bot to send files"));
    });
  });
}

function checkEntities(entities: readonly EntityValue[], intent: string, context: AnswerContext, problems: ResponseProblem[]): Record<string, FlowValue> {
  const slots: Record<string, FlowValue> = {};
  const declared = context.binding.slotTypes[intent] ?? {};
  entities.forEach((e, i) => {
    const at = `entities[${i}]`;
    const type = declared[e.name];
    if (!type) {
      const names = Object.keys(declared);
      problems.push(digitalProblem("entities", `${at}.name`, `"${e.name}" is not an entity of intent "${intent}" (${names.length ? names.join(", ") : "it declares none"})`));
      return;
    }
    if (e.type !== type) {
      problems.push(digitalProblem("entityValue", `${at}.type`, `"${e.type}" is not the type the manifest declares for "${e.name}" (${type})`));
      return;
    }
    const collection = type.endsWith("Collection");
    if (collection ? !Array.isArray(e.values) : typeof e.value !== "string") {
      problems.push(digitalProblem("entityValue", at, collection ? `a ${type} needs values, a list of strings` : `a ${type} needs value, a string`));
      return;
    }
    const check = checkSlotValue(type, collection ? e.values : e.value);
    if (check.ok) slots[e.name] = check.value;
    else problems.push(digitalProblem("entityValue", `${at}.${collection ? "values" : "value"}`, `${JSON.stringify(collection ? e.values : e.value)} ${check.reason} (type ${type})`));
  });
  return slots;
}

/** Checks an answer (or an outgoing message's answer fields) against the specification and the bound version. */
export function checkDigitalAnswer(body: unknown, context: AnswerContext): DigitalAnswerCheck {
  const { record, problems, warnings, botState } = checkAnswerBasics(body, checkShape, digitalProblem);
  if (!record) return { ok: false, problems, warnings };
  if (record.replyMessages === undefined && Array.isArray(record.replymessages)) {
    warnings.push("replymessages (all lower case) is the Bot Connector v1 spelling; the Digital Bot Connector reads replyMessages, so these messages never reach the customer");
  }
  if (record.slotValues !== undefined) warnings.push("slotValues is v1's field; the Digital Bot Connector reads entities");
  const parameters = record.parameters;
  const shapeOk = problems.every((p) => p.rule !== "shape");
  const messages = shapeOk && Array.isArray(record.replyMessages) ? (record.replyMessages as ReplyMessage[]) : [];
  if (shapeOk) {
    checkAttachments(messages, context.attachments, problems);
    checkContent(messages, problems, warnings);
  }
  const intent = typeof record.intent === "string" && record.intent !== "" ? record.intent : undefined;
  const registered = context.binding.version.intents.map((i) => i.name);
  const label = `bot "${context.binding.bot.name}" version ${context.binding.version.version}`;
  let slots: Record<string, FlowValue> = {};
  if (botState === "Complete") {
    if (!intent) problems.push(digitalProblem("completeIntent", "intent", `is missing; a Complete answer names one intent of ${label} (${registered.join(", ")})`));
    else if (!registered.includes(intent)) problems.push(digitalProblem("completeIntent", "intent", `"${intent}" is not an intent of ${label} (${registered.join(", ")})`));
    else if (shapeOk && Array.isArray(record.entities)) slots = checkEntities(record.entities as EntityValue[], intent, context, problems);
  }

  if (problems.length > 0 || !botState) return { ok: false, problems, warnings };
  return {
    ok: true,
    warnings,
    answer: {
      botState,
      replyMessages: messages,
      ...(intent ? { intent } : {}),
      slots,
      ...(Array.isArray(record.entities) ? { entities: record.entities } : {}),
      parameters: (parameters as Record<string, string> | undefined) ?? {},
      ...(record.errorInfo !== undefined ? { errorInfo: record.errorInfo as Record<string, unknown> } : {}),
    },
  };
}
