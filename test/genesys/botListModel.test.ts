import path from "node:path";
import { buildBotList, type BotList } from "../../service/src/bots/botList";
import { loadBotDefinitions } from "../../service/src/bots/load";
import { diffBots, fromKeyed, mergeBotLists, normalizeBotList, pickBots, toKeyed, withoutBots } from "../../components/genesys/botList/model";

const definitions = loadBotDefinitions(path.join(__dirname, "..", "..", "service", "bots")).map((b) => b.definition);
const sample = buildBotList(definitions);

const foreign: BotList = {
  chatBots: [{ id: "other-team", name: "Other Team Bot", versions: [{ version: "2", supportedLanguages: ["en-us"], intents: [{ name: "Done" }] }] }],
};

describe("keyed bot list", () => {
  it("round-trips buildBotList exactly", () => {
    expect(fromKeyed(toKeyed(sample))).toEqual(sample);
  });

  it("keys bots by id, versions by version, intents by name and slots by name", () => {
    const keyed = toKeyed(sample);
    expect(Object.keys(keyed)).toEqual(["acme-support"]);
    expect(keyed["acme-support"]?.versions["1.0"]?.intents.ReturnCreated?.slots.itemCount).toBe("Integer");
  });

  it("normalises what GET returns: read-only fields dropped, languages lower case, slot types capitalised", () => {
    const fromApi = {
      chatBots: [
        {
          id: "b",
          name: "B",
          botCompositeTag: "tag",
          selfUri: "/x",
          versions: [{ version: "1", supportedLanguages: ["EN-US"], intents: [{ name: "I", slots: { s: { name: "s", type: "integer" } } }] }],
        },
      ],
    } as unknown as BotList;
    expect(normalizeBotList(fromApi)).toEqual({
      chatBots: [{ id: "b", name: "B", versions: [{ version: "1", supportedLanguages: ["en-us"], intents: [{ name: "I", slots: { s: { name: "s", type: "Integer" } } }] }] }],
    });
  });
});

describe("diffBots", () => {
  const before = toKeyed(sample);

  it("is empty for the same list", () => {
    expect(diffBots(before, toKeyed(sample))).toEqual([]);
  });

  it("names each bot, version, intent and slot that changes", () => {
    const after = structuredClone(before);
    const version = after["acme-support"]!.versions["1.0"]!;
    delete version.intents.Goodbye;
    version.intents.Feedback = { slots: { score: "Integer" } };
    version.intents.OrderStatus!.slots.orderStatus = "StringCollection";
    delete version.intents.OrderStatus!.slots.orderNumber;
    version.intents.AgentRequested!.slots.priority = "Boolean";
    version.supportedLanguages = ["en-us"];
    after["acme-support"]!.versions["1.1"] = { supportedLanguages: ["en-us"], intents: { Done: { slots: {} } } };
    after["acme-support"]!.name = "Acme Helper";
    expect(diffBots(before, after)).toEqual([
      'bot "acme-support": name "Acme Support" → "Acme Helper"',
      'bot "acme-support" version "1.0": languages en-us, de-de → en-us',
      'bot "acme-support" version "1.0" intent "AgentRequested": slot "priority" added (Boolean)',
      'bot "acme-support" version "1.0" intent "Feedback" added with slots score',
      'bot "acme-support" version "1.0" intent "Goodbye" removed',
      'bot "acme-support" version "1.0" intent "OrderStatus": slot "orderNumber" removed',
      'bot "acme-support" version "1.0" intent "OrderStatus": slot "orderStatus" type String → StringCollection',
      'bot "acme-support" version "1.1" added with intents Done',
    ]);
  });

  it("reports whole bots added and removed", () => {
    expect(diffBots({}, before)).toEqual(['bot "acme-support" added with version(s) 1.0']);
    expect(diffBots(before, {})).toEqual(['bot "acme-support" removed']);
  });
});

describe("read-modify-write helpers", () => {
  it("keeps other owners' bots when putting ours, and drops bots we no longer want", () => {
    const current = { chatBots: [...foreign.chatBots, { id: "retired", name: "Retired", versions: [{ version: "1", supportedLanguages: ["en-us"], intents: [{ name: "X" }] }] }] };
    const merged = mergeBotLists(current, sample, ["retired"]);
    expect(merged.chatBots.map((b) => b.id)).toEqual(["acme-support", "other-team"]);
  });

  it("picks and removes by id", () => {
    const both = mergeBotLists(foreign, sample, []);
    expect(pickBots(both, ["acme-support"]).chatBots.map((b) => b.id)).toEqual(["acme-support"]);
    expect(withoutBots(both, ["acme-support"])).toEqual(foreign);
  });
});
