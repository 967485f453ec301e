/**
 * Checks an agent's reply as strictly as the engine's own output: the contract's JSON Schema (compiled ahead of
 * time, `npm run generate`), then what the bot version allows at the node (intents and their slots in the
 * format of each slot type, variables, output parameters, returning control) and the limits Genesys renders
 * within (text lengths of the bot's channels, unique payloads, card counts). Pure.
 */
import { type ErrorObject, type ValidateFunction } from "ajv";
import { type IntentDef, type MessageDef } from "../bots/definition";
import { checkMessageList, pointer, type Path } from "../bots/validate";
import { formatSlotValue } from "../engine/slots";
import generatedValidator from "../generated/upstreamResponseValidator";
import { type SlotValue } from "../protocol/types";
import { type UpstreamAction, type UpstreamReply } from "./contract";

const validateShape = generatedValidator as unknown as ValidateFunction;

/** What the node allows a reply to contain. */
export interface ReplyConstraints {
  intents: Readonly<Record<string, IntentDef>>;
  variables: ReadonlySet<string>;
  parameters: ReadonlySet<string>;
  /** The node has a `next` to return control to. */
  canReturn: boolean;
  /** The longest message text the bot's channels accept. */
  textLimit: number;
}

export type ReplyCheck = { ok: true; reply: UpstreamReply } | { ok: false; problems: string[] };

/** A raw reply as the schema describes it (before slot values are put into their Genesys formats). */
interface RawReply {
  action: UpstreamAction;
  messages?: MessageDef[];
  intent?: string;
  slots?: Record<string, unknown>;
  parameters?: Record<string, string>;
  variables?: Record<string, string | number | boolean>;
  reason?: string;
}

function schemaProblem(e: ErrorObject): string | undefined {
  // if/then branches and oneOf repeat what an inner error says better.
  if (e.keyword === "if" || e.keyword === "propertyNames") return undefined;
  const params = e.params as Record<string, unknown>;
  const at = e.instancePath || "/";
  switch (e.keyword) {
    case "additionalProperties":
      return `${e.instancePath}/${String(params.additionalProperty)}: is not a known property`;
    case "required":
      return `${at}: missing required property "${String(params.missingProperty)}"`;
    case "false schema":
      return `${at}: is not allowed with this action`;
    case "enum":
      return `${at}: must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
    default:
      return `${at}: ${e.message ?? e.keyword}`;
  }
}

/** Every problem of a reply, or the reply with its slot values formatted. */
export function checkUpstreamReply(raw: unknown, c: ReplyConstraints): ReplyCheck {
  if (!validateShape(raw)) {
    const problems = [...new Set((validateShape.errors ?? []).map(schemaProblem).filter((p): p is string => p !== undefined))];
    return { ok: false, problems: problems.length > 0 ? problems : ["/: does not match the reply schema"] };
  }
  const reply = raw as RawReply;
  const problems: string[] = [];
  const report = (path: Path, message: string) => problems.push(`${pointer(path)}: ${message}`);

  const messages = reply.messages ?? [];
  checkMessageList(["messages"], messages, {
    report,
    textLimit: c.textLimit,
    text: (path, text, limit) => {
      if (typeof text === "string" && text.length > limit) report(path, `text of ${text.length} characters exceeds the limit of ${limit}`);
    },
  });

  if (reply.action === "return" && !c.canReturn) report(["action"], 'the node has no next to return control to; "return" is not allowed here');

  let slotValues: Record<string, SlotValue> | undefined;
  if (reply.intent !== undefined) {
    const intent = Object.hasOwn(c.intents, reply.intent) ? c.intents[reply.intent] : undefined;
    if (!intent) {
      report(["intent"], `intent "${reply.intent}" is not one this node allows (${Object.keys(c.intents).join(", ") || "none"})`);
    } else {
      if (reply.action === "handover" && !intent.handover) report(["intent"], `intent "${reply.intent}" is not a hand-over intent (handover: true)`);
      const declared = intent.slots ?? {};
      for (const [slot, value] of Object.entries(reply.slots ?? {})) {
        const type = Object.hasOwn(declared, slot) ? declared[slot] : undefined;
        if (!type) {
          report(["slots", slot], `slot "${slot}" is not declared for intent "${reply.intent}"`);
          continue;
        }
        // The value itself stays out of the message: it may be customer data.
        const formatted = formatSlotValue(type, value);
        if (formatted === undefined) report(["slots", slot], `is not a valid ${type}`);
        else (slotValues ??= {})[slot] = formatted;
      }
    }
  }
  for (const name of Object.keys(reply.parameters ?? {})) {
    if (!c.parameters.has(name)) report(["parameters", name], `parameter "${name}" is not one the node declares (${[...c.parameters].join(", ") || "none"})`);
  }
  for (const name of Object.keys(reply.variables ?? {})) {
    if (!c.variables.has(name)) report(["variables", name], `variable "${name}" is not one the node lets the agent set (${[...c.variables].join(", ") || "none"})`);
  }
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    reply: {
      action: reply.action,
      messages,
      ...(reply.intent !== undefined ? { intent: reply.intent } : {}),
      ...(slotValues ? { slotValues } : {}),
      ...(reply.parameters && Object.keys(reply.parameters).length > 0 ? { parameters: reply.parameters } : {}),
      ...(reply.variables ? { variables: reply.variables } : {}),
      ...(reply.reason !== undefined ? { reason: reply.reason } : {}),
    },
  };
}
