import { type SlotType } from "../bots/definition";
import { type SlotValue } from "../protocol/types";

const INTEGER = /^[+-]?\d{1,15}$/;
const DECIMAL = /^[+-]?\d+(\.\d+)?$/;
// XSD duration without year and month components, as Architect's Duration type expects.
const DURATION = /^-?P(?!$)(\d+D)?(T(?!$)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(:(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;
// Applied to trimmed text; "\s*[| ]\s*" (two unbounded runs around one optional space) backtracked quadratically.
const CURRENCY = /^([+-]?\d+(?:\.\d+)?)(?:\s*\|\s*|\s+)([A-Za-z]{3})$/;

function scalar(type: SlotType, value: unknown): SlotValue | undefined {
  switch (type) {
    case "String":
    case "StringCollection": {
      if (value === undefined || value === null) return undefined;
      const text = typeof value === "object" ? JSON.stringify(value) : String(value);
      return text === "" ? undefined : text.slice(0, 32000);
    }
    case "Integer":
    case "IntegerCollection": {
      if (typeof value === "number") return Number.isInteger(value) && Math.abs(value) <= 999_999_999_999_999 ? value : undefined;
      if (typeof value === "string" && INTEGER.test(value.trim())) return Number(value.trim());
      return undefined;
    }
    case "Decimal":
    case "DecimalCollection": {
      if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
      if (typeof value === "string" && DECIMAL.test(value.trim())) return Number(value.trim());
      return undefined;
    }
    case "Boolean":
    case "BooleanCollection": {
      if (typeof value === "boolean") return value;
      if (typeof value === "string") {
        const v = value.trim().toLowerCase();
        if (v === "true" || v === "yes") return true;
        if (v === "false" || v === "no") return false;
      }
      return undefined;
    }
    case "Duration":
    case "DurationCollection":
      return typeof value === "string" && DURATION.test(value.trim()) ? value.trim() : undefined;
    case "Datetime":
    case "DatetimeCollection": {
      if (typeof value !== "string") return undefined;
      const v = value.trim();
      const d = DATE_ONLY.exec(v);
      const dt = d ? undefined : DATE_TIME.exec(v);
      const parts = d ?? dt;
      if (!parts) return undefined;
      // Date.parse rolls 2026-02-30 over into March: the calendar day must exist as written.
      const [year, month, day] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
      const calendar = new Date(Date.UTC(year, month - 1, day));
      if (calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day) return undefined;
      // A time without offset is UTC; Date.parse would read it in the server's time zone.
      const ms = Date.parse(d ? `${v}T00:00:00Z` : dt?.[9] ? v : `${v}Z`);
      if (Number.isNaN(ms)) return undefined;
      // Architect converts to UTC; send UTC without fractional seconds, as the blueprint shows.
      const utc = new Date(ms).toISOString();
      const utcYear = Number(utc.slice(0, 4));
      return utcYear < 1800 || utcYear > 2200 ? undefined : utc.slice(0, 19);
    }
    case "Currency":
    case "CurrencyCollection": {
      if (typeof value === "object" && value !== null && "amount" in value && "code" in value) {
        const { amount, code } = value as { amount: unknown; code: unknown };
        if (DECIMAL.test(String(amount)) && /^[A-Za-z]{3}$/.test(String(code))) return { amount: String(amount), code: String(code).toUpperCase() };
        return undefined;
      }
      const m = typeof value === "string" ? CURRENCY.exec(value.trim()) : null;
      return m ? { amount: m[1] as string, code: (m[2] as string).toUpperCase() } : undefined;
    }
  }
}

/**
 * A value in the format of its Genesys slot type, or undefined when it cannot be one (the slot is then
 * left out rather than sent in a form Architect would reject). Collections accept arrays or comma lists.
 */
export function formatSlotValue(type: SlotType, value: unknown): SlotValue | undefined {
  if (!type.endsWith("Collection")) return scalar(type, value);
  const items = Array.isArray(value) ? value : typeof value === "string" ? value.split(",").map((s) => s.trim()).filter((s) => s !== "") : [value];
  const out: SlotValue[] = [];
  for (const item of items) {
    const v = scalar(type, item);
    if (v === undefined) return undefined;
    out.push(v);
  }
  return out.length > 0 ? out : undefined;
}
