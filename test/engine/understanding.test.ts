/**
 * Answers as customers type them, in English and German: dates through chrono-node in the bot's time zone (with an
 * injected clock), numbers as words, yes/no variants, and phrases matched regardless of inflection, word order and
 * filler words. Each table is a list of phrases collected from how people actually answer these questions.
 */
import { type AnswerDef, type ChoiceOption } from "../../service/src/bots/definition";
import { type AnswerContext, parseAnswer, parseNumber, parseYesNo } from "../../service/src/engine/answers";
import { dayIn, offsetMinutes, parseDate } from "../../service/src/engine/dates";
import { phraseOf, saysWithin, utteranceOf } from "../../service/src/engine/matching";
import { numberFromWords } from "../../service/src/engine/numberWords";

/** Tuesday 24 November 2026, 10:00 UTC. */
const NOW = new Date("2026-11-24T10:00:00Z");
const en: AnswerContext = { language: "en-us", defaultLanguage: "en-us", now: NOW, timeZone: "UTC" };
const de: AnswerContext = { language: "de-de", defaultLanguage: "en-us", now: NOW, timeZone: "Europe/Berlin" };

const answer = (def: AnswerDef, text: string, ctx: AnswerContext) => {
  const r = parseAnswer(def, { text }, ctx);
  return r.ok ? r.value : "(no match)";
};

describe("dates, read by chrono-node in the customer's language", () => {
  const pickup: AnswerDef = { type: "date", minDaysFromToday: 1, maxDaysFromToday: 14 };
  it.each([
    ["next friday", "2026-12-04"],
    ["Friday", "2026-11-27"],
    ["on friday please", "2026-11-27"],
    ["in 3 days", "2026-11-27"],
    ["in three days", "2026-11-27"],
    ["tomorrow", "2026-11-25"],
    ["the day after tomorrow", "2026-11-26"],
    ["day after tomorrow", "2026-11-26"],
    ["December 3rd", "2026-12-03"],
    ["3rd of December", "2026-12-03"],
    ["12/01/2026", "2026-12-01"],
    ["2026-12-01", "2026-12-01"],
  ])("English %j → %s (inside the allowed range)", (text, day) => {
    expect(answer(pickup, text, en)).toBe(day);
  });
  it.each([
    ["übermorgen", "2026-11-26"],
    ["Übermorgen bitte", "2026-11-26"],
    ["morgen", "2026-11-25"],
    ["nächsten Freitag", "2026-12-04"],
    ["am Freitag", "2026-11-27"],
    ["in 3 Tagen", "2026-11-27"],
    ["in drei Tagen", "2026-11-27"],
    ["3. Dezember", "2026-12-03"],
    ["am 01.12.2026", "2026-12-01"],
    ["tomorrow", "2026-11-25"],
  ])("German %j → %s", (text, day) => {
    expect(answer(pickup, text, de)).toBe(day);
  });
  it("keeps the range rules: today, yesterday and past two weeks are refused", () => {
    for (const text of ["today", "yesterday", "in 3 weeks", "2026-12-09"]) expect([text, answer(pickup, text, en)]).toEqual([text, "(no match)"]);
    expect(answer(pickup, "heute", de)).toBe("(no match)");
  });
  it("refuses answers that name no date, several, or negate one", () => {
    for (const text of ["whenever", "friday or monday", "not friday", "not tomorrow", "31.02.2026", "2026-13-01", ""]) {
      expect([text, answer({ type: "date" }, text, en)]).toEqual([text, "(no match)"]);
    }
    expect(answer({ type: "date" }, "nicht morgen", de)).toBe("(no match)");
    expect(answer({ type: "date" }, "Freitag oder Montag", de)).toBe("(no match)");
  });
  it("resolves relative dates in the bot's time zone, not the server's or UTC", () => {
    // 23:30 UTC on Tuesday is already 00:30 on Wednesday in Berlin, and still Tuesday afternoon in New York.
    const late = new Date("2026-11-24T23:30:00Z");
    expect(parseDate("tomorrow", "en-us", late, "UTC")).toBe(Date.UTC(2026, 10, 25));
    expect(parseDate("tomorrow", "en-us", late, "Europe/Berlin")).toBe(Date.UTC(2026, 10, 26));
    expect(parseDate("tomorrow", "en-us", late, "America/New_York")).toBe(Date.UTC(2026, 10, 25));
    expect(dayIn(late, "Europe/Berlin")).toBe(Date.UTC(2026, 10, 25));
    expect(answer({ type: "date", minDaysFromToday: 1, maxDaysFromToday: 1 }, "morgen", { ...de, now: late })).toBe("2026-11-26");
    expect(offsetMinutes(late, "Europe/Berlin")).toBe(60);
    expect(offsetMinutes(new Date("2026-07-01T12:00:00Z"), "Europe/Berlin")).toBe(120);
    expect(offsetMinutes(late, "America/New_York")).toBe(-300);
  });
  it("keeps each time zone's clock apart, also past the zones whose formatter it keeps", () => {
    const late = new Date("2026-11-24T23:30:00Z");
    // Compared with what Intl says directly: the date in ISO form (en-CA) and the offset as "GMT+05:30".
    const zones = Intl.supportedValuesOf("timeZone").slice(0, 100);
    for (const zone of [...zones, ...zones]) {
      const offset = /GMT(?:([+-])(\d\d):(\d\d))?/.exec(new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" }).format(late));
      const minutes = offset?.[1] ? (offset[1] === "-" ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3])) : 0;
      expect([zone, offsetMinutes(late, zone)]).toEqual([zone, minutes]);
      expect([zone, new Date(dayIn(late, zone)).toISOString().slice(0, 10)]).toEqual([zone, late.toLocaleDateString("en-CA", { timeZone: zone })]);
    }
    expect(offsetMinutes(late, "Europe/Berlin")).toBe(60);
  });
});

describe("numbers written as words", () => {
  const count: AnswerDef = { type: "number", integer: true, min: 1, max: 20 };
  it.each([
    ["two", 2],
    ["Two items", 2],
    ["I'm sending back three", 3],
    ["twelve", 12],
    ["twenty", 20],
    ["just one", 1],
  ])("English %j → %p", (text, n) => {
    expect(answer(count, text, en)).toBe(n);
  });
  it.each([
    ["zwei", 2],
    ["Zwei Artikel", 2],
    ["einen", 1],
    ["fünf", 5],
    ["zwölf", 12],
    ["neunzehn", 19],
  ])("German %j → %p", (text, n) => {
    expect(answer(count, text, de)).toBe(n);
  });
  it.each([
    ["twenty-one", "en", 21],
    ["twenty one", "en", 21],
    ["a hundred and five", "en", 105],
    ["one thousand two hundred", "en", 1200],
    ["einundzwanzig", "de", 21],
    ["zweihundertdrei", "de", 203],
    ["dreihundertfünfundzwanzig", "de", 325],
    ["tausendeins", "de", 1001],
    ["dreißig", "de", 30],
    ["dreissig", "de", 30],
  ])("compounds: %j (%s) → %p", (text, lang, n) => {
    expect(parseNumber(text, lang)).toBe(n);
  });
  it("digits come first, as before", () => {
    expect(parseNumber("2 or three", "en-us")).toBe(2);
    expect(parseNumber("3,5", "de-de")).toBe(3.5);
  });
  it.each([
    ["a few", "en"],
    ["a couple", "en"],
    ["two three", "en"],
    ["twenty thirty", "en"],
    ["one twenty", "en"],
    ["ein paar", "de"],
    ["zweidrei", "de"],
    ["einigen", "de"],
    ["", "en"],
  ])("refuses %j (%s)", (text, lang) => {
    expect(parseNumber(text, lang)).toBeUndefined();
  });
  it("keeps the range and integer rules", () => {
    expect(answer(count, "twenty-one", en)).toBe("(no match)");
    expect(answer(count, "zero", en)).toBe("(no match)");
    expect(numberFromWords("a thousand thousand", "en")).toBeUndefined();
  });
});

describe("yes and no, as people say them", () => {
  it.each([
    ["yes please", true],
    ["Yes, please go ahead", true],
    ["sure", true],
    ["sure, why not", true],
    ["Sounds good!", true],
    ["of course", true],
    ["yep that's right", true],
    ["ok", true],
    ["no thanks", false],
    ["No, thank you.", false],
    ["not really", false],
    ["I don't think so", false],
    ["nope", false],
    ["cancel", false],
  ])("English %j → %p", (text, expected) => {
    expect(parseYesNo(text, "en-us")).toBe(expected);
  });
  it.each([
    ["ja bitte", true],
    ["Ja, gerne", true],
    ["Klar!", true],
    ["auf jeden Fall", true],
    ["in Ordnung", true],
    ["passt", true],
    ["nein danke", false],
    ["Nein, lieber nicht", false],
    ["lieber nicht", false],
    ["auf keinen Fall", false],
    ["bitte nicht", false],
    ["nö", false],
    ["yes", true],
  ])("German %j → %p", (text, expected) => {
    expect(parseYesNo(text, "de-de")).toBe(expected);
  });
  it.each(["maybe", "I'm not sure yet", "vielleicht", "", "what do you mean"])("refuses %j", (text) => {
    expect(parseYesNo(text, text === "vielleicht" ? "de-de" : "en-us")).toBeUndefined();
  });
});

describe("phrases match regardless of inflection, word order and filler words", () => {
  const matches = (said: string, phrase: string, language: string) => saysWithin(utteranceOf(said, language), phraseOf(phrase, language));
  it.each([
    ["I'd like to speak to someone", "speak to someone"],
    ["can I talk to a real person please", "person"],
    ["could I please be talking to one of your agents", "agent"],
    ["representative please", "representative"],
    ["represntative", "representative"],
    ["operator", "operator"],
    ["a person to talk to, please", "talk to a person"],
  ])("English %j matches %j", (said, phrase) => {
    expect(matches(said, phrase, "en-us")).toBe(true);
  });
  it.each([
    ["einen Menschen bitte", "mensch"],
    ["Ich möchte mit einem Mitarbeiter sprechen", "mitarbeiter"],
    ["mit Mitarbeitern sprechen", "mit einem mitarbeiter sprechen"],
    ["Kann ich bitte mit jemandem sprechen?", "mit jemandem sprechen"],
    ["Kundenservice bitte", "kundenservice"],
  ])("German %j matches %j", (said, phrase) => {
    expect(matches(said, phrase, "de-de")).toBe(true);
  });
  it.each([
    ["I don't want to talk to an agent", "agent", "en-us"],
    ["no need for a person, thanks", "talk to a person", "en-us"],
    ["I want a refund", "order", "en-us"],
    ["older", "order", "en-us"],
    ["ich möchte keinen Menschen", "mensch", "de-de"],
    ["nicht mit einem Mitarbeiter", "mitarbeiter", "de-de"],
  ])("%j does not match %j", (said, phrase, language) => {
    expect(matches(said, phrase, language)).toBe(false);
  });
  it("picks the option with the longer matching phrase, and nothing on a tie", () => {
    const options: ChoiceOption[] = [
      { value: "order", label: "Track an order", synonyms: ["order", "where is my order"] },
      { value: "return", label: "Return an item", synonyms: ["return", "send back"] },
    ];
    const pick = (text: string) => answer({ type: "choice", options }, text, en);
    expect(pick("hey, where is my order?")).toBe("order");
    expect(pick("I want to send this back")).toBe("return");
    expect(pick("returning an item")).toBe("return");
    expect(pick("return my order")).toBe("(no match)");
  });
});
