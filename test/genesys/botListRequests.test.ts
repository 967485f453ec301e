import path from "node:path";
import { buildBotList, type BotList } from "../../service/src/bots/botList";
import { loadBotDefinitions } from "../../service/src/bots/load";
import { GenesysPlatformClient } from "../../service/src/genesys";
import { diffBots, toKeyed } from "../../components/genesys/botList/model";
import { applyBotList, BotListRejectedError, describeField, getBotList, readManagedBots, removeManagedBots } from "../../components/genesys/botList/requests";
import { FAKE_BOT_CONNECTOR_TYPE, FakeGenesysPlatform } from "../fakes/genesysPlatform";

const definitions = loadBotDefinitions(path.join(__dirname, "..", "..", "service", "bots")).map((b) => b.definition);
const ours = buildBotList(definitions);
const foreign: BotList = {
  chatBots: [{ id: "other-team", name: "Other Team Bot", versions: [{ version: "2", supportedLanguages: ["en-us"], intents: [{ name: "Done" }] }] }],
};

describe("bot list requests against the fake Platform API", () => {
  let fake: FakeGenesysPlatform;
  let api: GenesysPlatformClient;
  const delays: number[] = [];
  let n = 0;
  let integrationId = "";

  beforeAll(async () => {
    fake = await FakeGenesysPlatform.start();
    fake.addClient({ clientId: "deployer", clientSecret: "deployer-secret" });
    api = new GenesysPlatformClient({
      apiBaseUrl: fake.url,
      credentials: { clientId: "deployer", clientSecret: "deployer-secret" },
      sleep: async (ms) => {
        delays.push(ms);
      },
    });
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    delays.length = 0;
    fake.clearFaults();
    integrationId = `integration-${++n}`;
    fake.addIntegration({ id: integrationId, integrationTypeId: FAKE_BOT_CONNECTOR_TYPE.id, name: "Acme Bot Connector" });
  });

  it("create: puts the list (204) and returns our bots as Genesys holds them", async () => {
    const applied = await applyBotList(api, { integrationId, desired: ours, previouslyManaged: [] });
    expect(applied).toEqual(ours);
    expect(fake.botLists.get(integrationId)).toEqual(ours);
    expect(fake.calls.filter((c) => c.method === "PUT").at(-1)?.status).toBe(204);
  });

  it("create on a shared integration keeps the bots others registered", async () => {
    fake.botLists.set(integrationId, structuredClone(foreign));
    await applyBotList(api, { integrationId, desired: ours, previouslyManaged: [] });
    expect(fake.botLists.get(integrationId)?.chatBots.map((b) => b.id)).toEqual(["acme-support", "other-team"]);
  });

  it("update: replaces our bots, removes the ones no longer desired, keeps foreign ones", async () => {
    fake.botLists.set(integrationId, structuredClone(foreign));
    await applyBotList(api, { integrationId, desired: ours, previouslyManaged: [] });
    const renamed: BotList = { chatBots: [{ ...structuredClone(ours.chatBots[0]!), id: "acme-support-v2" }] };
    const applied = await applyBotList(api, { integrationId, desired: renamed, previouslyManaged: ["acme-support"] });
    expect(applied.chatBots.map((b) => b.id)).toEqual(["acme-support-v2"]);
    expect(fake.botLists.get(integrationId)?.chatBots.map((b) => b.id)).toEqual(["acme-support-v2", "other-team"]);
  });

  it("drift: a change made in Genesys shows up in what read returns, and diffBots names it", async () => {
    await applyBotList(api, { integrationId, desired: ours, previouslyManaged: [] });
    const live = fake.botLists.get(integrationId)!;
    live.chatBots[0]!.versions[0]!.intents = live.chatBots[0]!.versions[0]!.intents.filter((i) => i.name !== "Goodbye");
    const read = await readManagedBots(api, integrationId, ["acme-support"]);
    expect(diffBots(toKeyed(read!), toKeyed(ours))).toEqual(['bot "acme-support" version "1.0" intent "Goodbye" added']);
  });

  it("read of a deleted integration says it is gone", async () => {
    expect(await readManagedBots(api, "no-such-integration", ["acme-support"])).toBeUndefined();
  });

  it("delete: leaves the integration with no bots of ours, others untouched", async () => {
    fake.botLists.set(integrationId, structuredClone(foreign));
    await applyBotList(api, { integrationId, desired: ours, previouslyManaged: [] });
    await removeManagedBots(api, integrationId, ["acme-support"]);
    expect(fake.botLists.get(integrationId)).toEqual(foreign);
  });

  it("delete with only our bots puts an empty list", async () => {
    await applyBotList(api, { integrationId, desired: ours, previouslyManaged: [] });
    await removeManagedBots(api, integrationId, ["acme-support"]);
    expect(await getBotList(api, integrationId)).toEqual({ chatBots: [] });
  });

  it("delete of a deleted integration succeeds without a PUT", async () => {
    const puts = fake.botListPuts.length;
    await removeManagedBots(api, "gone", ["acme-support"]);
    expect(fake.botListPuts.length).toBe(puts);
  });

  it("a 400 names the bot, version and intent Genesys rejected, and why", async () => {
    const bad = structuredClone(ours);
    bad.chatBots[0]!.versions[0]!.intents[1]!.name = "x".repeat(101);
    const err = (await applyBotList(api, { integrationId, desired: bad, previouslyManaged: [] }).catch((e: unknown) => e)) as BotListRejectedError;
    expect(err).toBeInstanceOf(BotListRejectedError);
    expect(err.status).toBe(400);
    expect(err.message).toContain(`integration ${integrationId} (bots acme-support [1.0]) with 400 bad.request`);
    expect(err.message).toContain(`bot "acme-support" version "1.0" intent "${"x".repeat(101)}" (name): size must be between 0 and 100`);
    expect(fake.botLists.get(integrationId)).toBeUndefined();
  });

  it("a 400 on a slot names the slot; every rejected item is listed", async () => {
    const bad = structuredClone(ours);
    bad.chatBots[0]!.versions[0]!.intents[2]!.slots!.reason!.type = "Color" as never;
    bad.chatBots[0]!.versions[0]!.intents[3]!.name = "OrderStatus";
    const err = (await applyBotList(api, { integrationId, desired: bad, previouslyManaged: [] }).catch((e: unknown) => e)) as BotListRejectedError;
    expect(err.message).toContain('bot "acme-support" version "1.0" intent "AgentRequested" slot "reason" (type): unsupported slot type Color');
    expect(err.message).toContain('bot "acme-support" version "1.0" intent "OrderStatus" (name): duplicate intent OrderStatus');
  });

  it("a 400 on bot-level fields names the bot", async () => {
    const bad = structuredClone(ours);
    bad.chatBots[0]!.description = " leading space";
    await expect(applyBotList(api, { integrationId, desired: bad, previouslyManaged: [] })).rejects.toThrow(
      /bot "acme-support" \(description\): must not have leading or trailing whitespace/,
    );
  });

  it("enforces Genesys's limits (50 bots per integration)", async () => {
    const many: BotList = {
      chatBots: Array.from({ length: 51 }, (_, i) => ({ id: `bot-${i}`, name: `Bot ${i}`, versions: [{ version: "1", supportedLanguages: ["en-us"], intents: [{ name: "Done" }] }] })),
    };
    await expect(applyBotList(api, { integrationId, desired: many, previouslyManaged: [] })).rejects.toThrow(/chatBots: must contain at most 50 items/);
  });

  it("a missing permission names the permission to grant", async () => {
    fake.addRole({ id: "viewer", name: "Viewer", permissions: ["integration:botconnector:view"] });
    fake.addClient({ clientId: "viewer-client", clientSecret: "viewer-secret", roleIds: ["viewer"] });
    const viewer = new GenesysPlatformClient({ apiBaseUrl: fake.url, credentials: { clientId: "viewer-client", clientSecret: "viewer-secret" } });
    await expect(applyBotList(viewer, { integrationId, desired: ours, previouslyManaged: [] })).rejects.toThrow(
      /refused to register the bot list on integration .* \(403 missing.permissions\): the deploying OAuth client needs the permission integration:botconnector:edit/,
    );
  });

  it("an unknown integration is explained", async () => {
    await expect(applyBotList(api, { integrationId: "missing", desired: ours, previouslyManaged: [] })).rejects.toThrow(
      /Bot Connector integration missing does not exist in this Genesys Cloud org \(404\)/,
    );
  });

  it("retries 429 with Retry-After and 5xx, then succeeds", async () => {
    fake.injectFault({ method: "PUT", path: `/api/v2/integrations/botconnector/${integrationId}/bots`, status: 429, retryAfter: 1 });
    fake.injectFault({ method: "GET", path: `/api/v2/integrations/botconnector/${integrationId}/bots`, status: 502 });
    await applyBotList(api, { integrationId, desired: ours, previouslyManaged: [] });
    expect(fake.botLists.get(integrationId)).toEqual(ours);
    expect(delays).toHaveLength(2);
    expect(delays).toContain(1000);
  });

  it("handles token expiry by fetching a new token once", async () => {
    await getBotList(api, integrationId);
    const issued = fake.tokensIssued;
    fake.expireAllTokens();
    await applyBotList(api, { integrationId, desired: ours, previouslyManaged: [] });
    expect(fake.tokensIssued).toBe(issued + 1);
    expect(fake.botLists.get(integrationId)).toEqual(ours);
  });
});

describe("describeField", () => {
  it("maps Genesys field paths to ids and names of the list that was sent", () => {
    expect(describeField("chatBots[0].versions[0].intents[4].slots[topic].type", ours)).toBe('bot "acme-support" version "1.0" intent "Goodbye" slot "topic" (type)');
    expect(describeField("chatBots[0].id", ours)).toBe('bot "acme-support" (id)');
    expect(describeField("chatBots[7].id", ours)).toBeUndefined();
    expect(describeField("something else", ours)).toBeUndefined();
  });
});
