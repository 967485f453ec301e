/**
 * The participant data attributes written for a hand-over (docs/handover-context.md): a fixed set of names under
 * a prefix, every value a string of bounded length, so an agent's script can show them and the write stays
 * small whatever the conversation held. Pure.
 */
import { truncate } from "../engine/transcript";
import { type SlotValue } from "../protocol/types";
import { type HandoverContext } from "./context";

export interface AttributeLimits {
  /** Prefix of every attribute name (default `virtualAgent.context.`). */
  prefix: string;
  /** Longest value written. */
  valueChars: number;
}

/** Attribute names after the prefix, in the order they are written. */
export const CONTEXT_ATTRIBUTES = ["outcome", "reason", "errorCode", "intent", "slots", "variables", "transcript", "bot", "botSessionId", "time"] as const;

/** A reason is a line, not a story. */
const REASON_CHARS = 500;

function slotText(value: SlotValue): string {
  if (Array.isArray(value)) return value.map(slotText).join(", ");
  if (typeof value === "object") return `${value.amount} ${value.code}`;
  return String(value);
}

const oneLine = (text: string) => text.replace(/\s+/g, " ").trim();

/** `name: value` lines, as many whole lines as fit in `max` (then an ellipsis line). */
function lines(entries: Array<[string, string]>, max: number): string {
  const out: string[] = [];
  let length = 0;
  for (const [name, value] of entries) {
    const line = truncate(`${name}: ${oneLine(value)}`, max - 2);
    const added = (out.length > 0 ? 1 : 0) + line.length;
    // Keep room for "\n…".
    if (length + added > max - 2) {
      out.push("…");
      break;
    }
    out.push(line);
    length += added;
  }
  return out.join("\n");
}

/** The most recent transcript lines that fit in `max`, oldest first, after an ellipsis line when some were left out. */
function transcriptText(context: HandoverContext, max: number): string {
  const all: string[] = [];
  for (const entry of context.transcript) {
    if (entry.customer !== "") all.push(`Customer: ${oneLine(entry.customer)}`);
    for (const text of entry.bot) all.push(`Bot: ${oneLine(text)}`);
  }
  const kept: string[] = [];
  let length = 0;
  for (let i = all.length - 1; i >= 0; i--) {
    const line = truncate(all[i] as string, max - 2);
    const added = (kept.length > 0 ? 1 : 0) + line.length;
    if (length + added > max - 2) break;
    kept.unshift(line);
    length += added;
  }
  if (kept.length < all.length) kept.unshift("…");
  return kept.join("\n");
}

/** The attributes to write; empty values are left out. */
export function handoverAttributes(context: HandoverContext, limits: AttributeLimits): Record<string, string> {
  const max = limits.valueChars;
  const values: Record<(typeof CONTEXT_ATTRIBUTES)[number], string> = {
    outcome: context.outcome,
    reason: truncate(oneLine(context.reason), Math.min(REASON_CHARS, max)),
    errorCode: context.errorCode ?? "",
    intent: context.intent ?? "",
    slots: lines(
      Object.entries(context.slots).map(([k, v]) => [k, slotText(v)]),
      max,
    ),
    variables: lines(
      Object.entries(context.variables).map(([k, v]) => [k, String(v)]),
      max,
    ),
    transcript: transcriptText(context, max),
    bot: context.bot ? truncate(`${context.bot.id}@${context.bot.version}`, max) : "",
    botSessionId: truncate(context.botSessionId, max),
    time: context.at.toISOString(),
  };
  const out: Record<string, string> = {};
  for (const name of CONTEXT_ATTRIBUTES) if (values[name] !== "") out[limits.prefix + name] = values[name];
  return out;
}
