/** The conversation engine on small inline bots: one behaviour per bot. */
import { type BotDefinition } from "../../service/src/bots/definition";
import { parse, stringify } from "yaml";
import { parseBotDefinition } from "../../service/src/bots/load";
import { runTurn } from "../../service/src/engine/engine";
import { runnable } from "../bots/fixtures";
import { Chat, NOW, turnRequest } from "./chat";

const HEAD = `id: inline
name: Inline
version: "1"
defaultLanguage: en-us
languages: [en-us, de-de]
`;
/**
 * An inline bot; unless it declares its own, it gets the default hand-over intent `Handover` that every bot with a
 * question needs (its last miss hands over).
 */
const botFrom = (yaml: string) => {
  const data = parse(HEAD + yaml) as Record<string, unknown>;
  const withDefault = "defaultHandoverIntent" in data ? data : { ...data, intents: { ...(data.intents as object), Handover: { handover: true } }, defaultHandoverIntent: "Handover" };
  return runnable(parseBotDefinition(stringify(withDefault), "inline.yaml"));
};

describe("engine on inline bots", () => {
  describe("Architect parameters", () => {
    const bot = botFrom(`
parameters: { tier: loyalty tier, name: first name, age: age in years }
intents:
  Vip: {}
  Normal: { slots: { greeting: String } }
start: ask
nodes:
  ask:
    question: { prompt: [{ text: "Hello {{params.name|stranger}}, anything?" }], answer: { type: text }, var: said }
    next: check
  check:
    branch:
      cases:
        - when: { all: [{ ref: params.tier, equals: gold }, { ref: params.age, greaterThan: 17 }] }
          next: vip
      default: normal
  vip:
    complete: { intent: Vip, parameters: { greeting: "Hi {{params.name}} ({{params.tier}}): {{vars.said}}" } }
  normal:
    complete: { intent: Normal, slots: { greeting: "Hi {{params.name|there}}" } }
`);

    it("are readable in templates and conditions, and kept from the first turn", () => {
      const c = new Chat(bot, { parameters: { tier: "GOLD", name: "Ada", age: "42" } });
      c.send("");
      expect(c.texts).toEqual(["Hello Ada, anything?"]);
      const out = c.send("all good");
      expect(out.response).toMatchObject({ botState: "Complete", intent: "Vip", parameters: { greeting: "Hi Ada (GOLD): all good" } });
    });

    it("missing parameters take the template fallback and fail the condition", () => {
      const c = new Chat(bot);
      c.send("");
      expect(c.texts).toEqual(["Hello stranger, anything?"]);
      expect(c.send("ok").response).toMatchObject({ intent: "Normal", slotValues: { greeting: "Hi there" } });
    });

    it("a later turn's parameters update the stored ones", () => {
      const c = new Chat(bot, { parameters: { tier: "gold", name: "Ada", age: "12" } });
      c.send("");
      expect(c.send("ok", { parameters: { age: "30" } }).response.intent).toBe("Vip");
    });
  });

  describe("complete: slots and parameters", () => {
    const bot = botFrom(`
intents:
  Done:
    slots:
      count: Integer
      price: Decimal
      agreed: Boolean
      day: Datetime
      tags: StringCollection
      total: Currency
      wait: Duration
start: count
nodes:
  count: { question: { prompt: [{ text: How many? }], answer: { type: number }, var: count }, next: price }
  price: { question: { prompt: [{ text: Price? }], answer: { type: number }, var: price }, next: agreed }
  agreed: { question: { prompt: [{ text: Agreed? }], answer: { type: yesNo }, var: agreed }, next: day }
  day: { question: { prompt: [{ text: When? }], answer: { type: date }, var: day }, next: fill }
  fill: { set: { tags: "a, b", total: "{{vars.price}}|EUR", wait: PT30M, label: "{{vars.count}} x {{vars.price}}" }, next: done }
  done: { complete: { intent: Done, parameters: { count: "{{vars.count}}", agreed: "{{vars.agreed}}", label: "{{vars.label}}" } } }
`);

    it("fills every declared slot from the variable of the same name, each in its Genesys format", () => {
      const c = new Chat(bot, { languageCode: "de-de" });
      c.send("");
      c.send("3");
      c.send("2,5");
      c.send("ja");
      const out = c.send("morgen");
      expect(out.response.slotValues).toEqual({
        count: 3,
        price: 2.5,
        agreed: true,
        day: "2026-03-11T00:00:00",
        tags: ["a", "b"],
        total: { amount: "2.5", code: "EUR" },
        wait: "PT30M",
      });
      expect(out.response.parameters).toEqual({ count: "3", agreed: "true", label: "3 x 2.5" });
      expect(out.warnings).toEqual([]);
    });

    it("leaves out a slot whose value fits no Genesys format, with a warning", () => {
      const c = new Chat(bot);
      c.send("");
      c.send("2.5");
      c.send("1");
      c.send("no");
      const out = c.send("2026-12-01");
      expect(out.response.slotValues).not.toHaveProperty("count");
      expect(out.response.slotValues).toMatchObject({ price: 1, agreed: false, day: "2026-12-01T00:00:00" });
      expect(out.warnings).toEqual(['slot "count" of intent "Done" is not a valid Integer; left out']);
    });
  });

  describe("hand-over", () => {
    const bot = botFrom(`
intents:
  Agent: { handover: true, slots: { topic: String } }
parameters: { queue: preferred queue }
start: which
nodes:
  which:
    question:
      prompt: [{ text: With or without intent? }]
      answer: { type: choice, options: [{ value: with, label: With }, { value: without, label: Without }] }
      var: which
    next: route
  route:
    branch: { cases: [{ when: { ref: vars.which, equals: with }, next: with }], default: without }
  with:
    handover:
      intent: Agent
      reason: "asked {{vars.which}}"
      slots: { topic: "{{vars.which}}" }
      parameters: { queue: "{{params.queue|general}}" }
      say: [{ text: { en-us: Connecting you., de-de: Ich verbinde Sie. } }]
  without:
    handover:
      reason: "asked {{vars.which}}"
      parameters: { queue: "{{params.queue|general}}" }
      say: [{ text: One moment. }]
`);

    it("with a declared hand-over intent completes with it", () => {
      const c = new Chat(bot, { parameters: { queue: "vip" } });
      c.send("");
      expect(c.click("With").response).toEqual({
        botState: "Complete",
        replymessages: [{ type: "Text", text: "Connecting you." }],
        intent: "Agent",
        confidence: 1,
        slotValues: { topic: "with" },
        parameters: { queue: "vip", handoverReason: "asked with" },
      });
    });

    it("without an intent completes with the default hand-over intent: an outcome, never Failed", () => {
      const c = new Chat(bot);
      c.send("");
      expect(c.click("Without").response).toEqual({
        botState: "Complete",
        replymessages: [{ type: "Text", text: "One moment." }],
        intent: "Handover",
        confidence: 1,
        parameters: { queue: "general", handoverReason: "asked without" },
      });
    });
  });

  describe("questions", () => {
    it("maxAttempts 1 without onNoMatch hands over on the first miss, with the bot's own localized noMatch message", () => {
      const bot = botFrom(`
intents: { Done: {} }
systemMessages:
  noMatch: { en-us: Sorry!, de-de: Schade! }
start: ask
nodes:
  ask: { question: { prompt: [{ text: Number? }], answer: { type: number }, var: n, maxAttempts: 1 }, next: done }
  done: { complete: { intent: Done } }
`);
      const c = new Chat(bot, { languageCode: "de" });
      c.send("");
      const out = c.send("keine");
      expect(out.response).toEqual({
        botState: "Complete",
        replymessages: [{ type: "Text", text: "Schade!" }],
        intent: "Handover",
        confidence: 1,
        parameters: { handoverReason: 'no valid answer to "ask" after 1 attempts' },
      });
    });

    it("re-prompts with the prompt when there is no retry prompt", () => {
      const bot = botFrom(`
intents: { Done: {} }
start: ask
nodes:
  ask: { question: { prompt: [{ text: Number? }], answer: { type: number }, var: n }, next: done }
  done: { complete: { intent: Done } }
`);
      const c = new Chat(bot);
      c.send("");
      c.send("none");
      expect(c.texts).toEqual(["Number?"]);
      expect(c.state?.awaiting?.attempts).toBe(1);
    });

    it("an optional question skipped goes to skip.next; its skip button follows the options", () => {
      const bot = botFrom(`
intents: { Done: { slots: { size: String } }, Skipped: {} }
start: size
nodes:
  size:
    optionalQuestion:
      prompt: [{ text: Size? }]
      answer: { type: choice, options: [{ value: s, label: Small }, { value: l, label: Large }] }
      var: size
      skip: { button: { en-us: Skip, de-de: Weiter }, words: [later], next: skipped }
    next: done
  done: { complete: { intent: Done } }
  skipped: { complete: { intent: Skipped } }
`);
      const c = new Chat(bot);
      c.send("");
      expect(c.buttonLabels).toEqual(["Small", "Large", "Skip"]);
      expect(c.click("Skip").response.intent).toBe("Skipped");
      const words = new Chat(bot);
      words.send("");
      expect(words.send("Later").response.intent).toBe("Skipped");
      const answered = new Chat(bot);
      answered.send("");
      expect(answered.click("Large").response).toMatchObject({ intent: "Done", slotValues: { size: "l" } });
    });

    it("accepts an untagged button payload (Genesys falls back to the label) as an answer", () => {
      const bot = botFrom(`
intents: { Done: { slots: { size: String } } }
start: size
nodes:
  size: { question: { prompt: [{ text: Size? }], answer: { type: choice, options: [{ value: s, label: Small }, { value: l, label: Large }] }, var: size }, next: done }
  done: { complete: { intent: Done } }
`);
      const c = new Chat(bot);
      c.send("");
      expect(c.turn({ kind: "button", text: "Large", payload: "Large" }).response.slotValues).toEqual({ size: "l" });
    });

    it("tags buttons of messages said before the question with the question", () => {
      const bot = botFrom(`
intents: { Done: {} }
start: intro
nodes:
  intro:
    say: [{ card: { title: Offer, actions: [{ type: postback, label: Take it, payload: take }] } }]
    next: ask
  ask: { question: { prompt: [{ text: Sure? }], answer: { type: yesNo }, var: ok }, next: done }
  done: { complete: { intent: Done } }
`);
      const c = new Chat(bot, { languageCode: "de-de" });
      c.send("");
      expect(c.last.response.replymessages.map((m) => m.content?.map((x) => x.contentType))).toEqual([["Card"], ["QuickReply", "QuickReply"]]);
      expect(c.button("Take it").payload).toBe("ask#take");
      expect(c.buttonLabels).toEqual(["Take it", "Ja", "Nein"]);
      expect(c.button("Nein").payload).toBe("ask#no");
    });
  });

  describe("channel text limits", () => {
    it("cuts rendered text to the strictest channel limit", () => {
      const bot = botFrom(`
channels: [webmessaging, sms]
parameters: { long: long text }
intents: { Done: {} }
start: hi
nodes:
  hi: { say: [{ text: "{{params.long}}" }], next: done }
  done: { complete: { intent: Done } }
`);
      expect(bot.textLimit).toBe(765);
      const c = new Chat(bot, { parameters: { long: "x".repeat(5000) } });
      const [message] = c.send("").response.replymessages;
      expect(message?.text).toHaveLength(765);
      expect(message?.text?.endsWith("…")).toBe(true);
    });
  });

  it("guards against a loop in a definition that skipped validation", () => {
    const looping: BotDefinition = {
      id: "loop",
      name: "Loop",
      version: "1",
      defaultLanguage: "en",
      languages: ["en"],
      intents: { Done: {} },
      start: "a",
      nodes: { a: { set: { x: "1" }, next: "b" }, b: { set: { y: "2" }, next: "a" } },
    };
    const out = runTurn(runnable(looping), undefined, turnRequest({ kind: "text", text: "" }), { now: NOW });
    expect(out.response).toMatchObject({ botState: "Failed", errorInfo: { errorCode: "ENGINE_LOOP" } });
    expect(out.state.ended).toBe("Failed");
  });
});
