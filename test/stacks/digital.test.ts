/**
 * A stack with `genesysProtocol: v2` (the dev stack file with the Digital Bot Connector's settings) under Pulumi
 * mocks: the Digital Bot Connector integration and its connection-secret credential, no bot-list resource, the
 * flow's Call Digital Bot Connector action, the service's OAuth client with only the send permission, the service
 * told to speak v2, and the front door forwarding exactly the v2 routes.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { isSecretInput, json, plainInput, promiseOf } from "../aws/mocks";
import { ROOT, runStack, type StackRun } from "./harness";

const V2 = {
  "virtual-agent:genesysProtocol": "v2",
  "virtual-agent:genesysIntegrationTypeId": "genesys-digital-bot-connector",
  "virtual-agent:genesysHandleUtteranceUriProperty": undefined,
  "virtual-agent:genesysBotConnectorUriProperty": "botConnectorUri",
  "virtual-agent:genesysCredentialSlot": "connectionSecret",
  "virtual-agent:genesysBotResponseTimeout": "PT20S",
};

interface Container {
  environment: Array<{ name: string; value: string }>;
  secrets: Array<{ name: string; valueFrom: string }>;
}

let run: StackRun;
beforeAll(async () => {
  run = await runStack("dev", { overrides: V2, pulumiStack: "dev-digital" });
});

test("creates the Digital Bot Connector integration pointing at the service's /digitalbotconnector base, with the verify token as its connection secret", async () => {
  const integration = run.cloud.one("genesyscloud:index/integration:Integration");
  expect(integration.inputs.integrationType).toBe("genesys-digital-bot-connector");
  expect(integration.inputs.intendedState).toBe("ENABLED");
  const serviceUrl = await promiseOf(run.outputs.serviceUrl);
  expect(JSON.parse(integration.inputs.config.properties as string)).toEqual({ botConnectorUri: `${serviceUrl}/digitalbotconnector` });
  expect(integration.inputs.config.name).toBe("Acme Virtual Agent DEV Digital Bot Connector");
  const credential = run.cloud.one("genesyscloud:index/integrationCredential:IntegrationCredential");
  expect(integration.inputs.config.credentials).toEqual({ connectionSecret: credential.id });
  expect(isSecretInput(credential.inputs.fields)).toBe(true);
  expect(Object.keys(plainInput<object>(credential.inputs.fields))).toEqual(["verify-token"]);
  expect(await promiseOf(run.outputs.botConnectorUri)).toBe(`${serviceUrl}/digitalbotconnector`);
  expect(run.outputs.handleUtteranceUri).toBeUndefined();
  expect(await promiseOf(run.outputs.genesysProtocol)).toBe("v2");
});

test("creates no bot-list resource: Genesys reads the bots from the service", () => {
  expect(run.cloud.resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic"))).toEqual([]);
});

test("publishes the flow with Call Digital Bot Connector and its timeouts", () => {
  const flow = run.cloud.one("genesyscloud:index/flow:Flow");
  const text = readFileSync(path.join(ROOT, flow.inputs.filepath as string), "utf8");
  expect(text).toContain("- callDigitalBotConnector:");
  expect(text).toContain("botResponseTimeout:\n                lit:\n                  seconds: 20");
  expect(text).not.toContain("callBotConnector:");
  expect(flow.inputs.substitutions.bot_integration_name).toBe("Acme Virtual Agent DEV Digital Bot Connector");
  expect(flow.inputs.substitutions.bot_name).toBe("Acme Support");
});

test("gives the service an OAuth client whose only role grants integration:botconnector:send", () => {
  const role = run.cloud.one("genesyscloud:index/authRole:AuthRole");
  expect(role.inputs.name).toBe("Acme Virtual Agent DEV replies later");
  expect(role.inputs.permissionPolicies).toEqual([{ domain: "integration", entityName: "botconnector", actionSets: ["send"] }]);
  const client = run.cloud.one("genesyscloud:index/oauthClient:OauthClient");
  expect(client.inputs.authorizedGrantType).toBe("CLIENT-CREDENTIALS");
  expect(client.inputs.roles).toEqual([{ roleId: role.id }]);
});

test("tells the service to speak v2 with a reply window within the Bot Response Timeout, and hands it the client as secrets", () => {
  const [container] = json<Container[]>(run.cloud.one("aws:ecs/taskDefinition:TaskDefinition").inputs.containerDefinitions);
  const env = Object.fromEntries(container!.environment.map((e) => [e.name, e.value]));
  expect(env).toMatchObject({ GENESYS_PROTOCOL: "v2", DBC_REPLY_WINDOW_MS: "3000", GENESYS_REGION: "eu-central-1" });
  expect(container!.secrets.map((s) => s.name).sort()).toEqual(["GENESYS_CLIENT_ID", "GENESYS_CLIENT_SECRET", "VERIFY_TOKEN"]);
});

test("the front door forwards exactly the Digital Bot Connector's routes", () => {
  const routes = run.cloud.ofType("aws:apigatewayv2/route:Route").map((r) => r.inputs.routeKey);
  expect(routes.sort()).toEqual(["GET /digitalbotconnector/bots", "GET /digitalbotconnector/bots/{botId}", "POST /digitalbotconnector/messages"]);
  expect(run.cloud.one("aws:apigatewayv2/integration:Integration").inputs.integrationMethod).toBe("ANY");
  const rules = run.cloud.ofType("aws:lb/listenerRule:ListenerRule").map((r) => r.inputs.conditions as unknown[]);
  expect(rules).toEqual([
    [{ pathPattern: { values: ["/digitalbotconnector/bots"] } }, { httpRequestMethod: { values: ["GET"] } }],
    [{ pathPattern: { values: ["/digitalbotconnector/bots/*"] } }, { httpRequestMethod: { values: ["GET"] } }],
    [{ pathPattern: { values: ["/digitalbotconnector/messages"] } }, { httpRequestMethod: { values: ["POST"] } }],
  ]);
});
