import { type BotList, buildBotList } from "../../service/src/bots/botList";
import { type BotDefinition, SLOT_TYPES } from "../../service/src/bots/definition";
import { parseBotDefinition } from "../../service/src/bots/load";
import { loadSampleBot, minimalBot, parseObject } from "./fixtures";

const bot = (patch: Record<string, unknown>): BotDefinition => parseObject({ ...minimalBot(), ...patch });

describe("buildBotList", () => {
  it("derives exactly the Genesys BotList of the sample bot", () => {
    const list: BotList = buildBotList([loadSampleBot()]);
    expect(list).toEqual({
      chatBots: [
        {
          id: "acme-support",
          name: "Acme Support",
          description: "Order status, returns and hand-over to an agent for Acme's web shop",
          versions: [
            {
              version: "1.0",
              supportedLanguages: ["en-us", "de-de"],
              intents: [
                {
                  name: "OrderStatus",
                  slots: { orderNumber: { name: "orderNumber", type: "String" }, orderStatus: { name: "orderStatus", type: "String" } },
                },
                {
                  name: "ReturnCreated",
                  slots: {
                    orderNumber: { name: "orderNumber", type: "String" },
                    returnReason: { name: "returnReason", type: "String" },
                    itemCount: { name: "itemCount", type: "Integer" },
                    refundToStoreCredit: { name: "refundToStoreCredit", type: "Boolean" },
                    pickupDate: { name: "pickupDate", type: "Datetime" },
                    labelEmail: { name: "labelEmail", type: "String" },
                    comment: { name: "comment", type: "String" },
                  },
                },
                { name: "AgentRequested", slots: { reason: { name: "reason", type: "String" }, topic: { name: "topic", type: "String" } } },
                // The default hand-over intent is registered like any other, so Architect gives it a path.
                { name: "Handover", slots: { topic: { name: "topic", type: "String" }, orderNumber: { name: "orderNumber", type: "String" } } },
                { name: "Goodbye" },
              ],
            },
          ],
        },
      ],
    });
  });

  it("carries no engine-only fields (handover flags, intent descriptions, nodes)", () => {
    const json = JSON.stringify(buildBotList([loadSampleBot()]));
    expect(json).not.toMatch(/"handover"|"nodes"|"start"|"The customer wants a human"/);
    const [chatBot] = buildBotList([loadSampleBot()]).chatBots;
    expect(Object.keys(chatBot ?? {}).sort()).toEqual(["description", "id", "name", "versions"]);
    expect(Object.keys(chatBot?.versions[0] ?? {}).sort()).toEqual(["intents", "supportedLanguages", "version"]);
  });

  it("keys slots by their name and capitalises lower-case slot types loaded from a definition", () => {
    const def = bot({ intents: { Done: { slots: Object.fromEntries(SLOT_TYPES.map((t) => [`s${t}`, t.toLowerCase()])) } } });
    const slots = buildBotList([def]).chatBots[0]?.versions[0]?.intents[0]?.slots ?? {};
    expect(Object.values(slots).map((s) => s.type)).toEqual([...SLOT_TYPES]);
    for (const [key, slot] of Object.entries(slots)) expect(slot.name).toBe(key);
  });

  it("omits slots of an intent without slots, and the description of a bot without one", () => {
    const list = buildBotList([bot({ intents: { Done: {}, Empty: { slots: {} } } })]);
    expect(list.chatBots[0]).toEqual({
      id: "mini",
      name: "Mini",
      versions: [{ version: "1", supportedLanguages: ["en"], intents: [{ name: "Done" }, { name: "Empty" }] }],
    });
  });

  it("groups several versions of one bot in numeric version order, named after the latest", () => {
    const v = (version: string, description: string, intents: Record<string, unknown> = { Done: {} }) => bot({ version, description, intents });
    const list = buildBotList([v("1.10", "ten", { Done: {}, Later: {} }), v("1.9", "nine"), v("1.2", "two")]);
    expect(list.chatBots).toHaveLength(1);
    const [only] = list.chatBots;
    expect(only?.versions.map((x) => x.version)).toEqual(["1.2", "1.9", "1.10"]);
    expect(only?.description).toBe("ten");
    expect(only?.versions[2]?.intents.map((i) => i.name)).toEqual(["Done", "Later"]);
  });

  it("is deterministic: the order of the definitions does not matter", () => {
    const defs = [bot({ id: "zeta", name: "Zeta" }), bot({ id: "alpha", name: "Alpha", version: "2" }), bot({ id: "alpha", name: "Alpha", version: "1" }), loadSampleBot()];
    const expected = JSON.stringify(buildBotList(defs));
    for (const order of [[3, 2, 1, 0], [1, 3, 0, 2], [2, 0, 3, 1]]) {
      expect(JSON.stringify(buildBotList(order.map((i) => defs[i] as BotDefinition)))).toBe(expected);
    }
    expect(buildBotList(defs).chatBots.map((b) => b.id)).toEqual(["acme-support", "alpha", "zeta"]);
  });

  it("keeps intents and slots in declaration order (clean pull-request diffs)", () => {
    const def = bot({ intents: { Zed: { slots: { b: "String", a: "Integer" } }, Done: {}, Alpha: {} } });
    const intents = buildBotList([def]).chatBots[0]?.versions[0]?.intents ?? [];
    expect(intents.map((i) => i.name)).toEqual(["Zed", "Done", "Alpha"]);
    expect(Object.keys(intents[0]?.slots ?? {})).toEqual(["b", "a"]);
  });

  it("keeps an intent named like an Object prototype property", () => {
    const def = parseBotDefinition(
      'id: p\nname: P\nversion: "1"\ndefaultLanguage: en\nlanguages: [en]\nintents:\n  __proto__: { slots: { a: string } }\n  constructor: {}\nstart: s\nnodes:\n  s: { complete: { intent: __proto__ } }\n',
      "p.yaml",
    );
    expect(buildBotList([def]).chatBots[0]?.versions[0]?.intents).toEqual([
      { name: "__proto__", slots: { a: { name: "a", type: "String" } } },
      { name: "constructor" },
    ]);
  });

  it("does not modify its input and returns an empty list for no bots", () => {
    const def = loadSampleBot();
    const before = JSON.stringify(def);
    buildBotList([def]);
    expect(JSON.stringify(def)).toBe(before);
    expect(buildBotList([])).toEqual({ chatBots: [] });
  });
});
