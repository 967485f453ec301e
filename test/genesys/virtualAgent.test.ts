import { rmSync } from "node:fs";
import path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { loadBotDefinitions } from "../../service/src/bots/load";
import { GenesysVirtualAgent } from "../../components/genesys/virtualAgent";
import { readStackConfig } from "../../components/genesys/tooling/stackFile";
import { genesysArgsFromSettings, parseGenesysSettings } from "../../stacks/settings/genesys";
import { optionRecorder, secretOf, setupMocks, settled, unwrapSecret, valueOf, withoutSecrets, type Harness } from "./harness";

const root = path.join(__dirname, "..", "..");
const definitions = loadBotDefinitions(path.join(root, "service", "bots")).map((b) => b.definition);
const flowFile = path.join("out", "test-flows", "virtual-agent.yaml");

function devArgs(overrides: Record<string, unknown> = {}) {
  const { config } = readStackConfig(root, "dev");
  const { settings, problems } = parseGenesysSettings({ ...config, ...overrides }, { stack: "dev" });
  if (!settings) throw new Error(JSON.stringify(problems));
  return genesysArgsFromSettings(settings, { serviceUrl: pulumi.output("https://va-dev.acme.example"), definitions, flowFilePath: flowFile });
}

afterAll(() => rmSync(path.join("out", "test-flows"), { recursive: true, force: true }));

describe("GenesysVirtualAgent (the dev stack's settings)", () => {
  let mocks: Harness;
  let agent: GenesysVirtualAgent;
  const recorder = optionRecorder();

  beforeAll(async () => {
    mocks = await setupMocks();
    agent = new GenesysVirtualAgent(
      "genesys",
      devArgs({ "virtual-agent:genesysServiceClientRoles": [{ name: "Virtual Agent Service" }] }),
      { transformations: [recorder.transformation] },
    );
    await settled(agent.deploymentId, agent.testPageHtml, agent.serviceClientSecret, agent.botList!.urn);
  });

  it("creates every Genesys object, named from the component", () => {
    expect(mocks.resources.map((r) => `${r.type} ${r.name}`).sort()).toEqual([
      "genesyscloud:index/flow:Flow genesys-flow-flow",
      "genesyscloud:index/integration:Integration genesys-bot-connector-integration",
      "genesyscloud:index/integrationCredential:IntegrationCredential genesys-bot-connector-credential",
      "genesyscloud:index/oauthClient:OauthClient genesys-service-client-client",
      "genesyscloud:index/routingQueue:RoutingQueue genesys-queue-queue",
      "genesyscloud:index/webdeploymentsConfiguration:WebdeploymentsConfiguration genesys-messenger-configuration",
      "genesyscloud:index/webdeploymentsDeployment:WebdeploymentsDeployment genesys-messenger-deployment",
      "pulumi-nodejs:dynamic/genesys:BotList genesys-bot-list",
      "random:index/randomPassword:RandomPassword genesys-bot-connector-verify-token",
      "virtual-agent:genesys:BotConnector genesys-bot-connector",
      "virtual-agent:genesys:InboundMessageFlow genesys-flow",
      "virtual-agent:genesys:Messenger genesys-messenger",
      "virtual-agent:genesys:OAuthClient genesys-service-client",
      "virtual-agent:genesys:Queue genesys-queue",
      "virtual-agent:genesys:VirtualAgent genesys",
    ]);
  });

  it("wires the bot list to the integration and the flow to the bot list, queue and integration", async () => {
    expect(mocks.one("pulumi-nodejs:dynamic/genesys:BotList").inputs).toMatchObject({ integrationId: "genesys-bot-connector-integration-id", region: "eu-central-1" });
    const flow = mocks.one("genesyscloud:index/flow:Flow");
    expect(flow.inputs.substitutions).toEqual({
      flow_name: "Acme Virtual Agent DEV Inbound Message",
      bot_integration_name: "Acme Virtual Agent DEV Bot Connector",
      bot_name: "Acme Support",
      bot_version: "1.0",
      queue_default: "Acme Virtual Agent DEV Hand-over",
    });
    const dependsOn = recorder.seen.find((s) => s.type === "genesyscloud:index/flow:Flow")?.opts.dependsOn;
    expect(dependsOn).toEqual([agent.botList]);
    expect(mocks.one("genesyscloud:index/webdeploymentsDeployment:WebdeploymentsDeployment").inputs).toMatchObject({
      flowId: "genesys-flow-flow-id",
      allowedDomains: ["localhost", "dev.acme.example"],
      allowAllDomains: false,
    });
    expect(await valueOf(agent.handleUtteranceUri)).toBe("https://va-dev.acme.example/botconnector/messages");
  });

  it("uses the dev stack's Bot Connector wiring and names", () => {
    const integration = mocks.one("genesyscloud:index/integration:Integration").inputs;
    expect(integration).toMatchObject({ integrationType: "genesys-botconnector", intendedState: "ENABLED", config: { name: "Acme Virtual Agent DEV Bot Connector" } });
    expect(JSON.parse((integration.config as { properties: string }).properties)).toEqual({ botConnectorHandleUtteranceUri: "https://va-dev.acme.example/botconnector/messages" });
    expect(unwrapSecret(mocks.one("genesyscloud:index/integrationCredential:IntegrationCredential").inputs.fields)).toHaveProperty("verify-token");
    expect(mocks.one("genesyscloud:index/webdeploymentsConfiguration:WebdeploymentsConfiguration").inputs.messenger).toMatchObject({
      apps: { conversations: { humanize: { enabled: true, bot: { name: "Ava (dev)" } } } },
    });
  });

  it("keeps secrets secret: outputs marked, and no plaintext in any non-secret input", async () => {
    expect(await secretOf(agent.verifyToken)).toBe(true);
    expect(await secretOf(agent.serviceClientSecret)).toBe(true);
    const token = await valueOf(agent.verifyToken);
    const clientSecret = (await valueOf(agent.serviceClientSecret)) as string;
    const plain = JSON.stringify(mocks.resources.map((r) => withoutSecrets(r.inputs)));
    expect(token).toMatch(/^generated-token/);
    expect(plain).not.toContain(token);
    expect(plain).not.toContain(clientSecret);
  });
});

describe("GenesysVirtualAgent during preview (unknown outputs)", () => {
  it("registers its children without waiting for values that are unknown", async () => {
    const mocks = await setupMocks({ preview: true });
    const agent = new GenesysVirtualAgent("preview", devArgs());
    await mocks.settle();
    expect(mocks.byType("genesyscloud:index/webdeploymentsDeployment:WebdeploymentsDeployment")).toHaveLength(1);
    expect(mocks.byType("pulumi-nodejs:dynamic/genesys:BotList")).toHaveLength(1);
    const isKnown = (o: pulumi.Output<unknown>) => (o as unknown as { isKnown: Promise<boolean> }).isKnown;
    expect(await isKnown(agent.snippet)).toBe(false);
    expect(await isKnown(agent.testPageHtml)).toBe(false);
    expect(mocks.one("genesyscloud:index/flow:Flow").inputs.filepath).toBe(flowFile);
  });
});

describe("settings that would deploy something broken are refused before any resource", () => {
  it("names the problem", async () => {
    const mocks = await setupMocks();
    const args = devArgs();
    expect(() => new GenesysVirtualAgent("bad", { ...args, bot: { id: "nobody" } })).toThrow(/no bot "nobody" among the definitions/);
    expect(mocks.resources).toEqual([]);
  });
});
