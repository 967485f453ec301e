import Module from "node:module";
import path from "node:path";
import { type dynamic } from "@pulumi/pulumi";
import { buildBotList } from "../../service/src/bots/botList";
import { loadBotDefinitions } from "../../service/src/bots/load";
import { DEFAULT_CREDENTIAL_CONFIG_KEYS, resolveRuntimeCredentials } from "../../components/genesys/botList/credentials";
import { toKeyed } from "../../components/genesys/botList/model";
import { BotListProvider, type BotListState } from "../../components/genesys/botList/provider";
import { BotList } from "../../components/genesys/botList/resource";
import { FAKE_BOT_CONNECTOR_TYPE, FakeGenesysPlatform } from "../fakes/genesysPlatform";
import { setupMocks, settled, type Harness } from "./harness";

const definitions = loadBotDefinitions(path.join(__dirname, "..", "..", "service", "bots")).map((b) => b.definition);
const SECRET = "deployer-secret-must-not-reach-state";

function configOf(values: Record<string, string>): dynamic.ConfigureRequest {
  return { config: { get: (key: string) => values[key], require: (key: string) => values[key] as string } };
}

/** What the dynamic-provider host does with `__provider`: load the serialized module and call its handler. */
function deserializeProvider(text: string): dynamic.ResourceProvider {
  const file = path.join(process.cwd(), "__provider.js");
  const m = new Module(file) as Module & { _compile(code: string, file: string): void; paths: string[] };
  m.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(process.cwd());
  m._compile(text, file);
  return (m.exports as { handler: () => dynamic.ResourceProvider }).handler();
}

describe("BotList dynamic provider", () => {
  let fake: FakeGenesysPlatform;
  let mocks: Harness;
  const integrationId = "bc-integration";
  const baseState = (): BotListState => ({
    integrationId,
    bots: toKeyed(buildBotList(definitions)),
    apiBaseUrl: fake.url,
    credentialConfigKeys: DEFAULT_CREDENTIAL_CONFIG_KEYS,
  });

  beforeAll(async () => {
    fake = await FakeGenesysPlatform.start();
    fake.addClient({ clientId: "deployer", clientSecret: SECRET });
    fake.addIntegration({ id: integrationId, integrationTypeId: FAKE_BOT_CONNECTOR_TYPE.id, name: "Acme Bot Connector" });
    mocks = await setupMocks();
  });
  afterAll(() => fake.close());
  afterEach(() => {
    delete process.env.GENESYSCLOUD_OAUTHCLIENT_ID;
    delete process.env.GENESYSCLOUD_OAUTHCLIENT_SECRET;
  });

  it("registers a pulumi-nodejs dynamic resource whose state holds no credential", async () => {
    process.env.GENESYSCLOUD_OAUTHCLIENT_ID = "deployer";
    process.env.GENESYSCLOUD_OAUTHCLIENT_SECRET = SECRET;
    const list = new BotList("bots", { integrationId, definitions, region: "eu-central-1" });
    await settled(list.urn);
    const registered = mocks.one("pulumi-nodejs:dynamic/genesys:BotList");
    expect(registered.inputs.integrationId).toBe(integrationId);
    expect(registered.inputs.region).toBe("eu-central-1");
    expect(registered.inputs.credentialConfigKeys).toEqual(DEFAULT_CREDENTIAL_CONFIG_KEYS);
    expect(Object.keys(registered.inputs.bots as object)).toEqual(["acme-support"]);
    const serialized = registered.inputs.__provider as string;
    expect(typeof serialized).toBe("string");
    expect(JSON.stringify(registered.inputs)).not.toContain(SECRET);

    // The serialized provider is what runs in `pulumi up`: it must load and work with config it gets at run time.
    const provider = deserializeProvider(serialized);
    await provider.configure?.(configOf({ "genesyscloud:oauthclientId": "deployer", "genesyscloud:oauthclientSecret": SECRET }));
    const created = await provider.create(baseState());
    expect(created.id).toBe(integrationId);
    expect(fake.botLists.get(integrationId)).toEqual(buildBotList(definitions));
    await provider.delete?.(created.id, created.outs);
    expect(fake.botLists.get(integrationId)).toEqual({ chatBots: [] });
  });

  it("refuses definitions that cannot share one bot list, before registering anything", async () => {
    mocks.reset();
    expect(() => new BotList("dupes", { integrationId, definitions: [...definitions, ...definitions] })).toThrow(/version "1.0" is also defined/);
    expect(() => new BotList("none", { integrationId, definitions: [] })).toThrow(/at least one bot definition/);
    expect(mocks.resources).toEqual([]);
  });

  it("create, read, update and delete follow Genesys, with credentials from stack config", async () => {
    const provider = new BotListProvider();
    await provider.configure(configOf({ "genesyscloud:oauthclientId": "deployer", "genesyscloud:oauthclientSecret": SECRET }));
    const created = await provider.create(baseState());
    expect(created.outs?.managedBotIds).toEqual(["acme-support"]);
    expect(created.outs?.lastChanges).toEqual(['bot "acme-support" added with version(s) 1.0']);
    expect(JSON.stringify(created.outs)).not.toContain(SECRET);

    // Drift made in Genesys is what refresh reads.
    fake.botLists.get(integrationId)!.chatBots[0]!.versions[0]!.intents.pop();
    const read = await provider.read(integrationId, created.outs!);
    const diff = await provider.diff(integrationId, read.props!, baseState());
    expect(diff.changes).toBe(true);
    expect(diff.replaces).toEqual([]);

    const updated = await provider.update(integrationId, read.props!, baseState());
    expect(updated.outs?.lastChanges).toEqual(['bot "acme-support" version "1.0" intent "Goodbye" added']);
    expect(fake.botLists.get(integrationId)).toEqual(buildBotList(definitions));
    expect((await provider.diff(integrationId, updated.outs!, baseState())).changes).toBe(false);

    await provider.delete(integrationId, updated.outs!);
    expect(fake.botLists.get(integrationId)).toEqual({ chatBots: [] });
  });

  it("reads credentials from the provider's environment variables when config has none", async () => {
    process.env.GENESYSCLOUD_OAUTHCLIENT_ID = "deployer";
    process.env.GENESYSCLOUD_OAUTHCLIENT_SECRET = SECRET;
    const provider = new BotListProvider();
    await provider.configure(configOf({}));
    await expect(provider.create(baseState())).resolves.toMatchObject({ id: integrationId });
  });

  it("says which config keys or variables to set when credentials are missing", async () => {
    const provider = new BotListProvider();
    await provider.configure(configOf({}));
    await expect(provider.create(baseState())).rejects.toThrow(
      /pulumi config set genesyscloud:oauthclientId <client id>.*GENESYSCLOUD_OAUTHCLIENT_ID[\s\S]*pulumi config set --secret genesyscloud:oauthclientSecret/,
    );
  });

  it("a gone integration removes the resource on refresh", async () => {
    const provider = new BotListProvider();
    await provider.configure(configOf({ "genesyscloud:oauthclientId": "deployer", "genesyscloud:oauthclientSecret": SECRET }));
    expect(await provider.read("gone", { ...baseState(), integrationId: "gone" })).toEqual({});
  });

  it("diff: a new integration replaces the list; the same bots are no change; check rejects an empty list", async () => {
    const provider = new BotListProvider();
    const state = baseState();
    expect(await provider.diff(integrationId, state, { ...state, integrationId: "other" })).toMatchObject({ changes: true, replaces: ["integrationId"] });
    expect(await provider.diff(integrationId, state, structuredClone(state))).toMatchObject({ changes: false, replaces: [] });
    const checked = await provider.check(state, { ...state, bots: {}, integrationId: "" });
    expect(checked.failures?.map((f) => f.property)).toEqual(["integrationId", "bots"]);
  });
});

describe("resolveRuntimeCredentials", () => {
  it("prefers stack config over the environment and trims values", () => {
    const creds = resolveRuntimeCredentials(DEFAULT_CREDENTIAL_CONFIG_KEYS, { get: (k) => ({ "genesyscloud:oauthclientId": " cfg-id " })[k] }, {
      GENESYSCLOUD_OAUTHCLIENT_ID: "env-id",
      GENESYSCLOUD_OAUTHCLIENT_SECRET: "env-secret",
      GENESYSCLOUD_REGION: "eu-west-1",
    });
    expect(creds).toEqual({ clientId: "cfg-id", clientSecret: "env-secret", region: "eu-west-1" });
  });

  it("honours custom config keys", () => {
    const keys = { clientId: "virtual-agent:deployerId", clientSecret: "virtual-agent:deployerSecret", region: "virtual-agent:region" };
    const values: Record<string, string> = { "virtual-agent:deployerId": "a", "virtual-agent:deployerSecret": "b", "virtual-agent:region": "us-east-1" };
    expect(resolveRuntimeCredentials(keys, { get: (k) => values[k] }, {})).toEqual({ clientId: "a", clientSecret: "b", region: "us-east-1" });
  });
});
