/**
 * Each Genesys limit (docs/genesys-bot-connector.md, "Shape and limits", "Reply messages and rich content", "Channels"): the value at the limit
 * loads, one past it is rejected with a message that names the path.
 */
import { type BotDefinition, type Channel } from "../../service/src/bots/definition";
import { CHANNEL_TEXT_LIMITS, GENESYS_LIMITS, textLimitFor } from "../../service/src/bots/limits";
import { type LoadedBot, validateBotSet } from "../../service/src/bots/load";
import { validateDefinition } from "../../service/src/bots/validate";
import { entries, type Json, minimalBot, objectIssues, parseObject, questionBot, toYaml, withDefaultHandover } from "./fixtures";

const withIntents = (intents: Json): Json => ({ ...minimalBot(), intents: { Done: {}, ...intents } });
/** Messages followed by a question, so their buttons can be answered. */
const withSay = (messages: unknown[], patch: Json = {}): Json => ({
  ...withDefaultHandover(minimalBot()),
  ...patch,
  nodes: {
    hello: { say: messages, next: "ask" },
    ask: { question: { prompt: [{ text: "Anything else?" }], answer: { type: "yesNo" }, var: "more" }, next: "end" },
    end: { complete: { intent: "Done" } },
  },
});
const postback = (payload: string) => ({ type: "postback", label: payload, payload });
const card = (...payloads: string[]) => ({ title: "T", actions: payloads.map(postback) });

describe("Genesys limits", () => {
  it("uses the documented values", () => {
    expect(GENESYS_LIMITS).toEqual({
      botsPerIntegration: 50,
      versionsPerBot: 50,
      intentsPerVersion: 50,
      slotsPerIntent: 50,
      nameLength: 100,
      descriptionLength: 256,
      cardsPerCarousel: 10,
      quickRepliesPerMessage: 10,
    });
  });

  describe("bots and versions per integration (cross-file)", () => {
    const loaded = (id: string, version: string): LoadedBot => ({
      file: `${id}-${version}.yaml`,
      definition: { ...(minimalBot() as unknown as BotDefinition), id, name: `Bot ${id}`, version },
    });

    it("allows 50 bots and rejects 51", () => {
      const bots = Array.from({ length: 50 }, (_, i) => loaded(`bot${i}`, "1"));
      expect(validateBotSet(bots)).toEqual([]);
      const issues = validateBotSet([...bots, loaded("bot50", "1")]);
      expect(issues).toEqual([expect.objectContaining({ path: "/", message: "51 bots; Genesys allows at most 50 per integration" })]);
    });

    it("allows 50 versions of a bot and rejects 51", () => {
      const versions = Array.from({ length: 50 }, (_, i) => loaded("bot", `${i + 1}.0`));
      expect(validateBotSet(versions)).toEqual([]);
      expect(validateBotSet([...versions, loaded("bot", "51.0")])).toEqual([
        { file: "bot-1.0.yaml", path: "/version", message: 'bot "bot" has 51 versions; Genesys allows at most 50' },
      ]);
    });
  });

  it("allows 50 intents per version and rejects 51", () => {
    expect(() => parseObject(withIntents(entries("I", 49, () => ({}))))).not.toThrow();
    expect(objectIssues(withIntents(entries("I", 50, () => ({}))))).toEqual([
      expect.objectContaining({ path: "/intents", line: expect.any(Number), message: "51 intents; Genesys allows at most 50 per bot version" }),
    ]);
  });

  it("allows 50 slots per intent and rejects 51", () => {
    expect(() => parseObject(withIntents({ Big: { slots: entries("s", 50, () => "String") } }))).not.toThrow();
    expect(objectIssues(withIntents({ Big: { slots: entries("s", 51, () => "String") } }))).toEqual([
      expect.objectContaining({ path: "/intents/Big/slots", message: "51 slots; Genesys allows at most 50 per intent" }),
    ]);
  });

  describe("names and ids: at most 100 characters, no leading or trailing whitespace", () => {
    const ok = "x".repeat(100);
    const long = "x".repeat(101);

    it.each(["id", "name", "version"])("%s", (field) => {
      expect(() => parseObject({ ...minimalBot(), [field]: ok })).not.toThrow();
      expect(objectIssues({ ...minimalBot(), [field]: long })).toEqual([
        expect.objectContaining({ path: `/${field}`, line: expect.any(Number), message: expect.stringMatching(/100 characters/) }),
      ]);
      for (const padded of [" x", "x ", "\tx", "x\n"]) {
        expect(objectIssues({ ...minimalBot(), [field]: padded })).toEqual([
          expect.objectContaining({ path: `/${field}`, message: expect.stringMatching(/whitespace/) }),
        ]);
      }
    });

    it("allows inner spaces (Genesys names are displayable text)", () => {
      expect(parseObject({ ...minimalBot(), name: "Acme Support Bot" }).name).toBe("Acme Support Bot");
    });

    it("intent names", () => {
      expect(() => parseObject(withIntents({ [ok]: {} }))).not.toThrow();
      const bot = withIntents({ [long]: {} });
      const keyLine = toYaml(bot).split("\n").findIndex((l) => l.trim().startsWith(long)) + 1;
      const issues = objectIssues(bot);
      expect(issues).toContainEqual(expect.objectContaining({ path: `/intents/${long}`, line: keyLine, message: expect.stringMatching(/100 characters/) }));
      expect(issues.every((i) => i.path === `/intents/${long}`)).toBe(true);
      expect(objectIssues(withIntents({ "Done ": {} }))).toContainEqual(expect.objectContaining({ path: "/intents/Done ", message: expect.stringMatching(/whitespace/) }));
    });

    it("slot names", () => {
      expect(() => parseObject(withIntents({ S: { slots: { [ok]: "String" } } }))).not.toThrow();
      expect(objectIssues(withIntents({ S: { slots: { [long]: "String" } } }))).toContainEqual(
        expect.objectContaining({ path: `/intents/S/slots/${long}`, message: expect.stringMatching(/100 characters/) }),
      );
      expect(objectIssues(withIntents({ S: { slots: { "Slot1 ": "String" } } }))).toContainEqual(
        expect.objectContaining({ path: "/intents/S/slots/Slot1 ", message: expect.stringMatching(/whitespace/) }),
      );
    });
  });

  it("description: at most 256 characters, no surrounding whitespace", () => {
    expect(() => parseObject({ ...minimalBot(), description: "d".repeat(256) })).not.toThrow();
    expect(objectIssues({ ...minimalBot(), description: "d".repeat(257) })).toEqual([
      expect.objectContaining({ path: "/description", message: "must NOT have more than 256 characters" }),
    ]);
    expect(objectIssues({ ...minimalBot(), description: "trailing " })).toEqual([expect.objectContaining({ path: "/description" })]);
  });

  describe("carousels", () => {
    it("allow 10 cards and reject 11 (schema and semantic check)", () => {
      const cards = (n: number) => Array.from({ length: n }, (_, i) => card(`p${i}`));
      expect(() => parseObject(withSay([{ carousel: cards(10) }]))).not.toThrow();
      expect(objectIssues(withSay([{ carousel: cards(11) }]))).toEqual([
        expect.objectContaining({ path: "/nodes/hello/say/0/carousel", message: expect.stringMatching(/more than 10/) }),
      ]);
      // The semantic check stands on its own for definitions built in code.
      const def = { ...(withSay([{ carousel: cards(11) }]) as unknown as BotDefinition) };
      expect(validateDefinition(def)).toContainEqual({ path: "/nodes/hello/say/0/carousel", message: "11 cards; Genesys allows at most 10 in a carousel" });
    });

    it("require payloads unique across the carousel", () => {
      expect(objectIssues(withSay([{ carousel: [card("a", "b"), card("c", "a")] }]))).toEqual([
        expect.objectContaining({
          path: "/nodes/hello/say/0/carousel/1/actions/1",
          message: expect.stringMatching(/payload "a" is already used by \/nodes\/hello\/say\/0\/carousel\/0\/actions\/0/),
        }),
      ]);
    });

    it("allow the same payload in two different messages", () => {
      expect(() => parseObject(withSay([{ carousel: [card("a")] }, { carousel: [card("a")] }]))).not.toThrow();
    });
  });

  it("cards require payloads unique within the card, default action included", () => {
    expect(objectIssues(withSay([{ card: card("a", "a") }]))).toEqual([expect.objectContaining({ path: "/nodes/hello/say/0/card/actions/1" })]);
    expect(objectIssues(withSay([{ card: { ...card("a"), defaultAction: postback("a") } }]))).toEqual([
      expect.objectContaining({ path: "/nodes/hello/say/0/card/actions/0", message: expect.stringMatching(/already used by .*defaultAction/) }),
    ]);
  });

  describe("quick replies", () => {
    const replies = (n: number) => Array.from({ length: n }, (_, i) => ({ label: `L${i}`, payload: `p${i}` }));

    it("allow 10 per message and reject 11", () => {
      expect(() => parseObject(withSay([{ text: "Pick", quickReplies: replies(10) }]))).not.toThrow();
      expect(objectIssues(withSay([{ text: "Pick", quickReplies: replies(11) }]))).toEqual([
        expect.objectContaining({ path: "/nodes/hello/say/0/quickReplies", message: expect.stringMatching(/more than 10/) }),
      ]);
    });

    it("require unique payloads within a message", () => {
      expect(objectIssues(withSay([{ text: "Pick", quickReplies: [{ label: "A", payload: "x" }, { label: "B", payload: "x" }] }]))).toEqual([
        expect.objectContaining({ path: "/nodes/hello/say/0/quickReplies/1/payload", message: 'payload "x" repeats within the message' }),
      ]);
    });

    it("count the buttons the engine adds to a question (options, skip button, prompt quick replies)", () => {
      const options = (n: number) => Array.from({ length: n }, (_, i) => ({ value: `v${i}`, label: `Option ${i}` }));
      const choice = (n: number, extra: Json = {}) => ({ prompt: [{ text: "Pick" }], answer: { type: "choice", options: options(n) }, var: "v", ...extra });
      expect(() => parseObject(questionBot(choice(10)))).not.toThrow();
      expect(() => parseObject(questionBot(choice(9, { skip: { button: "Skip" } }), "optionalQuestion"))).not.toThrow();
      expect(objectIssues(questionBot(choice(10, { skip: { button: "Skip" } }), "optionalQuestion"))).toEqual([
        expect.objectContaining({ path: "/nodes/ask/optionalQuestion/prompt", message: expect.stringMatching(/11 quick replies.* at most 10/) }),
      ]);
      const withPromptReplies = choice(9, { prompt: [{ text: "Pick", quickReplies: [{ label: "More", payload: "more" }, { label: "Less", payload: "less" }] }] });
      expect(objectIssues(questionBot(withPromptReplies))).toEqual([expect.objectContaining({ path: "/nodes/ask/question/prompt" })]);
      // A card after the text puts the buttons into a message of their own: 10 stay within the limit.
      expect(() => parseObject(questionBot(choice(10, { retryPrompt: [{ text: "Again" }, { card: card("c") }] })))).not.toThrow();
      expect(objectIssues(questionBot(choice(10, { answer: { type: "choice", options: options(10) }, retryPrompt: [{ quickReplies: [{ label: "X", payload: "x" }] }] })))).toEqual([
        expect.objectContaining({ path: "/nodes/ask/question/retryPrompt" }),
      ]);
    });
  });

  describe("text length per channel", () => {
    it("web messaging allows 4000 characters and rejects 4001", () => {
      expect(() => parseObject(withSay([{ text: "a".repeat(4000) }]))).not.toThrow();
      expect(objectIssues(withSay([{ text: "a".repeat(4001) }]))).toEqual([
        expect.objectContaining({ path: "/nodes/hello/say/0/text", message: "text of 4001 characters exceeds the channel limit of 4000" }),
      ]);
    });

    it("the strictest of the declared channels applies", () => {
      expect(objectIssues(withSay([{ text: "a".repeat(1001) }], { channels: ["webmessaging", "instagram"] }))).toEqual([
        expect.objectContaining({ message: expect.stringMatching(/limit of 1000$/) }),
      ]);
      expect(objectIssues(withSay([{ text: "a".repeat(766) }], { channels: ["sms", "facebook"] }))).toEqual([
        expect.objectContaining({ message: expect.stringMatching(/limit of 765$/) }),
      ]);
      expect(() => parseObject(withSay([{ text: "a".repeat(2000) }], { channels: ["facebook", "apple"] }))).not.toThrow();
    });

    it("checks every language of a localized text and names it in the path", () => {
      const bot = withSay([{ text: { en: "ok", de: "b".repeat(4001) } }], { languages: ["en", "de"] });
      expect(objectIssues(bot)).toEqual([expect.objectContaining({ path: "/nodes/hello/say/0/text/de" })]);
    });

    it("textLimitFor picks the smallest channel limit", () => {
      const all = Object.keys(CHANNEL_TEXT_LIMITS) as Channel[];
      expect(textLimitFor(["webmessaging"])).toBe(4000);
      expect(textLimitFor(all)).toBe(765);
      expect(textLimitFor(["facebook", "whatsapp"])).toBe(2000);
    });

    it("limits button labels to 128 and card titles to 256 characters", () => {
      expect(objectIssues(withSay([{ text: "t", quickReplies: [{ label: "l".repeat(129), payload: "p" }] }]))).toEqual([
        expect.objectContaining({ path: "/nodes/hello/say/0/quickReplies/0/label", message: expect.stringMatching(/limit of 128/) }),
      ]);
      expect(objectIssues(withSay([{ card: { title: "t".repeat(257), actions: [postback("p")] } }]))).toEqual([
        expect.objectContaining({ path: "/nodes/hello/say/0/card/title", message: expect.stringMatching(/limit of 256/) }),
      ]);
      expect(objectIssues(withSay([{ card: { title: "t", actions: [{ type: "link", label: "l".repeat(129), url: "https://x.example" }] } }]))).toEqual([
        expect.objectContaining({ path: "/nodes/hello/say/0/card/actions/0/label" }),
      ]);
    });
  });
});
