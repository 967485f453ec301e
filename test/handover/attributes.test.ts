/**
 * The attributes written for a hand-over stay within their bounds whatever the conversation held: a fixed set of
 * names under the prefix, every value a string of at most HANDOVER_CONTEXT_VALUE_CHARS, the most recent
 * transcript lines kept.
 */
import fc from "fast-check";
import { CONTEXT_ATTRIBUTES, handoverAttributes } from "../../service/src/handover/attributes";
import { type HandoverContext } from "../../service/src/handover/context";

const base: HandoverContext = {
  genesysConversationId: "c",
  botSessionId: "s",
  bot: { id: "acme-support", version: "1.0" },
  outcome: "failed",
  reason: "r",
  errorCode: "NO_MATCH",
  slots: {},
  variables: {},
  transcript: [],
  at: new Date("2026-03-10T10:00:00Z"),
};

describe("hand-over attributes", () => {
  test("every value within the limit and every name from the fixed set, for any conversation", () => {
    const text = fc.string({ maxLength: 600, unit: "grapheme" });
    fc.assert(
      fc.property(
        fc.record({
          reason: text,
          slots: fc.dictionary(fc.string({ minLength: 1, maxLength: 30 }), fc.oneof(text, fc.integer(), fc.boolean(), fc.array(text, { maxLength: 5 }))),
          variables: fc.dictionary(fc.string({ minLength: 1, maxLength: 30 }), fc.oneof(text, fc.double({ noNaN: true }), fc.boolean())),
          transcript: fc.array(fc.record({ customer: text, bot: fc.array(text, { maxLength: 5 }) }), { maxLength: 30 }),
          botSessionId: fc.string({ maxLength: 300 }),
        }),
        fc.integer({ min: 100, max: 3000 }),
        (patch, valueChars) => {
          const attributes = handoverAttributes({ ...base, ...patch }, { prefix: "virtualAgent.context.", valueChars });
          for (const [name, value] of Object.entries(attributes)) {
            expect(CONTEXT_ATTRIBUTES.map((a) => `virtualAgent.context.${a}`)).toContain(name);
            expect(typeof value).toBe("string");
            expect(value.length).toBeLessThanOrEqual(valueChars);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  test("a long transcript keeps its most recent lines, after an ellipsis line", () => {
    const transcript = Array.from({ length: 50 }, (_, i) => ({ customer: `message ${i}`, bot: [`answer ${i}`] }));
    const value = handoverAttributes({ ...base, transcript }, { prefix: "p.", valueChars: 120 })["p.transcript"]!;
    const lines = value.split("\n");
    expect(lines[0]).toBe("…");
    expect(lines.at(-1)).toBe("Bot: answer 49");
    expect(lines.at(-2)).toBe("Customer: message 49");
    expect(value.length).toBeLessThanOrEqual(120);
  });

  test("slots read as lines, currencies and collections spelled out; what does not fit ends with an ellipsis line", () => {
    const attributes = handoverAttributes(
      { ...base, outcome: "handover", intent: "Refund", slots: { amount: { amount: "5.00", code: "EUR" }, items: ["a", "b"], ok: true, note: "x".repeat(300) } },
      { prefix: "", valueChars: 150 },
    );
    expect(attributes.slots).toBe("amount: 5.00 EUR\nitems: a, b\nok: true\n…");
    expect(attributes.intent).toBe("Refund");
  });

  test("multi-line customer text is one transcript line; empty values are left out", () => {
    const attributes = handoverAttributes({ ...base, transcript: [{ customer: "line one\nline two", bot: [] }] }, { prefix: "", valueChars: 500 });
    expect(attributes.transcript).toBe("Customer: line one line two");
    expect(Object.keys(attributes)).toEqual(["outcome", "reason", "errorCode", "transcript", "bot", "botSessionId", "time"]);
  });
});
