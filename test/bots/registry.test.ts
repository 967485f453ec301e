import { BotRegistry } from "../../service/src/bots/registry";
import { phrasesOf } from "../../service/src/engine/matching";
import { loadSampleBot, minimalBot, parseObject } from "./fixtures";

describe("BotRegistry.resolve", () => {
  const sample = loadSampleBot();
  const sms = parseObject({ ...minimalBot(), id: "texter", name: "Texter", version: "2", channels: ["sms", "webmessaging"] });
  const registry = new BotRegistry([
    { file: "acme.yaml", definition: sample },
    { file: "t1.yaml", definition: parseObject({ ...minimalBot(), id: "texter", name: "Texter", version: "1" }) },
    { file: "t2.yaml", definition: sms },
  ]);
  const resolvedId = (ref: Parameters<BotRegistry["resolve"]>[0]) => {
    const r = registry.resolve(ref);
    return r.ok ? `${r.bot.definition.id}@${r.bot.definition.version}` : r.reason;
  };

  it("counts bots and lists every version", () => {
    expect(registry.size).toBe(2);
    expect(registry.all().map((b) => `${b.definition.id}@${b.definition.version}`).sort()).toEqual(["acme-support@1.0", "texter@1", "texter@2"]);
  });

  it("prefers chatBot.id", () => {
    expect(resolvedId({ chatBotId: "acme-support", botId: "Texter", botVersion: "1.0" })).toBe("acme-support@1.0");
  });

  it("finds the bot by its name in botId, as real traffic sends it, ignoring case", () => {
    expect(resolvedId({ chatBotId: undefined, botId: "Acme Support", botVersion: "1.0" })).toBe("acme-support@1.0");
    expect(resolvedId({ chatBotId: undefined, botId: "acme support", botVersion: "1.0" })).toBe("acme-support@1.0");
  });

  it("finds the bot by its id in botId, and falls back from an unknown chatBot.id", () => {
    expect(resolvedId({ chatBotId: undefined, botId: "acme-support", botVersion: "1.0" })).toBe("acme-support@1.0");
    expect(resolvedId({ chatBotId: "gone", botId: "Texter", botVersion: "2" })).toBe("texter@2");
  });

  it("tells an unknown bot from an unknown version, naming the loaded versions", () => {
    expect(registry.resolve({ chatBotId: undefined, botId: "Nobody", botVersion: "1" })).toMatchObject({ ok: false, reason: "unknown_bot" });
    const r = registry.resolve({ chatBotId: "texter", botId: "Texter", botVersion: "3" });
    expect(r).toEqual({ ok: false, reason: "unknown_version", message: 'bot "texter" has no version "3" (loaded: 1, 2)' });
  });

  it("does not resolve Object prototype names", () => {
    for (const name of ["constructor", "toString", "__proto__"]) {
      expect(registry.resolve({ chatBotId: name, botId: name, botVersion: "1" })).toMatchObject({ ok: false, reason: "unknown_bot" });
    }
  });

  it("gives each version the text limit of its channels", () => {
    const r = registry.resolve({ chatBotId: "texter", botId: "Texter", botVersion: "2" });
    expect(r.ok && r.bot.textLimit).toBe(765);
    const a = registry.resolve({ chatBotId: "acme-support", botId: "x", botVersion: "1.0" });
    expect(a.ok && a.bot.textLimit).toBe(4000);
  });
});

describe("BotRegistry prepares each bot's phrases when it loads it", () => {
  it("every interrupt, skip and choice phrase in every language of the bot, so no turn prepares one", () => {
    const sample = loadSampleBot();
    new BotRegistry([{ file: "acme.yaml", definition: sample }]);
    const owners: object[] = [...(sample.interrupts ?? [])];
    for (const node of Object.values(sample.nodes)) {
      const question = node.question ?? node.optionalQuestion;
      if (question?.answer.type === "choice") owners.push(...question.answer.options);
      if (node.optionalQuestion) owners.push(node.optionalQuestion.skip);
    }
    expect(owners.length).toBeGreaterThan(5);
    expect(sample.languages.length).toBeGreaterThan(1);
    const notPrepared = () => {
      throw new Error("prepared during a turn");
    };
    for (const owner of owners) for (const language of sample.languages) expect(() => phrasesOf(owner, language, sample.defaultLanguage, notPrepared)).not.toThrow();
  });
});
