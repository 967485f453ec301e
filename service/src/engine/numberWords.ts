/**
 * Whole numbers written as words ("two", "twenty-one", "a hundred and five", "zwei", "einundzwanzig",
 * "zweihundertdrei"), for English and German.
 *
 * A small table on purpose: no maintained npm package reads German number words, and the English ones are either
 * unmaintained (words-to-numbers, last released 2019) or a whole NLP toolkit (compromise) for one table. Customers
 * write small numbers as words (counts, quantities); larger ones they type as digits, which `parseNumber` reads
 * first. Other languages: digits only.
 *
 * Linear and bounded: at most MAX_TOKENS tokens are read, and a German compound is split left to right with a
 * longest-prefix match over a fixed list, at most MAX_COMPOUND_LENGTH characters.
 */
import { tokens } from "./matching";

const MAX_COMPOUND_LENGTH = 60;
/** Numbers above this are typed as digits; a word reading beyond it is refused rather than guessed. */
const MAX_VALUE = 999_999;

type Morpheme = { value: number; kind: "unit" | "ten" | "hundred" | "thousand" };

const unit = (value: number): Morpheme => ({ value, kind: "unit" });
const ten = (value: number): Morpheme => ({ value, kind: "ten" });
const HUNDRED: Morpheme = { value: 100, kind: "hundred" };
const THOUSAND: Morpheme = { value: 1000, kind: "thousand" };

const ENGLISH = new Map<string, Morpheme>([
  ...["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"].map(
    (w, i) => [w, unit(i)] as const,
  ),
  ...["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"].map((w, i) => [w, ten((i + 2) * 10)] as const),
  ["hundred", HUNDRED],
  ["thousand", THOUSAND],
]);
/** Words that may stand between number words ("a hundred and five"). */
const ENGLISH_JOINERS = new Set(["and"]);

// German, after normalising (accents dropped: "fünf" → "funf", "zwölf" → "zwolf"; "ß" kept and also as "ss").
const GERMAN = new Map<string, Morpheme>([
  ["null", unit(0)],
  ["eins", unit(1)],
  ["ein", unit(1)],
  ["eine", unit(1)],
  ["einen", unit(1)],
  ["einem", unit(1)],
  ["zwei", unit(2)],
  ["zwo", unit(2)],
  ["drei", unit(3)],
  ["vier", unit(4)],
  ["funf", unit(5)],
  ["sechs", unit(6)],
  ["sieben", unit(7)],
  ["acht", unit(8)],
  ["neun", unit(9)],
  ["zehn", unit(10)],
  ["elf", unit(11)],
  ["zwolf", unit(12)],
  ["dreizehn", unit(13)],
  ["vierzehn", unit(14)],
  ["funfzehn", unit(15)],
  ["sechzehn", unit(16)],
  ["siebzehn", unit(17)],
  ["achtzehn", unit(18)],
  ["neunzehn", unit(19)],
  ["zwanzig", ten(20)],
  ["dreißig", ten(30)],
  ["dreissig", ten(30)],
  ["vierzig", ten(40)],
  ["funfzig", ten(50)],
  ["sechzig", ten(60)],
  ["siebzig", ten(70)],
  ["achtzig", ten(80)],
  ["neunzig", ten(90)],
  ["hundert", HUNDRED],
  ["tausend", THOUSAND],
]);
const GERMAN_PARTS = [...GERMAN.keys(), "und"].sort((a, b) => b.length - a.length);

/**
 * Folds number words into a value the way both languages build them: a unit after a ten ("twenty one"), or in German
 * before it ("ein und zwanzig"); "hundred" multiplies what stands before it (or 1), "thousand" everything so far.
 * Returns undefined for sequences no one writes ("two three", "twenty thirty", "one twenty" in English).
 */
function fold(parts: readonly Morpheme[], german: boolean): number | undefined {
  let total = 0;
  let current = 0;
  let prev: Morpheme["kind"] | undefined;
  for (const p of parts) {
    const below = current % 100;
    switch (p.kind) {
      case "unit":
        if (prev === "unit") return undefined;
        if (prev === "ten" && (p.value >= 10 || below % 10 !== 0)) return undefined;
        current += p.value;
        break;
      case "ten":
        if (prev === "ten") return undefined;
        if (prev === "unit" && !(german && below > 0 && below < 10)) return undefined;
        current += p.value;
        break;
      case "hundred":
        if (prev === "hundred" || current >= 100) return undefined;
        current = (current === 0 ? 1 : current) * 100;
        break;
      case "thousand":
        if (total !== 0) return undefined;
        total = (current === 0 ? 1 : current) * 1000;
        current = 0;
        break;
    }
    prev = p.kind;
  }
  const value = total + current;
  return value <= MAX_VALUE ? value : undefined;
}

/** A German compound ("einundzwanzig", "zweihundertdrei") as its parts, or undefined if it is not a number. */
function germanCompound(word: string): Morpheme[] | undefined {
  if (word.length > MAX_COMPOUND_LENGTH) return undefined;
  const parts: Morpheme[] = [];
  let at = 0;
  while (at < word.length) {
    const part = GERMAN_PARTS.find((p) => word.startsWith(p, at));
    if (!part) return undefined;
    if (part !== "und") parts.push(GERMAN.get(part) as Morpheme);
    at += part.length;
  }
  return parts;
}

const ENGLISH_ARTICLES = new Set(["a", "an"]);
const ENGLISH_COUNTED = new Set(["hundred", "thousand"]);
const GERMAN_ONE = new Set(["ein", "eine", "einen", "einem"]);

/**
 * The first run of number words in already normalised text, as a whole number; undefined when there is none or it
 * does not read as a number. "a"/"an" count only before hundred, thousand or dozen ("a hundred"); "ein paar" (a few)
 * is no number.
 */
export function numberFromWords(normalized: string, language: string): number | undefined {
  const german = language.split("-")[0] === "de";
  const table = german ? GERMAN : ENGLISH;
  const words = tokens(normalized);
  const run: Morpheme[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    const next = words[i + 1] ?? "";
    if (!german && ENGLISH_ARTICLES.has(word)) {
      if (ENGLISH_COUNTED.has(next)) run.push(unit(1));
      else if (run.length > 0) break;
      continue;
    }
    if (german && GERMAN_ONE.has(word) && next === "paar") return undefined;
    const single = table.get(word);
    const parts = single ? [single] : german ? germanCompound(word) : undefined;
    if (parts && parts.length > 0) {
      run.push(...parts);
      continue;
    }
    if (run.length > 0 && (german ? word === "und" : ENGLISH_JOINERS.has(word))) continue;
    if (run.length > 0) break;
  }
  return run.length > 0 ? fold(run, german) : undefined;
}
