/**
 * Adversarial properties of every function that reads customer text for answers and matching: whatever arrives
 * (huge, repetitive, punctuation-only, mixed scripts, words that are Object.prototype names), they return a value of
 * their type without throwing, and the work they do is bounded by construction: tokens are capped, the date parser
 * never sees more than MAX_DATE_TEXT characters, and a message longer than those bounds gives the same answer as
 * its bounded part would. Speed itself is measured by the benchmark, not asserted here.
 */
import fc from "fast-check";
import { type ChoiceOption } from "../../service/src/bots/definition";
import { matchChoice, parseNumber, parseYesNo } from "../../service/src/engine/answers";
import { MAX_DATE_TEXT, parseDate } from "../../service/src/engine/dates";
import { MAX_TOKENS, phraseOf, saysExactly, saysWithin, tokens, utteranceOf } from "../../service/src/engine/matching";
import { numberFromWords } from "../../service/src/engine/numberWords";

const NOW = new Date("2026-11-24T10:00:00Z");
const LANGUAGES = ["en-us", "de-de", "fr-fr", "ja-jp", "xx"];

/** Pieces that have tripped parsers: number words, date words, negations, separators, huge runs, prototype names. */
const piece = fc.constantFrom(
  "twenty", "one", "hundred", "and", "thousand", "a", "zwei", "und", "zwanzig", "einundzwanzig", "tausend", "hundert", "ein", "paar",
  "next", "friday", "tomorrow", "in", "3", "days", "übermorgen", "nächsten", "Freitag", "01.12.2026", "2026-13-01", "31/02",
  "not", "don't", "nicht", "kein", "yes", "no", "ja", "nein", "bitte", "agent", "Mensch", "person",
  "constructor", "__proto__", "toString", "-", "--", ".", "'", "’", " ", "\t", "\n", "💥", "ß", "İ", "\u0301", "\u200b", "x".repeat(300),
);
const hostile = fc.oneof(
  { weight: 3, arbitrary: fc.array(piece, { maxLength: 60 }).map((p) => p.join(" ")) },
  { weight: 2, arbitrary: fc.array(piece, { maxLength: 40 }).map((p) => p.join("")) },
  { weight: 2, arbitrary: fc.string({ maxLength: 200 }) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 60 }) },
  { weight: 1, arbitrary: fc.tuple(piece, fc.integer({ min: 1, max: 20_000 })).map(([p, n]) => p.repeat(n).slice(0, 50_000)) },
);
const language = fc.constantFrom(...LANGUAGES);

describe("customer text: never throws, always a value of its type", () => {
  it("tokens and utterances stay within MAX_TOKENS, whatever the length", () => {
    fc.assert(
      fc.property(hostile, language, (text, lang) => {
        const u = utteranceOf(text, lang);
        expect(u.tokens.length).toBeLessThanOrEqual(MAX_TOKENS);
        expect(tokens(u.normalized).length).toBeLessThanOrEqual(MAX_TOKENS);
        expect(typeof u.negated).toBe("boolean");
      }),
      { numRuns: 300 },
    );
  });

  it("phrase matching is a boolean, and exact matching implies matching within", () => {
    fc.assert(
      fc.property(hostile, hostile, language, (said, phrase, lang) => {
        const u = utteranceOf(said, lang);
        const p = phraseOf(phrase.slice(0, 200), lang);
        const exact = saysExactly(u, p);
        expect(typeof saysWithin(u, p)).toBe("boolean");
        if (exact) expect(saysWithin(u, p)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("number words: undefined or a whole number within the bound; parseNumber a finite number or undefined", () => {
    fc.assert(
      fc.property(hostile, language, (text, lang) => {
        const words = numberFromWords(utteranceOf(text, lang).normalized, lang);
        if (words !== undefined) expect(Number.isInteger(words) && words >= 0 && words <= 999_999).toBe(true);
        const n = parseNumber(text, lang);
        if (n !== undefined) expect(Number.isFinite(n)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("yes/no: true, false or undefined, decided by the first words only", () => {
    fc.assert(
      fc.property(hostile, hostile, language, (start, rest, lang) => {
        const value = parseYesNo(start, lang);
        expect([true, false, undefined]).toContain(value);
        // Anything after the first words cannot change the answer once it is decided.
        const decidedEarly = parseYesNo(`ja yes ${rest}`, lang);
        expect(decidedEarly).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("dates: a real calendar day or undefined; longer than MAX_DATE_TEXT is never handed to the parser", () => {
    fc.assert(
      fc.property(hostile, language, fc.constantFrom("UTC", "Europe/Berlin", "Pacific/Kiritimati", "America/St_Johns"), (text, lang, zone) => {
        const day = parseDate(text, lang, NOW, zone);
        if (day !== undefined) {
          expect(Number.isInteger(day) && day % 86_400_000 === 0).toBe(true);
          const year = new Date(day).getUTCFullYear();
          expect(year >= 1800 && year <= 2200).toBe(true);
        }
        if (text.trim().length > MAX_DATE_TEXT) expect(day).toBeUndefined();
      }),
      { numRuns: 200 },
    );
  });

  it("choice matching: one of the options or undefined, for any text and payload", () => {
    const options: ChoiceOption[] = [
      { value: "order", label: { "en-us": "Track an order", "de-de": "Bestellung verfolgen" }, synonyms: ["where is my order", "status"] },
      { value: "return", label: "Return an item", synonyms: { "en-us": ["refund", "send back"], "de-de": ["Rückgabe"] } },
      { value: "constructor", label: "__proto__" },
    ];
    fc.assert(
      fc.property(hostile, fc.option(hostile, { nil: undefined }), language, (text, payload, lang) => {
        const picked = matchChoice(options, payload === undefined ? { text } : { text, payload }, { language: lang, defaultLanguage: "en-us", now: NOW, timeZone: "UTC" });
        if (picked !== undefined) expect(options).toContain(picked);
      }),
      { numRuns: 300 },
    );
  });
});

describe("bounded by construction", () => {
  it("a message past MAX_TOKENS matches exactly as its first MAX_TOKENS words do", () => {
    const phrase = phraseOf("talk to a person", "en-us");
    fc.assert(
      fc.property(fc.array(fc.constantFrom("talk", "to", "a", "person", "please", "the", "order"), { minLength: MAX_TOKENS, maxLength: MAX_TOKENS }), hostile, (head, tail) => {
        const bounded = head.join(" ");
        expect(saysWithin(utteranceOf(`${bounded} ${tail}`, "en-us"), phrase)).toBe(saysWithin(utteranceOf(bounded, "en-us"), phrase));
      }),
      { numRuns: 200 },
    );
  });
});
