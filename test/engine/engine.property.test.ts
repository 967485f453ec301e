/**
 * Property: whatever the customer types or clicks, in whatever language, runTurn on the sample bot never
 * throws, and every turn keeps the protocol rules (valid botState, no intent on MoreData, declared intent
 * and slots on Complete, errorInfo on Failed, flat string parameters, tagged buttons, JSON-safe state).
 */
import fc from "fast-check";
import { type TurnInput } from "../../service/src/protocol/types";
import { loadSampleBot, runnable } from "../bots/fixtures";
import { buttons, Chat } from "./chat";

const bot = runnable(loadSampleBot());

/** Words the sample bot reacts to, plus names that have tripped lookups in plain objects before. */
const meaningful = fc.constantFrom(
  "", " ", "order", "return", "refund", "agent", "Mitarbeiter", "A-12345", "a12340", "A-1", "2", "3,5", "25", "credit", "card", "Gutschrift",
  "tomorrow", "morgen", "today", "2026-03-12", "12.03.2026", "2026-02-30", "ada@example.com", "ada@", "skip", "überspringen", "yes", "no",
  "ja", "nein", "wrong size", "zu klein", "{{vars.orderNumber}}", "menu#order", "_#start-return", "__skip__", "x".repeat(5000),
);
const objectNames = fc.constantFrom("constructor", "__proto__", "toString", "hasOwnProperty", "valueOf");
const text = fc.oneof(
  { weight: 3, arbitrary: meaningful },
  { weight: 1, arbitrary: objectNames },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 20 }) },
);

type Step = { kind: "text"; text: string } | { kind: "click"; index: number } | { kind: "payload"; payload: string; text: string } | { kind: "retry" };
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: text.map((t) => ({ kind: "text" as const, text: t })) },
  { weight: 4, arbitrary: fc.nat().map((index) => ({ kind: "click" as const, index })) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("payload" as const), payload: fc.oneof(meaningful, fc.string({ minLength: 1 })), text }) },
  { weight: 1, arbitrary: fc.constant({ kind: "retry" as const }) },
);

/** Answers that walk the return path, so random turns also start deep inside the conversation. */
const RETURN_PATH = ["", "return", "A-12345", "wrong size", "2", "credit", "tomorrow", "ada@example.com", "skip"];

describe("engine properties on the sample bot", () => {
  it("never throws and always answers within the protocol", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("en-us", "de-de", "de", "fr-fr", "EN-US", undefined),
        fc.dictionary(fc.oneof(fc.constantFrom("customerName", "customerTier"), fc.string()), fc.oneof(fc.constantFrom("gold", "platinum", ""), fc.string()), { maxKeys: 3 }),
        fc.nat(RETURN_PATH.length),
        fc.array(step, { minLength: 1, maxLength: 12 }),
        (languageCode, parameters, depth, steps) => {
          const chat = new Chat(bot, { languageCode: languageCode?.toLowerCase(), parameters });
          for (const answer of RETURN_PATH.slice(0, depth)) chat.send(answer);
          let lastInput: TurnInput | undefined;
          steps.forEach((s, i) => {
            let input: TurnInput;
            if (s.kind === "text") input = { kind: "text", text: s.text };
            else if (s.kind === "payload") input = { kind: "button", text: s.text, payload: s.payload };
            else if (s.kind === "click" && chat.last) {
              const all = buttons(chat.last.response);
              const b = all[s.index % Math.max(all.length, 1)];
              input = b ? { kind: "button", text: b.text, payload: b.payload } : { kind: "text", text: "" };
            } else input = lastInput ?? { kind: "text", text: "" };
            // Retried requests are answered by the turn layer from the session's turn record (test/robustness).
            chat.turn(input, { correlationId: `c-${i}` });
            lastInput = input;
          });
        },
      ),
      { numRuns: 250 },
    );
  });
});
