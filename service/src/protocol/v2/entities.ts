/**
 * Slot values in v2's format. The engine formats each slot for its Genesys type as v1 sends it (engine/slots.ts:
 * numbers, booleans, `{amount, code}`, UTC datetimes without a zone); the Digital Bot Connector wants every value
 * as a string, collections as `values` (docs/digital-bot-connector.md, "Entities").
 */
import { type SlotType } from "../../bots/definition";
import { type SlotValue } from "../types";
import { type BotEntityValue } from "./types";

const plain = new Intl.NumberFormat("en-US", { useGrouping: false, maximumFractionDigits: 20 });

/** A number as decimal text, never in exponent notation (`1e21` is no Decimal to Architect). */
function numberText(n: number): string {
  return Number.isInteger(n) && Math.abs(n) < 1e21 ? String(n) : plain.format(n);
}

/** One value of a scalar type as v2 text; undefined when the value is not of that type (never sent then). */
function scalarText(type: SlotType, value: SlotValue): string | undefined {
  const base = type.replace(/Collection$/, "");
  if (Array.isArray(value)) return undefined;
  switch (base) {
    case "Integer":
    case "Decimal":
      return typeof value === "number" && Number.isFinite(value) ? numberText(value) : typeof value === "string" ? value : undefined;
    case "Boolean":
      return typeof value === "boolean" ? String(value) : typeof value === "string" ? value : undefined;
    case "Currency":
      // An escaped JSON object; the amount keeps its digits ("10.50" stays 10.50, which JSON.stringify would shorten).
      return typeof value === "object" ? `{"amount":${value.amount},"code":${JSON.stringify(value.code)}}` : undefined;
    case "Datetime":
      // The engine sends UTC without a zone; v2 says so explicitly.
      return typeof value === "string" ? (/(Z|[+-]\d{2}:?\d{2})$/.test(value) ? value : `${value}Z`) : undefined;
    default:
      return typeof value === "string" ? value : undefined;
  }
}

/**
 * The entities of an answer: each slot the intent declares and the answer fills, in the intent's declaration
 * order, typed as declared. Slots the intent does not declare are left out (Architect has no variable for them).
 */
export function toEntities(slotValues: Record<string, SlotValue> | undefined, declared: Readonly<Record<string, SlotType>>): BotEntityValue[] {
  if (!slotValues) return [];
  const out: BotEntityValue[] = [];
  for (const [name, type] of Object.entries(declared)) {
    if (!Object.hasOwn(slotValues, name)) continue;
    const value = slotValues[name] as SlotValue;
    if (type.endsWith("Collection")) {
      const items = (Array.isArray(value) ? value : [value]).map((v) => scalarText(type, v));
      if (items.every((i): i is string => i !== undefined)) out.push({ name, type, values: items });
    } else {
      const text = scalarText(type, value);
      if (text !== undefined) out.push({ name, type, value: text });
    }
  }
  return out;
}
