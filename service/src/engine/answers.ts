import { fullFormats } from "ajv-formats/dist/formats";
import { type AnswerDef, type ChoiceOption } from "../bots/definition";
import { localizedText, localizedWords, normalizedWords, normalizeWords } from "../bots/localize";
import { type VarValue } from "./state";

/** What the customer answered: typed text, or the payload of a button that belongs to this question. */
export interface Answer {
  text: string;
  payload?: string;
}

export type AnswerResult = { ok: true; value: VarValue } | { ok: false };

export interface AnswerContext {
  language: string;
  defaultLanguage: string;
  now: Date;
}

const NO: AnswerResult = { ok: false };
const ok = (value: VarValue): AnswerResult => ({ ok: true, value });

/** Payloads of the yes/no quick replies the engine adds to a yesNo question. */
export const YES_PAYLOAD = "yes";
export const NO_PAYLOAD = "no";

const YES_NO_WORDS: Record<string, { yes: string[]; no: string[]; labels: [string, string] }> = {
  en: { yes: ["yes", "y", "yeah", "yep", "yup", "sure", "ok", "okay", "correct", "right", "go ahead", "please do"], no: ["no", "n", "nope", "nah", "not really", "no thanks", "cancel"], labels: ["Yes", "No"] },
  de: { yes: ["ja", "j", "jawohl", "genau", "klar", "ok", "okay", "richtig", "gerne", "bitte"], no: ["nein", "n", "nee", "ne", "nicht", "abbrechen"], labels: ["Ja", "Nein"] },
  fr: { yes: ["oui", "o", "ouais", "d'accord", "ok", "bien sur"], no: ["non", "n", "pas vraiment", "annuler"], labels: ["Oui", "Non"] },
  es: { yes: ["si", "s", "claro", "vale", "ok", "de acuerdo"], no: ["no", "n", "cancelar"], labels: ["Sí", "No"] },
  it: { yes: ["si", "s", "certo", "va bene", "ok"], no: ["no", "n", "annulla"], labels: ["Sì", "No"] },
  nl: { yes: ["ja", "j", "zeker", "ok", "prima"], no: ["nee", "n", "niet", "annuleren"], labels: ["Ja", "Nee"] },
  pt: { yes: ["sim", "s", "claro", "ok"], no: ["nao", "n", "cancelar"], labels: ["Sim", "Não"] },
};

/**
 * The word tables as the customer's text is compared: normalised like it ("d'accord" → "d accord") and
 * in Maps, so that typing "constructor" finds nothing instead of Object.prototype's.
 */
function wordTable<T, U>(table: Record<string, T>, convert: (entry: T) => U): Map<string, U> {
  return new Map(Object.entries(table).map(([language, entry]) => [language, convert(entry)]));
}
const YES_NO = wordTable(YES_NO_WORDS, (w) => ({ yes: new Set(w.yes.map(normalizeWords)), no: new Set(w.no.map(normalizeWords)), labels: w.labels }));
const ENGLISH_YES_NO = YES_NO.get("en") as NonNullable<ReturnType<typeof YES_NO.get>>;

function yesNoWords(language: string) {
  return YES_NO.get(language.split("-")[0] ?? "en") ?? ENGLISH_YES_NO;
}

/** Labels of the yes/no quick replies in a language (English where no translation is built in). */
export function yesNoLabels(language: string): [string, string] {
  return yesNoWords(language).labels;
}

const DATE_WORDS: Record<string, Record<string, number>> = {
  en: { today: 0, tomorrow: 1, "day after tomorrow": 2 },
  de: { heute: 0, morgen: 1, ubermorgen: 2 },
  fr: { "aujourd'hui": 0, aujourdhui: 0, demain: 1, "apres-demain": 2, "apres demain": 2 },
  es: { hoy: 0, manana: 1, "pasado manana": 2 },
  it: { oggi: 0, domani: 1, dopodomani: 2 },
  nl: { vandaag: 0, morgen: 1, overmorgen: 2 },
  pt: { hoje: 0, amanha: 1, "depois de amanha": 2 },
};

const DAY_WORDS = wordTable(DATE_WORDS, (words) => new Map(Object.entries(words).map(([w, offset]) => [normalizeWords(w), offset])));

const MS_PER_DAY = 86_400_000;

function utcDay(date: Date): number {
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
}

function isoDate(dayMs: number): string {
  return new Date(dayMs).toISOString().slice(0, 10);
}

function validDay(year: number, month: number, day: number): number | undefined {
  if (month < 1 || month > 12 || day < 1 || day > 31 || year < 1800 || year > 2200) return undefined;
  const ms = Date.UTC(year, month - 1, day);
  const d = new Date(ms);
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day ? ms : undefined;
}

/** A calendar day from ISO, the language's numeric order, or words such as "tomorrow". */
export function parseDate(text: string, language: string, now: Date): number | undefined {
  const normalized = normalizeWords(text);
  const offset = DAY_WORDS.get(language.split("-")[0] ?? "en")?.get(normalized) ?? DAY_WORDS.get("en")?.get(normalized);
  if (offset !== undefined) return utcDay(now) + offset * MS_PER_DAY;
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text.trim());
  if (iso) return validDay(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  const numeric = /^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$/.exec(text.trim());
  if (numeric) {
    const [a, b, year] = [Number(numeric[1]), Number(numeric[2]), Number(numeric[3])];
    // Month first only where that is the convention (US English); day first everywhere else.
    return language === "en-us" ? validDay(year, a, b) : validDay(year, b, a);
  }
  return undefined;
}

/** The first number in the text; a decimal comma is accepted outside English. */
export function parseNumber(text: string, language: string): number | undefined {
  const match = /-?\d+(?:[.,]\d+)?/.exec(text.replace(/(\d)[\s'’](?=\d{3}\b)/g, "$1"));
  if (!match) return undefined;
  let raw = match[0];
  if (raw.includes(",")) {
    if (language.startsWith("en")) return undefined;
    raw = raw.replace(",", ".");
  }
  const value = Number(raw);
  return Number.isFinite(value) ? value : undefined;
}

const emailFormat = fullFormats.email as RegExp;

const regexCache = new Map<string, RegExp>();
/** Definition patterns are few and fixed, so each is compiled once. */
export function compiled(source: string, flags = ""): RegExp {
  const key = flags + "/" + source;
  let re = regexCache.get(key);
  if (!re) {
    re = new RegExp(source, flags);
    regexCache.set(key, re);
  }
  return re;
}

function phraseIn(haystack: string, phrase: string): boolean {
  if (phrase === "") return false;
  return (" " + haystack + " ").includes(" " + phrase + " ");
}

/** The option an answer picks: its payload, its value, label or a synonym, or its number in the list. */
export function matchChoice(options: readonly ChoiceOption[], answer: Answer, ctx: AnswerContext): ChoiceOption | undefined {
  if (answer.payload !== undefined) {
    const byPayload = options.find((o) => o.value === answer.payload);
    if (byPayload) return byPayload;
  }
  const said = normalizeWords(answer.text);
  if (said === "") return undefined;
  const phrases = (o: ChoiceOption) =>
    normalizedWords(o, ctx.language, () => [
      o.value,
      localizedText(o.label, ctx.language, ctx.defaultLanguage),
      ...localizedWords(o.synonyms, ctx.language, ctx.defaultLanguage),
    ]);
  const exact = options.filter((o) => phrases(o).includes(said));
  if (exact.length === 1) return exact[0];
  if (/^\d{1,2}$/.test(said)) return options[Number(said) - 1];
  const contained = options.filter((o) => phrases(o).some((p) => phraseIn(said, p)));
  return contained.length === 1 ? contained[0] : undefined;
}

/** Validates an answer against a question's expected type and returns the value to store. */
export function parseAnswer(def: AnswerDef, answer: Answer, ctx: AnswerContext): AnswerResult {
  const text = answer.text.trim();
  switch (def.type) {
    case "text":
      if (text === "") return NO;
      if (def.minLength !== undefined && text.length < def.minLength) return NO;
      if (def.maxLength !== undefined && text.length > def.maxLength) return NO;
      return ok(text);
    case "number": {
      const value = parseNumber(text, ctx.language);
      if (value === undefined) return NO;
      if (def.integer && !Number.isInteger(value)) return NO;
      if (def.min !== undefined && value < def.min) return NO;
      if (def.max !== undefined && value > def.max) return NO;
      return ok(value);
    }
    case "yesNo": {
      if (answer.payload === YES_PAYLOAD) return ok(true);
      if (answer.payload === NO_PAYLOAD) return ok(false);
      const words = yesNoWords(ctx.language);
      const said = normalizeWords(text);
      if (words.yes.has(said) || ENGLISH_YES_NO.yes.has(said)) return ok(true);
      if (words.no.has(said) || ENGLISH_YES_NO.no.has(said)) return ok(false);
      return NO;
    }
    case "choice": {
      const option = matchChoice(def.options, answer, ctx);
      return option ? ok(option.value) : NO;
    }
    case "email":
      return text.length <= 254 && emailFormat.test(text) ? ok(text) : NO;
    case "date": {
      const day = parseDate(text, ctx.language, ctx.now);
      if (day === undefined) return NO;
      const offset = Math.round((day - utcDay(ctx.now)) / MS_PER_DAY);
      if (def.minDaysFromToday !== undefined && offset < def.minDaysFromToday) return NO;
      if (def.maxDaysFromToday !== undefined && offset > def.maxDaysFromToday) return NO;
      return ok(isoDate(day));
    }
    case "pattern":
      return text !== "" && compiled(def.regex, def.flags).test(text) ? ok(text) : NO;
  }
}
