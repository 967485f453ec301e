import { type AnswerDef, type ChoiceOption } from "../../service/src/bots/definition";
import { type AnswerContext, matchChoice, parseAnswer, parseNumber, yesNoLabels } from "../../service/src/engine/answers";
import { parseDate } from "../../service/src/engine/dates";

/** A Tuesday, late in the UTC day so that "tomorrow" must not be computed from local time. */
const NOW = new Date("2026-03-10T23:30:00Z");
const en: AnswerContext = { language: "en-us", defaultLanguage: "en-us", now: NOW, timeZone: "UTC" };
const de: AnswerContext = { language: "de-de", defaultLanguage: "en-us", now: NOW, timeZone: "UTC" };

const parse = (def: AnswerDef, text: string, ctx = en, payload?: string) => parseAnswer(def, payload === undefined ? { text } : { text, payload }, ctx);
const value = (def: AnswerDef, text: string, ctx = en, payload?: string) => {
  const r = parse(def, text, ctx, payload);
  return r.ok ? r.value : "(no match)";
};

describe("text answers", () => {
  const def: AnswerDef = { type: "text", minLength: 3, maxLength: 10 };
  it("accept trimmed text within the length bounds", () => {
    expect(value(def, "  hello  ")).toBe("hello");
    expect(value(def, "abc")).toBe("abc");
    expect(value(def, "a".repeat(10))).toBe("a".repeat(10));
  });
  it("reject empty, too short and too long text", () => {
    expect(value({ type: "text" }, "   ")).toBe("(no match)");
    expect(value(def, " ab ")).toBe("(no match)");
    expect(value(def, "a".repeat(11))).toBe("(no match)");
  });
});

describe("number answers", () => {
  it.each([
    ["3", 3],
    ["I have 3 items", 3],
    ["-2", -2],
    ["2.5", 2.5],
    ["1 000", 1000],
    ["1’000", 1000],
  ])("English %j → %p", (text, expected) => {
    expect(value({ type: "number" }, text)).toBe(expected);
  });
  it("accepts a decimal comma in German, not in English", () => {
    expect(value({ type: "number" }, "2,5", de)).toBe(2.5);
    expect(value({ type: "number" }, "ungefähr 3,75 kg", de)).toBe(3.75);
    expect(value({ type: "number" }, "2,5", en)).toBe("(no match)");
  });
  it("enforces integer, min and max", () => {
    const def: AnswerDef = { type: "number", integer: true, min: 1, max: 20 };
    expect(value(def, "20")).toBe(20);
    expect(value(def, "1")).toBe(1);
    expect(value(def, "2.5")).toBe("(no match)");
    expect(value(def, "0")).toBe("(no match)");
    expect(value(def, "21")).toBe("(no match)");
  });
  it("rejects text without a number", () => {
    expect(value({ type: "number" }, "a few")).toBe("(no match)");
    expect(parseNumber("", "en-us")).toBeUndefined();
  });
});

describe("yes/no answers", () => {
  const def: AnswerDef = { type: "yesNo" };
  it("take the button payloads", () => {
    expect(value(def, "Yes", en, "yes")).toBe(true);
    expect(value(def, "whatever", en, "no")).toBe(false);
  });
  it.each([
    ["Yes!", true],
    ["  yeah ", true],
    ["OK", true],
    ["go ahead", true],
    ["nope", false],
    ["No thanks.", false],
  ])("English %j → %p", (text, expected) => {
    expect(value(def, text)).toBe(expected);
  });
  it.each([
    ["Ja", true],
    ["jawohl", true],
    ["Gerne!", true],
    ["nein", false],
    ["Nee", false],
    ["yes", true],
    ["no", false],
  ])("German %j → %p (English words are understood everywhere)", (text, expected) => {
    expect(value(def, text, de)).toBe(expected);
  });
  it("understands words with apostrophes and accents (French d'accord)", () => {
    expect(value(def, "D'accord", { ...en, language: "fr-fr" })).toBe(true);
    expect(value(def, "Sí", { ...en, language: "es-es" })).toBe(true);
    expect(value(def, "não", { ...en, language: "pt-br" })).toBe(false);
  });
  it("rejects anything else", () => {
    expect(value(def, "maybe")).toBe("(no match)");
    expect(value(def, "ja", en)).toBe("(no match)");
    expect(value(def, "")).toBe("(no match)");
  });
  it("labels the buttons in the customer's language, English where none is built in", () => {
    expect(yesNoLabels("de-de")).toEqual(["Ja", "Nein"]);
    expect(yesNoLabels("en-us")).toEqual(["Yes", "No"]);
    expect(yesNoLabels("ja-jp")).toEqual(["Yes", "No"]);
  });
});

describe("choice answers", () => {
  const options: ChoiceOption[] = [
    { value: "order", label: { "en-us": "Track an order", "de-de": "Bestellung verfolgen" }, synonyms: { "en-us": ["where is my order", "status"], "de-de": ["wo ist meine bestellung"] } },
    { value: "return", label: { "en-us": "Return an item", "de-de": "Artikel zurückgeben" }, synonyms: { "en-us": ["refund", "send back"], "de-de": ["rückgabe", "erstattung"] } },
    { value: "agent", label: "Talk to an agent" },
  ];
  const def: AnswerDef = { type: "choice", options };
  it("by button payload", () => {
    expect(value(def, "Track an order", en, "return")).toBe("return");
  });
  it("by payload text typed as the option value", () => {
    expect(value(def, "agent")).toBe("agent");
  });
  it("by label, ignoring case and punctuation", () => {
    expect(value(def, "track an ORDER!")).toBe("order");
    expect(value(def, "Artikel zurückgeben", de)).toBe("return");
    expect(value(def, "artikel zuruckgeben", de)).toBe("return");
  });
  it("by synonym in the customer's language", () => {
    expect(value(def, "Where is my order?")).toBe("order");
    expect(value(def, "Rückgabe", de)).toBe("return");
  });
  it("by number in the list", () => {
    expect(value(def, "2")).toBe("return");
    expect(value(def, "3.")).toBe("agent");
    expect(value(def, "4")).toBe("(no match)");
    expect(value(def, "0")).toBe("(no match)");
  });
  it("by a phrase contained in a longer answer", () => {
    expect(value(def, "I'd like a refund please")).toBe("return");
    expect(value(def, "ich möchte eine Erstattung", de)).toBe("return");
  });
  it("refuses an ambiguous answer", () => {
    expect(value(def, "status or refund")).toBe("(no match)");
    expect(matchChoice(options, { text: "refund status" }, en)).toBeUndefined();
  });
  it("does not match part of a word", () => {
    expect(value(def, "borders")).toBe("(no match)");
    expect(value(def, "")).toBe("(no match)");
  });
  it("falls back to the text when a payload matches no option", () => {
    expect(value(def, "refund", en, "stale-payload")).toBe("return");
  });
});

describe("email answers", () => {
  const def: AnswerDef = { type: "email" };
  it.each(["ada@example.com", "  first.last+tag@sub.example.co.uk  ", "ADA@EXAMPLE.COM", "o'neil@example.ie"])("accepts %j", (text) => {
    expect(value(def, text)).toBe(text.trim());
  });
  it.each(["ada@example", "ada@@example.com", "ada example.com", "ada@exa mple.com", "@example.com", "ada@.example.com", "ada@example.com.", "", "a".repeat(250) + "@x.com"])(
    "rejects %j",
    (text) => {
      expect(value(def, text)).toBe("(no match)");
    },
  );
});

describe("date answers", () => {
  const day = (text: string, ctx = en) => value({ type: "date" }, text, ctx);
  it("ISO dates", () => {
    expect(day("2026-12-01")).toBe("2026-12-01");
    expect(day("2026-2-3")).toBe("2026-02-03");
  });
  it("month first only in US English, day first elsewhere", () => {
    expect(day("12/01/2026")).toBe("2026-12-01");
    expect(day("01.12.2026", de)).toBe("2026-12-01");
    expect(day("01/12/2026", { ...en, language: "en-gb" })).toBe("2026-12-01");
  });
  it("words relative to the injected now, in the customer's language", () => {
    expect(day("today")).toBe("2026-03-10");
    expect(day("Tomorrow")).toBe("2026-03-11");
    expect(day("day after tomorrow")).toBe("2026-03-12");
    expect(day("morgen", de)).toBe("2026-03-11");
    expect(day("Übermorgen", de)).toBe("2026-03-12");
    expect(day("heute", de)).toBe("2026-03-10");
    expect(day("tomorrow", de)).toBe("2026-03-11");
    expect(day("aujourd'hui", { ...en, language: "fr-fr" })).toBe("2026-03-10");
    expect(day("demain", { ...en, language: "fr-fr" })).toBe("2026-03-11");
  });
  it("rejects impossible and unknown dates", () => {
    for (const text of ["31.02.2026", "2026-13-01", "2026-02-30", "someday", "1799-12-31", "2201-01-01"]) {
      expect([text, day(text, de)]).toEqual([text, "(no match)"]);
    }
  });
  it.each(["constructor", "toString", "__proto__", "hasOwnProperty", "valueOf"])("rejects %j without throwing", (text) => {
    expect(day(text)).toBe("(no match)");
    expect(parseDate(text, "de-de", NOW, "UTC")).toBeUndefined();
  });
  it("enforces minDaysFromToday and maxDaysFromToday", () => {
    const def: AnswerDef = { type: "date", minDaysFromToday: 1, maxDaysFromToday: 14 };
    expect(value(def, "today")).toBe("(no match)");
    expect(value(def, "tomorrow")).toBe("2026-03-11");
    expect(value(def, "2026-03-24")).toBe("2026-03-24");
    expect(value(def, "2026-03-25")).toBe("(no match)");
    expect(value({ type: "date", maxDaysFromToday: 0 }, "2020-01-01")).toBe("2020-01-01");
    expect(value({ type: "date", minDaysFromToday: 0 }, "2026-03-09")).toBe("(no match)");
  });
});

describe("pattern answers", () => {
  it("match the trimmed text against the regex with its flags", () => {
    const def: AnswerDef = { type: "pattern", regex: "^a-?\\d{5}$", flags: "i" };
    expect(value(def, " A-12345 ")).toBe("A-12345");
    expect(value(def, "a12345")).toBe("a12345");
    expect(value(def, "A-1234")).toBe("(no match)");
    expect(value({ type: "pattern", regex: "^a-?\\d{5}$" }, "A-12345")).toBe("(no match)");
    expect(value({ type: "pattern", regex: ".*" }, "  ")).toBe("(no match)");
  });
});
