/**
 * Whether a slot value the bot returns can be bound to an Architect variable of the slot's type, and the value
 * as the flow then holds it. The formats are Architect's data types (docs/genesys-bot-connector.md#intents-and-slots, from the
 * Digital Bot Connector spec [S13]); both the native JSON encodings of Genesys's v1 blueprint [S2] and the string
 * encodings of v2 are accepted, because which of them v1 takes is UNCONFIRMED.
 *
 * Written independently of the service's own slot formatting (service/src/engine/slots.ts): the emulator is the
 * check on the service, so it must not share its code.
 */
import { type SlotType } from "../../service/src/bots/definition";
import { type FlowValue } from "../flow/expressions";

export type SlotCheck = { ok: true; value: FlowValue } | { ok: false; reason: string };

const MAX_INTEGER = 999_999_999_999_999;
const MAX_STRING = 32_000;
const DURATION = /^[+-]?P(?=\d|T\d)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;
const DATETIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const DECIMAL_TEXT = /^[+-]?\d{1,40}(\.\d+)?$/;
const CURRENCY_CODE = /^[A-Z]{3}$/;

const ok = (value: FlowValue): SlotCheck => ({ ok: true, value });
const no = (reason: string): SlotCheck => ({ ok: false, reason });

function integer(value: unknown): SlotCheck {
  const n = typeof value === "string" && /^[+-]?\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof n !== "number" || !Number.isInteger(n)) return no("is not an Integer");
  return Math.abs(n) <= MAX_INTEGER ? ok(n) : no(`is outside the Integer range ±${MAX_INTEGER}`);
}

function decimal(value: unknown): SlotCheck {
  if (typeof value === "number") return Number.isFinite(value) ? ok(value) : no("is not a finite Decimal");
  if (typeof value === "string" && DECIMAL_TEXT.test(value.trim())) return ok(Number(value));
  return no("is not a Decimal");
}

function boolean(value: unknown): SlotCheck {
  if (typeof value === "boolean") return ok(value);
  if (typeof value === "string" && /^(true|false)$/i.test(value.trim())) return ok(value.trim().toLowerCase() === "true");
  return no("is not a Boolean (true or false)");
}

function datetime(value: unknown): SlotCheck {
  if (typeof value !== "string") return no("is not a Datetime string");
  const m = DATETIME.exec(value.trim());
  if (!m) return no("is not an extended ISO 8601 Datetime such as 2007-04-25T14:21:08Z");
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const calendar = new Date(Date.UTC(year, month - 1, day));
  if (calendar.getUTCFullYear() !== year || calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day) return no("is not a calendar date");
  // Without an offset Architect reads the time as UTC, and keeps every Datetime in UTC.
  const text = value.trim();
  const ms = Date.parse(m[4] === undefined ? `${text}T00:00:00Z` : m[7] ? text : `${text}Z`);
  if (Number.isNaN(ms)) return no("is not a valid Datetime");
  const utc = new Date(ms).toISOString();
  if (utc < "1800-01-01" || utc > "2200-12-31T23:59:59.999Z") return no("is outside 1800-01-01..2200-12-31");
  return ok(utc);
}

function currency(value: unknown): SlotCheck {
  let parsed = value;
  if (typeof value === "string") {
    const piped = /^\s*([+-]?\d+(?:\.\d+)?)\s*\|\s*([A-Za-z]{3})\s*$/.exec(value);
    if (piped) return ok({ amount: piped[1] as string, code: (piped[2] as string).toUpperCase() });
    try {
      parsed = JSON.parse(value);
    } catch {
      return no('is not a Currency ({"amount": ..., "code": "USD"} or "17.00|USD")');
    }
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return no('is not a Currency ({"amount": ..., "code": "USD"})');
  const { amount, code } = parsed as { amount?: unknown; code?: unknown };
  if (!(typeof amount === "number" || typeof amount === "string") || !DECIMAL_TEXT.test(String(amount))) return no("has no decimal amount");
  if (typeof code !== "string" || !CURRENCY_CODE.test(code)) return no("has no three-letter ISO 4217 code");
  return ok({ amount: String(amount), code });
}

function scalar(type: SlotType, value: unknown): SlotCheck {
  switch (type.replace(/Collection$/, "")) {
    case "String":
      if (typeof value !== "string") return no("is not a String");
      return value.length <= MAX_STRING ? ok(value) : no(`is longer than ${MAX_STRING} characters`);
    case "Integer":
      return integer(value);
    case "Decimal":
      return decimal(value);
    case "Boolean":
      return boolean(value);
    case "Duration":
      return typeof value === "string" && DURATION.test(value.trim()) ? ok(value.trim()) : no("is not an XSD Duration without years or months, such as PT1H30M");
    case "Datetime":
      return datetime(value);
    default:
      return currency(value);
  }
}

/** Checks one slot value against its registered type. */
export function checkSlotValue(type: SlotType, value: unknown): SlotCheck {
  if (!type.endsWith("Collection")) return scalar(type, value);
  if (!Array.isArray(value)) return no(`is not a list (${type})`);
  const items: FlowValue[] = [];
  for (const [i, item] of value.entries()) {
    const check = scalar(type, item);
    if (!check.ok) return no(`item ${i} ${check.reason}`);
    items.push(check.value);
  }
  return ok(items);
}
