/**
 * How the customer's words are compared with a definition's phrases (interrupt words, choice labels and synonyms):
 * case, accents and punctuation do not matter (the shared normaliser), inflection does not matter (Snowball stemmers
 * from @orama/stemmers), word order and filler words do not matter (a phrase matches when its content words all
 * appear), and one typo in a long word is forgiven (Levenshtein distance 1 from fastest-levenshtein). A negation
 * ("I don't want an agent", "keinen Menschen") stops a phrase from matching inside a longer message.
 *
 * Customer text is hostile: an utterance is built in one pass over at most MAX_TOKENS tokens of at most
 * MAX_TOKEN_LENGTH characters each, so every comparison is bounded whatever the customer sends.
 */
import { distance } from "fastest-levenshtein";
import { normalizeWords } from "../bots/localize";
import { STEMMERS } from "./stemmers";

/** Tokens of a message that are looked at; the rest of a very long message is not (no phrase is that long). */
export const MAX_TOKENS = 64;
/** Longer tokens are compared as they are: no word of a phrase is that long, and stemming them costs for nothing. */
export const MAX_TOKEN_LENGTH = 40;
/** Words shorter than this must match exactly: a typo allowance would confuse "order" with "older". */
const FUZZY_MIN_LENGTH = 6;

/**
 * Words that carry no intent of their own in a request ("can I talk to a person please"): a phrase does not require
 * them. A small curated list on purpose: generic stop-word lists (built for search) contain words that matter here,
 * such as "no", "not", "someone", "nothing", "nicht" and "kein".
 */
const FILLERS: Record<string, readonly string[]> = {
  en: ["a", "an", "the", "to", "with", "i", "d", "m", "ll", "ve", "me", "my", "you", "your", "please", "can", "could", "would", "will", "like", "want", "need", "just", "now", "do", "is", "it", "for", "of", "on", "in", "at", "and", "so", "some", "let", "get", "hi", "hello", "hey", "ok", "okay", "thanks", "thank"],
  de: ["ein", "eine", "einen", "einem", "einer", "der", "die", "das", "den", "dem", "des", "mit", "zu", "bitte", "ich", "mich", "mir", "mochte", "mochten", "wurde", "gern", "gerne", "kann", "konnte", "will", "wollen", "mal", "jetzt", "doch", "und", "hallo", "danke", "gleich", "sofort"],
  fr: ["un", "une", "le", "la", "les", "de", "du", "des", "a", "au", "avec", "je", "j", "me", "moi", "s", "il", "vous", "plait", "voudrais", "veux", "peux", "pourrais", "parler"],
  es: ["un", "una", "el", "la", "los", "las", "de", "del", "a", "al", "con", "yo", "me", "por", "favor", "quiero", "quisiera", "puedo", "podria"],
  it: ["un", "una", "uno", "il", "lo", "la", "i", "gli", "le", "di", "a", "con", "io", "mi", "per", "favore", "vorrei", "voglio", "posso"],
  nl: ["een", "de", "het", "met", "ik", "mij", "me", "graag", "alstublieft", "wil", "wilde", "kan", "zou", "even"],
  pt: ["um", "uma", "o", "a", "os", "as", "de", "do", "da", "com", "eu", "me", "por", "favor", "quero", "queria", "posso"],
};

/** Words that turn a request around; "t" is what English contractions leave after normalising ("don't" → "don t"). */
const NEGATIONS: Record<string, readonly string[]> = {
  en: ["not", "never", "t", "without"],
  de: ["nicht", "kein", "keine", "keinen", "keinem", "keiner", "nie", "niemals", "ohne"],
  fr: ["ne", "pas", "jamais", "sans"],
  es: ["no", "nunca", "sin"],
  it: ["non", "mai", "senza"],
  nl: ["niet", "geen", "nooit", "zonder"],
  pt: ["nao", "nunca", "sem"],
};

const toSets = (table: Record<string, readonly string[]>) => new Map(Object.entries(table).map(([lang, words]) => [lang, new Set(words.map(normalizeWords))]));
const FILLER_SETS = toSets(FILLERS);
const NEGATION_SETS = toSets(NEGATIONS);
const EMPTY = new Set<string>();

function primary(language: string): string {
  return language.split("-")[0] ?? language;
}

function stemOf(language: string): (word: string) => string {
  const stem = STEMMERS.get(primary(language));
  return stem ? (word) => (word.length > MAX_TOKEN_LENGTH ? word : stem(word)) : (word) => word;
}

/** Splits normalised text into word tokens ("twenty-one" → twenty, one), at most MAX_TOKENS of them. */
export function tokens(normalized: string): string[] {
  const out: string[] = [];
  for (const token of normalized.split(/[\s\-.+]+/)) {
    if (token === "") continue;
    out.push(token);
    if (out.length >= MAX_TOKENS) break;
  }
  return out;
}

/** What the customer said, prepared once for every comparison of a turn. */
export interface Utterance {
  /** The whole message, normalised (for exact comparisons). */
  normalized: string;
  tokens: string[];
  stems: Set<string>;
  /** The message negates something: a phrase may then only match it exactly. */
  negated: boolean;
}

/** The last utterance made and what it was made from (see utteranceOf). */
let lastUtterance: { text: string; language: string; utterance: Utterance } | undefined;

/**
 * What the customer said, tokenised and stemmed. A turn compares the same text at several steps (interrupts, skip
 * words, choices), so the last result is kept and the text is stemmed once per turn. Callers only read it.
 */
export function utteranceOf(text: string, language: string): Utterance {
  if (lastUtterance && lastUtterance.text === text && lastUtterance.language === language) return lastUtterance.utterance;
  const normalized = normalizeWords(text);
  const words = tokens(normalized);
  const stem = stemOf(language);
  const negations = NEGATION_SETS.get(primary(language)) ?? EMPTY;
  const utterance = { normalized, tokens: words, stems: new Set(words.map(stem)), negated: words.some((w) => negations.has(w)) };
  lastUtterance = { text, language, utterance };
  return utterance;
}

/** A definition phrase, prepared once per language. */
export interface Phrase {
  normalized: string;
  /** Stems of its content words (all of its words when it has nothing but filler, such as "no thanks"). */
  required: string[];
  /** The content words themselves, for the typo allowance. */
  words: string[];
}

export function phraseOf(text: string, language: string): Phrase {
  const normalized = normalizeWords(text);
  const all = tokens(normalized);
  const fillers = FILLER_SETS.get(primary(language)) ?? EMPTY;
  const content = all.filter((w) => !fillers.has(w));
  const words = content.length > 0 ? content : all;
  const stem = stemOf(language);
  return { normalized, required: words.map(stem), words };
}

function wordIn(u: Utterance, word: string, stem: string): boolean {
  if (u.stems.has(stem)) return true;
  if (word.length < FUZZY_MIN_LENGTH) return false;
  return u.tokens.some((t) => t.length <= MAX_TOKEN_LENGTH && Math.abs(t.length - word.length) <= 1 && distance(t, word) <= 1);
}

/** The customer's whole message is the phrase (case, accents and punctuation aside). */
export function saysExactly(u: Utterance, p: Phrase): boolean {
  return p.normalized !== "" && u.normalized === p.normalized;
}

/**
 * The phrase's content words all appear in the message, in any order and any inflection, and the message does not
 * negate (a negated message matches only exactly).
 */
export function saysWithin(u: Utterance, p: Phrase): boolean {
  if (saysExactly(u, p)) return true;
  if (u.negated || p.required.length === 0) return false;
  return p.required.every((stem, i) => wordIn(u, p.words[i] as string, stem));
}

/** The words of a definition element (interrupt, skip, choice option) in a language, before they are prepared. */
export type WordsOf<T extends object> = (owner: T, language: string, defaultLanguage: string) => string[];

const compiledLists = new WeakMap<object, Map<string, readonly Phrase[]>>();

/**
 * The phrases of a definition element in one language, prepared once: definitions do not change while the service
 * runs and every turn compares against them. The registry prepares every element in every language of its bot when
 * the bot is loaded (preparePhrases in the engine), so no turn pays for it. What is kept is bounded by the loaded
 * definitions: their elements (weakly held) times their languages (the engine compares only in a language chosen
 * from the bot's own).
 */
export function phrasesOf<T extends object>(owner: T, language: string, defaultLanguage: string, wordsOf: WordsOf<T>): readonly Phrase[] {
  let byLanguage = compiledLists.get(owner);
  let list = byLanguage?.get(language);
  if (list) return list;
  list = wordsOf(owner, language, defaultLanguage).map((p) => phraseOf(p, language));
  if (!byLanguage) compiledLists.set(owner, (byLanguage = new Map()));
  byLanguage.set(language, list);
  return list;
}
