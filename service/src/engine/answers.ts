import { fullFormats } from "ajv-formats/dist/formats";
import { type AnswerDef, type ChoiceOption } from "../bots/definition";
import { localizedText, localizedWords, normalizeWords } from "../bots/localize";
import { daysBetween, dayIn, isoDay, parseDate } from "./dates";
import { phrasesOf, saysExactly, saysWithin, tokens, utteranceOf, type WordsOf } from "./matching";
import { numberFromWords } from "./numberWords";
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
  /** IANA time zone in which "today" and relative dates are understood. */
  timeZone: string;
}

const NO: AnswerResult = { ok: false };
const ok = (value: VarValue): AnswerResult => ({ ok: true, value });

/** Payloads of the yes/no quick replies the engine adds to a yesNo question. */
export const YES_PAYLOAD = "yes";
export const NO_PAYLOAD = "no";

const YES_NO_WORDS: Record<string, { yes: string[]; no: string[]; labels: [string, string] }> = {
  en: {
    yes: ["yes", "y", "yeah", "yea", "yep", "yup", "ya", "sure", "ok", "okay", "k", "correct", "right", "go ahead", "please do", "of course", "absolutely", "definitely", "certainly", "sounds good", "that s right", "alright", "all right", "fine", "affirmative", "do it", "yes please"],
    no: ["no", "n", "nope", "nah", "not really", "no thanks", "no thank you", "cancel", "don t", "do not", "negative", "never", "not now", "stop", "wrong", "that s wrong", "i don t think so"],
    labels: ["Yes", "No"],
  },
  de: {
    yes: ["ja", "j", "jawohl", "jo", "jep", "jup", "genau", "klar", "ok", "okay", "richtig", "gerne", "gern", "bitte", "sicher", "natürlich", "selbstverständlich", "auf jeden fall", "passt", "stimmt", "einverstanden", "mach das", "machen sie das", "ja bitte", "in ordnung", "alles klar"],
    no: ["nein", "n", "nee", "ne", "nö", "nicht", "abbrechen", "lieber nicht", "auf keinen fall", "keinesfalls", "falsch", "stimmt nicht", "nein danke", "bitte nicht"],
    labels: ["Ja", "Nein"],
  },
  fr: { yes: ["oui", "o", "ouais", "d'accord", "ok", "bien sur", "volontiers", "exactement"], no: ["non", "n", "pas vraiment", "annuler", "non merci"], labels: ["Oui", "Non"] },
  es: { yes: ["si", "s", "claro", "vale", "ok", "de acuerdo", "por supuesto"], no: ["no", "n", "cancelar", "no gracias"], labels: ["Sí", "No"] },
  it: { yes: ["si", "s", "certo", "va bene", "ok", "d'accordo"], no: ["no", "n", "annulla", "no grazie"], labels: ["Sì", "No"] },
  nl: { yes: ["ja", "j", "zeker", "ok", "prima", "goed"], no: ["nee", "n", "niet", "annuleren", "nee bedankt"], labels: ["Ja", "Nee"] },
  pt: { yes: ["sim", "s", "claro", "ok", "com certeza"], no: ["nao", "n", "cancelar", "nao obrigado"], labels: ["Sim", "Não"] },
};

/**
 * The word tables as the customer's text is compared: normalised like it ("d'accord" → "d accord") and
 * in Maps, so that typing "constructor" finds nothing instead of Object.prototype's. Phrases are token lists,
 * longest first, so "not really" is found before "not".
 */
function wordTable<T, U>(table: Record<string, T>, convert: (entry: T) => U): Map<string, U> {
  return new Map(Object.entries(table).map(([language, entry]) => [language, convert(entry)]));
}
const phraseTokens = (list: string[]) => list.map((w) => tokens(normalizeWords(w))).sort((a, b) => b.length - a.length);
const YES_NO = wordTable(YES_NO_WORDS, (w) => ({ yes: phraseTokens(w.yes), no: phraseTokens(w.no), labels: w.labels }));
const ENGLISH_YES_NO = YES_NO.get("en") as NonNullable<ReturnType<typeof YES_NO.get>>;
/** A yes right after one of these is no answer: "not sure", "nicht sicher". */
const YES_NEGATORS = new Set(["not", "t", "never", "nicht", "nie", "pas", "non", "niet", "nao"]);
/** Only the start of an answer decides yes or no ("yes, but the label should go to my office" is a yes). */
const YES_NO_WINDOW = 6;

function yesNoWords(language: string) {
  return YES_NO.get(language.split("-")[0] ?? "en") ?? ENGLISH_YES_NO;
}

function startsWith(words: readonly string[], at: number, phrase: readonly string[]): boolean {
  return phrase.every((w, i) => words[at + i] === w);
}

/**
 * Yes or no from the first yes or no phrase in the first words of the answer, in the conversation's language or in
 * English; undefined when there is none ("maybe").
 */
export function parseYesNo(text: string, language: string): boolean | undefined {
  const words = tokens(normalizeWords(text)).slice(0, YES_NO_WINDOW);
  const tables = [yesNoWords(language), ENGLISH_YES_NO];
  for (let at = 0; at < words.length; at++) {
    for (const table of tables) {
      const yes = table.yes.find((p) => startsWith(words, at, p));
      const no = table.no.find((p) => startsWith(words, at, p));
      // The longer phrase wins: "not really" over "really", "nein danke" over "danke".
      if (yes && (!no || yes.length > no.length)) return at > 0 && YES_NEGATORS.has(words[at - 1] as string) ? undefined : true;
      if (no) return false;
    }
  }
  return undefined;
}

/** Labels of the yes/no quick replies in a language (English where no translation is built in). */
export function yesNoLabels(language: string): [string, string] {
  return yesNoWords(language).labels;
}

/**
 * The first number in the text: digits (a decimal comma accepted outside English), else whole numbers written as
 * words in English or German ("two", "zwölf", "twenty-one").
 */
export function parseNumber(text: string, language: string): number | undefined {
  const match = /-?\d+(?:[.,]\d+)?/.exec(text.replace(/(\d)[\s'’](?=\d{3}\b)/g, "$1"));
  if (!match) return numberFromWords(normalizeWords(text), language);
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

/** What names a choice option in a language: its value, its label and its synonyms. */
export const choiceWords: WordsOf<ChoiceOption> = (o, language, defaultLanguage) => [
  o.value,
  localizedText(o.label, language, defaultLanguage),
  ...localizedWords(o.synonyms, language, defaultLanguage),
];

/**
 * The option an answer picks: its payload; its value, label or a synonym said exactly; its number in the list; else
 * the option whose label or synonym the answer contains in any word order and inflection (the longest such phrase
 * wins; a tie picks nothing, so the question is asked again).
 */
export function matchChoice(options: readonly ChoiceOption[], answer: Answer, ctx: AnswerContext): ChoiceOption | undefined {
  if (answer.payload !== undefined) {
    const byPayload = options.find((o) => o.value === answer.payload);
    if (byPayload) return byPayload;
  }
  const said = utteranceOf(answer.text, ctx.language);
  if (said.normalized === "") return undefined;
  const phrases = (o: ChoiceOption) => phrasesOf(o, ctx.language, ctx.defaultLanguage, choiceWords);
  const exact = options.filter((o) => phrases(o).some((p) => saysExactly(said, p)));
  if (exact.length === 1) return exact[0];
  if (/^\d{1,2}$/.test(said.normalized)) return options[Number(said.normalized) - 1];
  let best: ChoiceOption | undefined;
  let bestLength = 0;
  let tie = false;
  for (const o of options) {
    const length = Math.max(0, ...phrases(o).filter((p) => saysWithin(said, p)).map((p) => p.required.length));
    if (length === 0) continue;
    if (length > bestLength) [best, bestLength, tie] = [o, length, false];
    else if (length === bestLength) tie = true;
  }
  return tie ? undefined : best;
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
      const value = parseYesNo(text, ctx.language);
      return value === undefined ? NO : ok(value);
    }
    case "choice": {
      const option = matchChoice(def.options, answer, ctx);
      return option ? ok(option.value) : NO;
    }
    case "email":
      return text.length <= 254 && emailFormat.test(text) ? ok(text) : NO;
    case "date": {
      const day = parseDate(text, ctx.language, ctx.now, ctx.timeZone);
      if (day === undefined) return NO;
      const offset = daysBetween(dayIn(ctx.now, ctx.timeZone), day);
      if (def.minDaysFromToday !== undefined && offset < def.minDaysFromToday) return NO;
      if (def.maxDaysFromToday !== undefined && offset > def.maxDaysFromToday) return NO;
      return ok(isoDay(day));
    }
    case "pattern":
      return text !== "" && compiled(def.regex, def.flags).test(text) ? ok(text) : NO;
  }
}
