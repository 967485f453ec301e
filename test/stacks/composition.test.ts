/**
 * The VirtualAgent composition on its own: its argument checks (before anything exists), and the wiring that the
 * stack tests cannot see in resource inputs: the integration's dependency on whatever serves the service URL.
 */
import path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { VirtualAgent } from "../../components/virtualAgent";
import { HANDOVER_CONTEXT_ENV, SERVICE_CLIENT_ENV, validateVirtualAgentArgs, type VirtualAgentArgs } from "../../components/wiring";
import { loadBotDefinitions } from "../../service/src/bots/load";
import { parseStackSettings, virtualAgentArgsFromSettings } from "../../stacks/settings/stack";
import { setupMocks, type MockCloud } from "../aws/mocks";
import { DEPLOYER_ENV, engineConfig, ROOT, stackFileConfig } from "./harness";

const definitions = loadBotDefinitions(path.join(ROOT, "service", "bots")).map((b) => b.definition);

function devArgs(): VirtualAgentArgs {
  const { values } = engineConfig(stackFileConfig("dev"));
  const { settings } = parseStackSettings(values, { stack: "dev", env: DEPLOYER_ENV });
  return virtualAgentArgsFromSettings(settings!, { definitions });
}

let cloud: MockCloud;
beforeAll(async () => {
  cloud = await setupMocks({ stack: "dev", region: "eu-central-1" });
});

describe("validateVirtualAgentArgs", () => {
  it("accepts the dev stack's arguments", () => {
    expect(validateVirtualAgentArgs(devArgs()).list).toEqual([]);
  });

  it("needs the org's region for the service's OAuth client, and owns the names it wires", () => {
    const args = devArgs();
    const withClient: VirtualAgentArgs = {
      ...args,
      genesysRegion: undefined,
      genesys: { ...args.genesys, serviceClient: { roles: [{ name: "VA" }] }, botListApi: {} },
      hosting: {
        ...args.hosting,
        secrets: { additional: { [SERVICE_CLIENT_ENV.clientSecret]: "mine" } },
        service: { ...args.hosting.service, environment: { [SERVICE_CLIENT_ENV.region]: "eu-west-1" } },
      },
    };
    expect(validateVirtualAgentArgs(withClient).list).toEqual([
      { propertyPath: "genesysRegion", reason: "is required with genesys.serviceClient: the service's OAuth client needs the org's region" },
      { propertyPath: "hosting.secrets.additional.GENESYS_CLIENT_SECRET", reason: "comes from genesys.serviceClient; leave it out" },
      { propertyPath: "hosting.service.environment.GENESYS_REGION", reason: "comes from genesysRegion; leave it out" },
    ]);
    expect(validateVirtualAgentArgs({ ...withClient, genesysRegion: "mars-1", hosting: args.hosting }).list).toEqual([
      { propertyPath: "genesysRegion", reason: '"mars-1" is not a Genesys Cloud region' },
    ]);
  });

  it("hand-over context needs the service's OAuth client and owns HANDOVER_CONTEXT", () => {
    const args = devArgs();
    expect(
      validateVirtualAgentArgs({
        ...args,
        handoverContext: true,
        hosting: { ...args.hosting, service: { ...args.hosting.service, environment: { [HANDOVER_CONTEXT_ENV.name]: "participant-data" } } },
      }).list.map((p) => p.propertyPath),
    ).toEqual(expect.arrayContaining(["handoverContext", "hosting.service.environment.HANDOVER_CONTEXT"]));
    const withClient: VirtualAgentArgs = { ...args, handoverContext: true, genesys: { ...args.genesys, serviceClient: { roles: [{ name: "VA" }] } } };
    expect(validateVirtualAgentArgs(withClient).list).toEqual([]);
  });

  it("reports the hosting's own rules under hosting.", () => {
    const args = devArgs();
    const problems = validateVirtualAgentArgs({ ...args, hosting: { ...args.hosting, service: { ...args.hosting.service, cpu: 300 } } }).list;
    expect(problems.map((p) => p.propertyPath)).toEqual(["hosting.service.cpu"]);
  });
});

describe("VirtualAgent", () => {
  it("refuses invalid arguments before registering anything", async () => {
    const args = devArgs();
    await cloud.build(() => {
      expect(() => new VirtualAgent("bad", { ...args, hosting: { ...args.hosting, service: { ...args.hosting.service, desiredCount: 0 } } })).toThrow(
        /virtual-agent:index:VirtualAgent "bad" has invalid arguments:\n {2}- hosting\.service\.desiredCount: must be an integer from 1 to 1000, got 0/,
      );
    });
    expect(cloud.resources).toEqual([]);
  });

  it("makes the integration depend on what serves the service URL, though the Genesys side is declared first", async () => {
    const agent = await cloud.build(() => new VirtualAgent("va", devArgs()));
    const names = async (o: pulumi.Output<unknown>) => [...(await pulumi.getAllResources(o))].map((r) => (r as unknown as { __name?: string }).__name);
    // API Gateway mode: the URL is the HTTP API's endpoint.
    expect(await names(agent.serviceUrl)).toContain("va-aws-endpoint-api");
    // The integration's URI input (so the integration, and the bot list, flow and Messenger after it) also waits
    // for the service to be deployed and healthy.
    expect(await names(agent.handleUtteranceUri)).toEqual(expect.arrayContaining(["va-aws-endpoint-api", "va-aws-service-service"]));
  });
});
