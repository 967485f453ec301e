/**
 * Genesys as code with `genesysProtocol: v2`: the settings and their checks, the Call Digital Bot Connector action
 * (built-in shape and an Architect export), synth's artifacts and summary, and doctor against the fake org.
 */
import { parse as parseYaml } from "yaml";
import { buildBotList } from "../../service/src/bots/botList";
import { loadBotDefinitions } from "../../service/src/bots/load";
import { digitalBotManifest } from "../../service/src/protocol/v2/manifest";
import { GenesysPlatformClient } from "../../service/src/genesys";
import { digitalRepliesRole } from "../../components/genesys/oauthClient";
import { replyWindowFor } from "../../components/genesys/flow/callDigitalBotConnector";
import { requiredPermissions } from "../../components/genesys/tooling/permissions";
import { synthesize } from "../../components/genesys/tooling/synth";
import { flowPlanFor } from "../../components/genesys/plan";
import { runDoctor } from "../../scripts/doctor";
import { flowChoicesFromSettings, parseGenesysSettings, serviceClientRoles, type GenesysSettings } from "../../stacks/settings/genesys";
import { FakeGenesysPlatform } from "../fakes/genesysPlatform";
import { SAMPLE_BOTS } from "../service/harness";

const v2Config: Record<string, unknown> = {
  "genesyscloud:awsRegion": "eu-central-1",
  "virtual-agent:genesysProtocol": "v2",
  "virtual-agent:genesysNamePrefix": "Acme VA",
  "virtual-agent:genesysIntegrationTypeId": "genesys-digital-bot-connector",
  "virtual-agent:genesysBotConnectorUriProperty": "botConnectorUri",
  "virtual-agent:genesysCredentialSlot": "connectionSecret",
  "virtual-agent:genesysCredentialType": "userDefined",
  "virtual-agent:genesysQueueName": "Acme Support",
  "virtual-agent:genesysMessengerAllowedDomains": ["www.acme.example"],
};

function settings(extra: Record<string, unknown> = {}): GenesysSettings {
  const parsed = parseGenesysSettings({ ...v2Config, ...extra }, { stack: "dev" });
  if (!parsed.settings) throw new Error(JSON.stringify(parsed.problems));
  return parsed.settings;
}

const definitions = loadBotDefinitions(SAMPLE_BOTS).map((b) => b.definition);

function synth(s: GenesysSettings, template?: string) {
  return synthesize({
    stack: "dev",
    region: s.region,
    definitions,
    flow: flowPlanFor({ flowName: s.names.flow, integrationName: s.names.integration, queueName: s.queue.name, definitions, bot: s.bot, choices: flowChoicesFromSettings(s, template) }),
    names: s.names,
    queue: s.queue,
    botConnector: s.botConnector,
    messenger: s.messenger,
  });
}

describe("genesysProtocol v2 settings", () => {
  test("needs the Bot Connector URI property (and not v1's Handle Utterance URI property)", () => {
    const s = settings();
    expect(s.protocol).toBe("v2");
    expect(s.botConnector).toMatchObject({ integrationTypeId: "genesys-digital-bot-connector", botConnectorUriProperty: "botConnectorUri" });
    expect(s.names.integration).toBe("Acme VA Digital Bot Connector");
    expect(s.flow).toMatchObject({ botResponseTimeout: "PT30S", sessionTimeout: "PT12H" });
    const { problems } = parseGenesysSettings({ ...v2Config, "virtual-agent:genesysBotConnectorUriProperty": undefined }, { stack: "dev" });
    expect(problems).toEqual([
      {
        key: "virtual-agent:genesysBotConnectorUriProperty",
        message: "is not set: no public source confirms it; run npm run doctor against the org to find it",
        fix: "pulumi config set --stack dev virtual-agent:genesysBotConnectorUriProperty <property key>",
      },
    ]);
  });

  test("an unknown protocol and timeouts outside what the action accepts are named with their fix", () => {
    const { problems } = parseGenesysSettings(
      { ...v2Config, "virtual-agent:genesysBotResponseTimeout": "PT90S", "virtual-agent:genesysSessionTimeout": "P4D", "virtual-agent:genesysFollowUpTimeout": "PT30S" },
      { stack: "dev" },
    );
    expect(problems.map((p) => `${p.key}: ${p.message} | ${p.fix}`)).toEqual([
      "virtual-agent:genesysFollowUpTimeout: PT30S is outside what the Call Digital Bot Connector action accepts (1 minute to 3 days) | pulumi config set --stack dev virtual-agent:genesysFollowUpTimeout PT12H",
      "virtual-agent:genesysBotResponseTimeout: PT90S is outside what the Call Digital Bot Connector action accepts (1 second to 1 minute) | pulumi config set --stack dev virtual-agent:genesysBotResponseTimeout PT30S",
      "virtual-agent:genesysSessionTimeout: P4D is outside what the Call Digital Bot Connector action accepts (1 minute to 3 days) | pulumi config set --stack dev virtual-agent:genesysSessionTimeout PT12H",
    ]);
    const wrong = parseGenesysSettings({ ...v2Config, "virtual-agent:genesysProtocol": "v3" }, { stack: "dev" }).problems;
    expect(wrong.map((p) => p.message)).toEqual(['must be v1 (the Bot Connector) or v2 (the Digital Bot Connector), got "v3"']);
  });

  test("the service's OAuth client gets a role with exactly integration:botconnector:send, besides the roles configured", () => {
    expect(serviceClientRoles(settings())).toEqual([digitalRepliesRole("Acme VA replies later")]);
    expect(digitalRepliesRole("x").custom?.permissions).toEqual(["integration:botconnector:send"]);
    expect(serviceClientRoles(settings({ "virtual-agent:genesysServiceClientRoles": [{ name: "Reporting" }] }))).toEqual([{ name: "Reporting" }, digitalRepliesRole("Acme VA replies later")]);
  });

  test("the service answers within half the Bot Response Timeout, at most 3 s", () => {
    expect([replyWindowFor("PT30S"), replyWindowFor("PT4S"), replyWindowFor("PT1S")]).toEqual([3000, 2000, 500]);
  });
});

describe("synth for a v2 stack", () => {
  const out = synth(settings());

  test("renders Call Digital Bot Connector with its timeouts, one output path per intent and entities bound to variables", () => {
    const flow = parseYaml(out.files["architect-flow.yaml"]) as { inboundShortMessage: { states: Array<{ state: { actions: Array<Record<string, Record<string, unknown>>> } }> } };
    const actions = flow.inboundShortMessage.states[0]!.state.actions;
    const call = actions.find((a) => "callDigitalBotConnector" in a)?.callDigitalBotConnector;
    expect(actions.some((a) => "callBotConnector" in a)).toBe(false);
    expect(call).toMatchObject({
      name: "Call Digital Bot Connector",
      followupResponseTimeout: { lit: { hours: 12 } },
      botResponseTimeout: { lit: { seconds: 30 } },
      sessionTimeout: { lit: { hours: 12 } },
      botIntegration: { "Acme VA Digital Bot Connector": { bot: { "Acme Support": { version: { "1.0": expect.any(Object) } } } } },
    });
    const version = (call?.botIntegration as Record<string, { bot: Record<string, { version: Record<string, { intents: Record<string, unknown> }> }> }>)["Acme VA Digital Bot Connector"]!.bot["Acme Support"]!.version["1.0"]!;
    expect(version.intents.OrderStatus).toEqual({ entities: { orderNumber: { var: "State.slot_OrderStatus_orderNumber" }, orderStatus: { var: "State.slot_OrderStatus_orderStatus" } } });
    expect(Object.keys(call?.outputs as object)).toEqual([...Object.keys(definitions[0]!.intents), "failure"]);
  });

  test("writes the manifest the service serves (bots.json), not a bot list to push", () => {
    expect(out.files["bot-list.json"]).toBeUndefined();
    expect(JSON.parse(out.files["bots.json"] as string)).toEqual(digitalBotManifest(buildBotList(definitions), "Genesys virtual agent"));
  });

  test("the summary says v2, names the Bot Connector URI property and the reply window", () => {
    const summary = out.files["summary.md"];
    expect(summary).toContain("Protocol **v2**, the Digital Bot Connector");
    expect(summary).toContain("- Bot Connector URI property: `botConnectorUri` = the service URL + `/digitalbotconnector`");
    expect(summary).toContain("## Bots (served by the service at `GET /digitalbotconnector/bots`)");
    expect(summary).toContain("the service answers within 3000 ms (DBC_REPLY_WINDOW_MS)");
  });

  test("an action exported from Architect is used instead, and a v1 export is refused naming the key it needs", () => {
    const exported = [
      "callDigitalBotConnector:",
      "  name: From Architect",
      '  botIntegration: { "{{bot_integration_name}}": { bot: { "{{bot_name}}": { version: { "{{bot_version}}": {} } } } } }',
      "  outputs:",
      ...Object.keys(definitions[0]!.intents).map((i) => `    ${i}: { actions: "{{actions:${i}}}" }`),
      '    failure: { actions: "{{actions:failure}}" }',
    ].join("\n");
    const flow = synth(settings(), exported).files["architect-flow.yaml"];
    expect(flow).toContain("name: From Architect");
    expect(() => synth(settings(), exported.replace("callDigitalBotConnector:", "callBotConnector:"))).toThrow(
      "callBotConnectorTemplate must be one action: a mapping whose only key is callDigitalBotConnector",
    );
  });
});

describe("doctor for a v2 stack", () => {
  let fake: FakeGenesysPlatform;
  const api = () => new GenesysPlatformClient({ apiBaseUrl: fake.url, credentials: { clientId: "deployer", clientSecret: "deployer-secret" } });

  beforeAll(async () => {
    fake = await FakeGenesysPlatform.start();
    fake.addIntegrationType({
      id: "genesys-digital-bot-connector",
      name: "Genesys Digital Bot Connector",
      properties: { botConnectorUri: { title: "Bot Connector URI", required: true, format: "uri" } },
      credentials: { connectionSecret: ["userDefined"] },
    });
    const needed = requiredPermissions({ createQueue: true, serviceClient: true, rolesByName: false, digital: true }).flatMap((g) => g.permissions);
    fake.addRole({ id: "deployer-role", name: "Deployer", permissions: [...needed, "oauth:client:view", "authorization:role:view"] });
    fake.addClient({ clientId: "deployer", clientSecret: "deployer-secret", roleIds: ["deployer-role"] });
  });
  afterAll(() => fake.close());

  test("finds nothing wrong when the stack matches the org's Digital Bot Connector type", async () => {
    const findings = await runDoctor(api(), settings(), "dev");
    expect(findings.filter((f) => f.level !== "ok")).toEqual([]);
    expect(findings.map((f) => f.check)).toContain("Bot Connector URI property");
  });

  test("v1's type or a wrong property key are problems with the command that fixes them", async () => {
    const findings = await runDoctor(api(), settings({ "virtual-agent:genesysIntegrationTypeId": "fake-bot-connector", "virtual-agent:genesysBotConnectorUriProperty": "uri" }), "dev");
    const problems = findings.filter((f) => f.level !== "ok");
    expect(problems.find((f) => f.check === "integration type")?.fix).toBe("pulumi config set --stack dev virtual-agent:genesysIntegrationTypeId genesys-digital-bot-connector");
    expect(problems.find((f) => f.check === "Bot Connector URI property")?.fix).toBe("pulumi config set --stack dev virtual-agent:genesysBotConnectorUriProperty botConnectorUri");
  });

  test("needs no bot-list permission, and the send permission the service's role grants", () => {
    const groups = requiredPermissions({ createQueue: true, serviceClient: true, rolesByName: false, digital: true });
    const all = groups.flatMap((g) => g.permissions);
    expect(all).not.toContain("integration:botconnector:edit");
    expect(groups.find((g) => g.part.includes("replies that come later"))?.permissions).toContain("integration:botconnector:send");
  });
});
