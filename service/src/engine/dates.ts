/**
 * Calendar days as customers write them ("tomorrow", "next friday", "in 3 days", "übermorgen", "am 3. Dezember",
 * "2026-12-01", "01.12.2026"), read by chrono-node in the customer's language and resolved in the bot's time zone:
 * "tomorrow" at 23:30 UTC is the day after tomorrow in Berlin.
 *
 * Customer text is hostile: at most MAX_DATE_TEXT characters reach the parser (a date is never longer); anything
 * longer is not a date.
 */
import * as chrono from "chrono-node";
import { normalizeWords } from "../bots/localize";
import { tokens } from "./matching";

/** Longer text is not read as a date: "Wednesday the 3rd of December 2026, in the afternoon" is 52 characters. */
export const MAX_DATE_TEXT = 80;

const MS_PER_DAY = 86_400_000;

const PARSERS = new Map<string, chrono.Chrono>([
  ["de", chrono.de.casual],
  ["fr", chrono.fr.casual],
  ["es", chrono.es.casual],
  ["it", chrono.it.casual],
  ["nl", chrono.nl.casual],
  ["pt", chrono.pt.casual],
]);

/** chrono's parser per primary subtag; US English reads 01/12 month first, other English day first; else English. */
function parserFor(language: string): chrono.Chrono {
  const [primary = "en", region] = language.toLowerCase().split("-");
  if (primary === "en") return region === undefined || region === "us" ? chrono.en.casual : chrono.en.GB;
  return PARSERS.get(primary) ?? chrono.en.casual;
}

/**
 * Phrases chrono does not know, in the words it does (checked against chrono-node 2.10: English "the day after
 * tomorrow" would otherwise be read as "tomorrow").
 */
const REWRITES: ReadonlyArray<{ language: string; pattern: RegExp; replacement: string }> = [{ language: "en", pattern: /\b(?:the\s+)?day\s+after\s+tomorrow\b/i, replacement: "in 2 days" }];

/** Words around a date that turn it around ("not friday", "nicht morgen"): such an answer is no date. */
const NEGATIONS = new Set(["not", "t", "never", "no", "nicht", "kein", "keinen", "nie", "ne", "pas", "non", "niet", "nao"]);

/** Time zones whose formatter is kept: the zones of the loaded bots (one each, and UTC) are far fewer. */
const MAX_ZONE_FORMATTERS = 64;
const zoneFormatters = new Map<string, Intl.DateTimeFormat>();

/**
 * The wall clock of a time zone, down to the minute. Building an Intl.DateTimeFormat costs far more than using one
 * (it loads the zone's rules), so each zone's is built once; past MAX_ZONE_FORMATTERS zones, one is built per call.
 */
function zoneFormatter(timeZone: string): Intl.DateTimeFormat {
  let format = zoneFormatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric" });
    if (zoneFormatters.size < MAX_ZONE_FORMATTERS) zoneFormatters.set(timeZone, format);
  }
  return format;
}

/** Year, month (1–12), day, hour and minute of `instant` on the wall clock of `timeZone`. */
function wallClock(instant: Date, timeZone: string): { year: number; month: number; day: number; hour: number; minute: number } {
  const clock = { year: 0, month: 0, day: 0, hour: 0, minute: 0 };
  for (const { type, value } of zoneFormatter(timeZone).formatToParts(instant)) if (type in clock) clock[type as keyof typeof clock] = Number(value);
  return clock;
}

/** The calendar day (as UTC midnight in milliseconds) that `instant` falls on in `timeZone`. */
export function dayIn(instant: Date, timeZone: string): number {
  const { year, month, day } = wallClock(instant, timeZone);
  return Date.UTC(year, month - 1, day);
}

/** Minutes `timeZone` is ahead of UTC at `instant` (chrono takes the reference time zone as an offset). */
export function offsetMinutes(instant: Date, timeZone: string): number {
  const { year, month, day, hour, minute } = wallClock(instant, timeZone);
  const local = Date.UTC(year, month - 1, day, hour, minute);
  return Math.round((local - Math.floor(instant.getTime() / 60_000) * 60_000) / 60_000);
}

export function isoDay(dayMs: number): string {
  return new Date(dayMs).toISOString().slice(0, 10);
}

/** Whole days from `today` to `day` (both UTC-midnight milliseconds). */
export function daysBetween(today: number, day: number): number {
  return Math.round((day - today) / MS_PER_DAY);
}

/**
 * The one calendar day the text names, in the bot's time zone, as UTC-midnight milliseconds; undefined when it
 * names none, several ("friday or monday"), negates one, or is too long to be a date.
 */
export function parseDate(text: string, language: string, now: Date, timeZone: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === "" || trimmed.length > MAX_DATE_TEXT) return undefined;
  const primary = language.split("-")[0] ?? language;
  let input = trimmed;
  for (const rewrite of REWRITES) if (rewrite.language === primary) input = input.replace(rewrite.pattern, rewrite.replacement);
  const reference = { instant: now, timezone: offsetMinutes(now, timeZone) };
  let results = parserFor(language).parse(input, reference, { forwardDate: true });
  // As with yes and no, English words are understood in every conversation ("tomorrow" in a German chat); numeric
  // dates are read only in the conversation's own convention.
  if (results.length === 0 && primary !== "en" && !/\d/.test(input)) results = chrono.en.casual.parse(input, reference, { forwardDate: true });
  if (results.length !== 1) return undefined;
  const result = results[0] as chrono.ParsedResult;
  const rest = tokens(normalizeWords(input.slice(0, result.index) + " " + input.slice(result.index + result.text.length)));
  if (rest.some((w) => NEGATIONS.has(w) || /\d/.test(w))) return undefined;
  const year = result.start.get("year");
  // chrono reads "2026-13-01" as year-day-month; an ISO-shaped answer must mean year-month-day.
  const iso = /(\d{4})-(\d{1,2})-(\d{1,2})/.exec(result.text);
  if (iso && Number(iso[2]) !== result.start.get("month")) return undefined;
  const month = result.start.get("month");
  const day = result.start.get("day");
  if (year === null || month === null || day === null || year < 1800 || year > 2200) return undefined;
  const ms = Date.UTC(year, month - 1, day);
  const check = new Date(ms);
  // chrono accepts 31.02.; a day that does not exist as written is no answer.
  return check.getUTCMonth() === month - 1 && check.getUTCDate() === day ? ms : undefined;
}
