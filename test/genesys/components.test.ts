import { existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { loadBotDefinitions } from "../../service/src/bots/load";
import { BotConnector } from "../../components/genesys/botConnector";
import { describeFlow } from "../../components/genesys/flow/fromBot";
import { InboundMessageFlow } from "../../components/genesys/inboundMessageFlow";
import { Messenger } from "../../components/genesys/messenger";
import { OAuthClient } from "../../components/genesys/oauthClient";
import { Queue } from "../../components/genesys/queue";
import { isSecretInput, optionRecorder, secretOf, setupMocks, settled, unwrapSecret, valueOf, withoutSecrets, type Harness } from "./harness";

const definition = loadBotDefinitions(path.join(__dirname, "..", "..", "service", "bots"))[0]!.definition;
const TYPE = { integrationTypeId: "bot-connector-type", handleUtteranceUriProperty: "handleUri", credentialSlot: "tokenSlot", credentialType: "userDefined" };

const T = {
  oauthClient: "genesyscloud:index/oauthClient:OauthClient",
  integration: "genesyscloud:index/integration:Integration",
  credential: "genesyscloud:index/integrationCredential:IntegrationCredential",
  password: "random:index/randomPassword:RandomPassword",
  queue: "genesyscloud:index/routingQueue:RoutingQueue",
  flow: "genesyscloud:index/flow:Flow",
  webConfig: "genesyscloud:index/webdeploymentsConfiguration:WebdeploymentsConfiguration",
  webDeployment: "genesyscloud:index/webdeploymentsDeployment:WebdeploymentsDeployment",
};

/** Stands in for the BotList the flow must wait for. */
class BotListStandIn extends pulumi.CustomResource {
  constructor(name: string) {
    super("test:index:BotListStandIn", name, {});
  }
}

let mocks: Harness;
beforeAll(async () => {
  mocks = await setupMocks();
});
beforeEach(() => mocks.reset());

describe("OAuthClient", () => {
  it("creates a client-credentials client with roles by name (looked up) and by id, in divisions", async () => {
    const c = new OAuthClient("svc", {
      clientName: "Acme VA service",
      roles: [{ name: "Virtual Agent Service", divisionId: "*" }, { id: "role-42" }],
    });
    await settled(c.clientId, c.clientSecret);
    const client = mocks.one(T.oauthClient);
    expect(client.name).toBe("svc-client");
    expect(client.inputs).toMatchObject({
      name: "Acme VA service",
      authorizedGrantType: "CLIENT-CREDENTIALS",
      accessTokenValiditySeconds: 86400,
      exposeClientSecret: true,
      roles: [{ roleId: "role-id-of-Virtual Agent Service", divisionId: "*" }, { roleId: "role-42" }],
    });
    expect(mocks.calls).toEqual([{ token: "genesyscloud:index/getAuthRole:getAuthRole", inputs: { name: "Virtual Agent Service" } }]);
    expect(await valueOf(c.clientId)).toBe("svc-client-client-id");
    expect(await secretOf(c.clientSecret)).toBe(true);
    expect(await secretOf(c.clientId)).toBe(false);
  });

  it("validates its arguments before creating anything", () => {
    expect(() => new OAuthClient("bad", { clientName: " ", roles: [] })).toThrow(/roles: at least one role is required[\s\S]*clientName: must not be empty/);
    expect(() => new OAuthClient("bad2", { clientName: "x", roles: [{ name: "a", id: "b" }], accessTokenValiditySeconds: 10 })).toThrow(
      /roles\[0\]: give exactly one of name or id[\s\S]*accessTokenValiditySeconds: must be an integer from 300 to 172800/,
    );
    expect(mocks.resources).toEqual([]);
  });
});

describe("BotConnector", () => {
  it("generates a verify token, keeps it in a credential under the header name, and enables the integration", async () => {
    const bc = new BotConnector("bc", { integrationName: "Acme BC", serviceUrl: "https://va.acme.example/", type: TYPE });
    await settled(bc.integrationId, bc.verifyToken);
    const password = mocks.one(T.password);
    expect(password.inputs).toMatchObject({ length: 48, special: false });
    const credential = mocks.one(T.credential);
    expect(credential.inputs.name).toBe("Acme BC verify token");
    expect(credential.inputs.credentialTypeName).toBe("userDefined");
    expect(isSecretInput(credential.inputs.fields)).toBe(true);
    expect(unwrapSecret(credential.inputs.fields)).toEqual({ "verify-token": "generated-token-bc-verify-token-0123456789abcdef" });
    const integration = mocks.one(T.integration);
    expect(integration.inputs).toMatchObject({
      integrationType: "bot-connector-type",
      intendedState: "ENABLED",
      config: { name: "Acme BC", credentials: { tokenSlot: "bc-credential-id" } },
    });
    expect(JSON.parse((integration.inputs.config as { properties: string }).properties)).toEqual({ handleUri: "https://va.acme.example/botconnector/messages" });
    expect(await valueOf(bc.handleUtteranceUri)).toBe("https://va.acme.example/botconnector/messages");
    expect(await valueOf(bc.integrationId)).toBe("bc-integration-id");
    expect(await secretOf(bc.verifyToken)).toBe(true);
  });

  it("uses a supplied token as a secret, and never shows it in plain inputs", async () => {
    const token = "supplied-token-0123456789-abcdefghij";
    const bc = new BotConnector("bc2", { integrationName: "BC", serviceUrl: pulumi.output("https://svc.example/base"), type: TYPE, verifyToken: token, verifyTokenHeader: "x-acme-token" });
    await settled(bc.integrationId, bc.verifyToken);
    expect(mocks.byType(T.password)).toEqual([]);
    expect(unwrapSecret(mocks.one(T.credential).inputs.fields)).toEqual({ "x-acme-token": token });
    expect(JSON.stringify(mocks.resources.map((r) => withoutSecrets(r.inputs)))).not.toContain(token);
    expect(await secretOf(bc.verifyToken)).toBe(true);
    expect(await valueOf(bc.handleUtteranceUri)).toBe("https://svc.example/base/botconnector/messages");
  });

  it("rotates a generated token through the keepers", async () => {
    const bc = new BotConnector("bc3", { integrationName: "BC", serviceUrl: "https://svc.example", type: TYPE, verifyTokenRotation: "2026-11" });
    await settled(bc.verifyToken);
    expect(mocks.one(T.password).inputs.keepers).toEqual({ rotation: "2026-11" });
  });

  it("refuses unconfirmed settings left empty, plain http, and bad header names", () => {
    expect(
      () =>
        new BotConnector("bad", {
          integrationName: "BC",
          serviceUrl: "http://svc.example",
          type: { ...TYPE, credentialSlot: "", integrationTypeId: " id" },
          verifyTokenHeader: "bad header",
        }),
    ).toThrow(/type.integrationTypeId: has leading or trailing whitespace[\s\S]*type.credentialSlot: is required[\s\S]*verifyTokenHeader[\s\S]*serviceUrl: serviceUrl "http:\/\/svc.example" must use https/);
    expect(mocks.resources).toEqual([]);
  });
});

describe("Queue", () => {
  it("creates a queue with message media settings", async () => {
    const q = new Queue("q", { queueName: "Acme Support", alertingTimeoutSec: 45 });
    await settled(q.queueId);
    expect(mocks.one(T.queue).inputs).toMatchObject({
      name: "Acme Support",
      mediaSettingsMessage: { alertingTimeoutSec: 45, serviceLevelPercentage: 0.8, serviceLevelDurationMs: 20000 },
    });
    expect(await valueOf(q.queueName)).toBe("Acme Support");
  });

  it("looks up an existing queue by name without creating one", async () => {
    const q = new Queue("q2", { queueName: "Acme Support", existing: true });
    expect(await valueOf(q.queueId)).toBe("queue-id-of-Acme Support");
    expect(mocks.byType(T.queue)).toEqual([]);
    expect(q.queue).toBeUndefined();
    expect(() => new Queue("q3", { queueName: "X", existing: true, description: "d" })).toThrow(/existing: an existing queue is used as it is; remove description/);
  });
});

describe("InboundMessageFlow", () => {
  const description = describeFlow({ flowName: "Acme Inbound", integrationName: "Acme BC", queueName: "Acme Support", definition });
  const filePath = path.join("out", "test-flows", "components-flow.yaml");
  afterAll(() => rmSync(path.join("out", "test-flows"), { recursive: true, force: true }));

  it("writes the YAML to a stable relative path and publishes it with names from resource outputs, after the bot list", async () => {
    const botList = new BotListStandIn("bots");
    const recorder = optionRecorder();
    const flow = new InboundMessageFlow(
      "inbound",
      { description, filePath, botList, substitutions: { bot_integration_name: pulumi.output("Acme BC (renamed)"), queue_default: pulumi.output("Acme Support") } },
      { transformations: [recorder.transformation] },
    );
    await settled(flow.flowId);
    expect(existsSync(filePath)).toBe(true);
    expect(readFileSync(filePath, "utf8")).toBe(flow.yaml);
    const registered = mocks.one(T.flow);
    expect(registered.inputs).toEqual({
      filepath: filePath,
      name: "Acme Inbound",
      substitutions: {
        flow_name: "Acme Inbound",
        bot_integration_name: "Acme BC (renamed)",
        bot_name: "Acme Support",
        bot_version: "1.0",
        queue_default: "Acme Support",
      },
    });
    const flowOpts = recorder.seen.find((s) => s.type === T.flow)?.opts;
    expect(flowOpts?.dependsOn).toEqual([botList]);
  });

  it("refuses absolute paths and substitutions the flow has no placeholder for", () => {
    const botList = new BotListStandIn("bots2");
    expect(() => new InboundMessageFlow("bad", { description, botList, filePath: "/tmp/flow.yaml", substitutions: { nope: "x" } })).toThrow(/filePath: must be relative/);
    expect(() => new InboundMessageFlow("bad2", { description, botList, filePath, substitutions: { nope: "x" } })).toThrow(/the flow has no placeholder \{\{nope\}\}/);
  });
});

describe("Messenger", () => {
  const settings = { languages: ["en-us", "de-de"], defaultLanguage: "en-us", allowedDomains: ["www.acme.example"], bot: { displayName: "Ava", avatarUrl: "https://assets.acme.example/ava.png" } };

  it("configures the Messenger and deploys it pointing at the flow, for the listed domains only", async () => {
    const m = new Messenger("web", { messengerName: "Acme Messenger", flowId: pulumi.output("flow-123"), botName: "Acme Support", settings, testPageParameters: { customerName: "First name" } });
    await settled(m.deploymentId, m.testPageHtml);
    const config = mocks.one(T.webConfig);
    expect(config.inputs).toMatchObject({ name: "Acme Messenger", languages: ["en-us", "de-de"], defaultLanguage: "en-us" });
    expect(config.inputs.messenger).toMatchObject({
      enabled: true,
      fileUpload: { enableAttachments: false },
      launcherButton: { visibility: "On" },
      apps: { conversations: { enabled: true, autoStartEnabled: true, humanize: { enabled: true, bot: { name: "Ava", avatarUrl: "https://assets.acme.example/ava.png" } } } },
    });
    expect(mocks.one(T.webDeployment).inputs).toMatchObject({
      name: "Acme Messenger",
      flowId: "flow-123",
      allowAllDomains: false,
      allowedDomains: ["www.acme.example"],
      configuration: { id: "web-configuration-id", version: "3" },
    });
    expect(await valueOf(m.deploymentId)).toBe("web-deployment-id");
    const page = await valueOf(m.testPageHtml);
    expect(page).toContain(await valueOf(m.snippet));
    expect(page).toContain('name="customerName"');
    expect(page).toContain("<title>Acme Messenger</title>");
  });

  it("allows every domain only when asked to, and never together with a list", () => {
    const base = { messengerName: "M", flowId: "f", botName: "B" };
    expect(() => new Messenger("m1", { ...base, settings: { ...settings, allowedDomains: [] } })).toThrow(/list the domains that may load the Messenger, or set allowAllDomains deliberately/);
    expect(() => new Messenger("m2", { ...base, settings: { ...settings, allowAllDomains: true } })).toThrow(/must be empty when allowAllDomains is set/);
    expect(() => new Messenger("m3", { ...base, settings: { ...settings, defaultLanguage: "fr-fr", allowedDomains: ["https://x/y"] } })).toThrow(
      /defaultLanguage: "fr-fr" is not one of languages[\s\S]*"https:\/\/x\/y" is not a domain/,
    );
  });

  it("lets all domains in deliberately", async () => {
    const m = new Messenger("open", { messengerName: "M", flowId: "f", botName: "B", settings: { ...settings, allowedDomains: undefined, allowAllDomains: true } });
    await settled(m.deploymentId);
    expect(mocks.one(T.webDeployment).inputs).toMatchObject({ allowAllDomains: true, allowedDomains: [] });
  });
});
