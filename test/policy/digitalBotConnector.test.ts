/**
 * The Digital Bot Connector's policies (policy/digitalBotConnector.ts) over a v2 stack's mocked resource graph:
 * the stack and the baseline pass; a Bot Connector URI past the base and a sending role with more than it needs are
 * each caught with the fix; v1 stacks are not affected.
 */
import { digitalBotConnectorPolicies } from "../../policy/digitalBotConnector";
import { policies } from "../../policy/policies";
import { type CapturedResource } from "../aws/mocks";
import { runStack, type StackRun } from "../stacks/harness";
import { describe as describeFindings, runPolicies } from "./adapter";

const V2 = {
  "virtual-agent:genesysProtocol": "v2",
  "virtual-agent:genesysIntegrationTypeId": "genesys-digital-bot-connector",
  "virtual-agent:genesysHandleUtteranceUriProperty": undefined,
  "virtual-agent:genesysBotConnectorUriProperty": "botConnectorUri",
};

let v2: StackRun;
let v1: StackRun;
beforeAll(async () => {
  v2 = await runStack("dev", { overrides: V2 });
  v1 = await runStack("dev");
});

function changed(run: StackRun, type: string, change: (r: CapturedResource) => void): CapturedResource[] {
  return run.cloud.resources.map((r) => {
    const copy: CapturedResource = { ...r, inputs: structuredClone(r.inputs), state: structuredClone(r.state) };
    if (copy.type === type) change(copy);
    return copy;
  });
}

test("a v2 stack meets the baseline and the Digital Bot Connector's policies", async () => {
  const run = await runPolicies(v2.cloud.resources, [...policies, ...digitalBotConnectorPolicies], { stack: "dev" });
  expect(describeFindings(run.violations)).toBe("");
  expect(run.examined["digital-bot-connector-base-uri"]).toBe(1);
  expect(run.examined["digital-replies-least-privilege"]).toBe(1);
});

test("a Bot Connector URI that already ends with /messages is refused with the fix", async () => {
  const resources = changed(v2, "genesyscloud:index/integration:Integration", (r) => {
    const properties = JSON.parse(r.inputs.config.properties as string) as Record<string, string>;
    r.inputs.config.properties = JSON.stringify({ botConnectorUri: `${properties.botConnectorUri}/messages` });
  });
  const run = await runPolicies(resources, digitalBotConnectorPolicies, { stack: "dev" });
  expect(run.violations.map((v) => v.message)).toEqual([expect.stringMatching(/goes past the base \/digitalbotconnector \(it ends with \/messages\).*Use the service URL \+ \/digitalbotconnector$/)]);
});

test("a sending role that also grants a wildcard or integration edits is refused, naming each extra permission", async () => {
  const resources = changed(v2, "genesyscloud:index/authRole:AuthRole", (r) => {
    r.inputs.permissionPolicies = [
      { domain: "integration", entityName: "botconnector", actionSets: ["edit", "send"] },
      { domain: "integrations", entityName: "integration", actionSets: ["*"] },
    ];
  });
  const run = await runPolicies(resources, digitalBotConnectorPolicies, { stack: "dev" });
  expect(run.violations.map((v) => v.message.split(";")[0])).toEqual([
    "the role that sends replies that come later also grants integrations:integration:*",
    "the role that sends replies that come later also grants integration:botconnector:edit",
  ]);
});

test("v1 stacks are untouched: their Handle Utterance URI and roles are not the v2 policies' business", async () => {
  const run = await runPolicies(v1.cloud.resources, digitalBotConnectorPolicies, { stack: "dev" });
  expect(run.violations).toEqual([]);
});
