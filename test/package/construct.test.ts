/**
 * The package's components built the way a program in another language gets them: the SDK generated for
 * Python, Go, C# or YAML registers a remote component, and the engine calls the plugin's `construct` with the
 * inputs deserialized from protobuf, that is plain JSON (numbers, booleans, nested objects), with secrets as
 * secret Outputs. Here that call goes to the ComponentProvider the plugin runner builds (./runtime.ts), under the
 * Pulumi mocks, and the tests look at the resources it registers.
 */
import path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { type ComponentProvider } from "@pulumi/pulumi/provider/experimental";
import { VirtualAgent as StackVirtualAgent } from "../../components/virtualAgent";
import { loadBotDefinitions } from "../../service/src/bots/load";
import { parseStackSettings, virtualAgentArgsFromSettings } from "../../stacks/settings/stack";
import { type CapturedResource, isSecretInput, type MockCloud, plainInput, promiseOf, setupMocks } from "../aws/mocks";
import { DEPLOYER_ENV, engineConfig, ROOT, stackFileConfig } from "../stacks/harness";
import { pluginComponentProvider } from "./runtime";

/** A whole composition under the mocks is CPU work; on a loaded machine it takes far longer than the default. */
const COMPOSITION_TIMEOUT = 180_000;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- inputs as they come off the wire
type Json = Record<string, any>;

/** The dev stack's choices as a Python or YAML program writes them (see stacks/Pulumi.dev.yaml). */
function devInputs(): Json {
  return JSON.parse(
    JSON.stringify({
      genesys: {
        namePrefix: "Acme Virtual Agent DEV",
        region: "eu-central-1",
        integrationType: {
          integrationTypeId: "genesys-botconnector",
          handleUtteranceUriProperty: "botConnectorHandleUtteranceUri",
          credentialSlot: "userDefined",
          credentialType: "userDefined",
        },
        bots: { directory: "service/bots" },
        queue: { name: "Acme Virtual Agent DEV Hand-over" },
        flow: { followUpTimeout: "PT30M" },
        messenger: { allowedDomains: ["localhost", "dev.acme.example"], botDisplayName: "Ava (dev)" },
      },
      hosting: {
        network: { natGateways: "single" },
        image: { forceDelete: true },
        service: { cpu: 256, memory: 512, desiredCount: 1, maxCount: 2, logLevel: "debug", logRetentionDays: 7 },
        tableDeletionProtection: false,
        secretsRecoveryWindowDays: 7,
      },
    }),
  ) as Json;
}

/** Type and name of everything registered, but providers: what, with the parents, makes the URNs in a stack's state. */
const registered = (cloud: MockCloud) =>
  cloud.resources
    .filter((r) => !r.type.startsWith("pulumi:providers:"))
    .map((r) => `${r.type} ${r.name}`)
    .sort();

/** Resources with `needle` in an input that is not a secret (the mocks see secrets in their wire form). */
function plainTextHolders(resources: CapturedResource[], needle: string): string[] {
  const inPlainText = (value: unknown): boolean => {
    if (isSecretInput(value)) return false;
    if (typeof value === "string") return value.includes(needle);
    if (value !== null && typeof value === "object") return Object.values(value).some(inPlainText);
    return false;
  };
  return resources.filter((r) => inPlainText(r.inputs)).map((r) => `${r.type} ${r.name}`);
}

const isSecretOutput = (value: unknown) => (value as { isSecret: Promise<boolean> }).isSecret;

let cloud: MockCloud;
let provider: ComponentProvider;
beforeAll(async () => {
  cloud = await setupMocks({ stack: "dev", region: "eu-central-1" });
  provider = pluginComponentProvider(path.join(ROOT, "components"));
  // The plugin infers the schema before its first construct (the engine asks for it first); so does this.
  await provider.getSchema();
}, 240_000);

describe("VirtualAgent through construct", () => {
  it("creates the Genesys side and the hosting from plain inputs, with the secret token kept secret", async () => {
    const inputs = devInputs();
    inputs.genesys.verifyToken = pulumi.secret("token-from-a-python-program-0123456789abcdef");
    const result = await cloud.build(() => provider.construct("va-construct", "virtual-agent:index:VirtualAgent", inputs, {}));
    const constructed = await result;
    await cloud.settle();

    expect(await promiseOf(constructed.urn)).toBe("urn:pulumi:dev::virtual-agent::virtual-agent:index:VirtualAgent::va-construct");
    expect(cloud.one("virtual-agent:genesys:VirtualAgent").name).toBe("va-construct-genesys");
    expect(cloud.one("virtual-agent:aws:HostedService").name).toBe("va-construct-aws");

    const integration = cloud.one("genesyscloud:index/integration:Integration");
    expect(integration.inputs.config.name).toBe("Acme Virtual Agent DEV Bot Connector");
    expect(cloud.one("genesyscloud:index/routingQueue:RoutingQueue").inputs.name).toBe("Acme Virtual Agent DEV Hand-over");
    expect(cloud.one("genesyscloud:index/flow:Flow").inputs.filepath).toBe(path.join(".virtual-agent", "va-construct", "architect-flow.yaml"));
    expect(cloud.one("aws:ecs/taskDefinition:TaskDefinition").inputs).toMatchObject({ cpu: "256", memory: "512" });
    expect(cloud.one("aws:ec2/natGateway:NatGateway")).toBeDefined();
    // The image is built from the package's service with the program's bots, staged next to the program.
    expect(cloud.one("docker:index/image:Image").inputs.build.context).toBe(path.join(".virtual-agent", "va-construct", "service"));

    // The supplied token reaches the integration credential and the service's secret as a secret, nowhere in plain text.
    const token = "token-from-a-python-program-0123456789abcdef";
    const fields = cloud.one("genesyscloud:index/integrationCredential:IntegrationCredential").inputs.fields;
    expect(isSecretInput(fields)).toBe(true);
    expect(plainInput(fields)).toEqual({ "verify-token": token });
    const versions = cloud.ofType("aws:secretsmanager/secretVersion:SecretVersion").filter((v) => plainInput(v.inputs.secretString) === token);
    expect(versions.map((v) => isSecretInput(v.inputs.secretString))).toEqual([true]);
    expect(plainTextHolders(cloud.resources, token)).toEqual([]);

    // What construct hands back to the engine: the schema's outputs, resolved.
    expect(Object.keys(constructed.state).sort()).toEqual(
      ["deploymentId", "flowId", "handleUtteranceUri", "imageRef", "integrationId", "logGroupName", "queueId", "serviceUrl", "sessionTableName", "snippet", "testPageHtml"],
    );
    expect(await promiseOf(constructed.state.handleUtteranceUri as pulumi.Output<string>)).toMatch(/^https:\/\/.+\/botconnector\/messages$/);
  }, COMPOSITION_TIMEOUT);

  it("registers the same types and names as the stack program's VirtualAgent, so a stack can move to the package", async () => {
    const { values } = engineConfig(stackFileConfig("dev"));
    const { settings } = parseStackSettings(values, { stack: "dev", env: DEPLOYER_ENV });
    const definitions = loadBotDefinitions(path.join(ROOT, "service", "bots")).map((b) => b.definition);
    await cloud.build(() => new StackVirtualAgent("va", virtualAgentArgsFromSettings(settings!, { definitions })));
    const fromStack = registered(cloud);

    await cloud.build(() => provider.construct("va", "virtual-agent:index:VirtualAgent", devInputs(), {}));
    await cloud.settle();
    expect(registered(cloud)).toEqual(fromStack);
    expect(fromStack.length).toBeGreaterThan(40);
  }, COMPOSITION_TIMEOUT);

  it("refuses inputs another language got wrong before anything is registered, naming the plain paths", async () => {
    const inputs = devInputs();
    inputs.genesys.messenger.launcher = "Sometimes";
    inputs.genesys.flow.intentActions = { Unknown: { action: "escalate" } };
    inputs.hosting.service.maxCount = 0;
    inputs.hosting.service.logLevel = "loud";
    cloud.reset();
    await expect(provider.construct("va-bad", "virtual-agent:index:VirtualAgent", inputs, {})).rejects.toThrow(
      new RegExp(
        [
          'virtual-agent:index:VirtualAgent "va-bad" has invalid arguments:',
          "  - genesys.messenger.launcher: must be On, Off or OnDemand, got \"Sometimes\"",
          '  - genesys.flow.intentActions.Unknown.action: must be transfer or disconnect, got "escalate"',
          '  - hosting.service.logLevel: must be fatal, error, warn, info, debug or trace, got "loud"',
          // The hosting's own rules, in the same report, under the plain path.
          "  - hosting.service.maxCount: must be an integer from 1 to 1000, got 0",
          "  - hosting.service.maxCount: must be at least desiredCount (1), got 0",
        ]
          .map((line) => line.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
          .join("\\n"),
      ),
    );
    await cloud.settle();
    expect(cloud.resources).toEqual([]);
  }, COMPOSITION_TIMEOUT);
});

describe("the Genesys side and the hosting alone through construct", () => {
  it("GenesysVirtualAgent points the integration at a service hosted elsewhere and hands out its token", async () => {
    const aliases: Array<{ type: string; aliases: unknown }> = [];
    const record: pulumi.ResourceTransformation = (args) => {
      if (args.type === "virtual-agent:genesys:VirtualAgent") aliases.push({ type: args.type, aliases: args.opts.aliases });
      return undefined;
    };
    const { genesys } = devInputs();
    const constructed = await cloud.build(() =>
      provider.construct("gva", "virtual-agent:index:GenesysVirtualAgent", { genesys, serviceUrl: "https://bot.example.com" }, { transformations: [record] }),
    );
    const result = await constructed;
    await cloud.settle();
    expect(cloud.ofType("virtual-agent:aws:HostedService")).toEqual([]);
    expect(await promiseOf(result.state.handleUtteranceUri as pulumi.Output<string>)).toBe("https://bot.example.com/botconnector/messages");
    expect(await isSecretOutput(result.state.verifyToken)).toBe(true);
    // The existing component, aliased to the top level where a TypeScript program that used it directly had it.
    expect(aliases).toEqual([{ type: "virtual-agent:genesys:VirtualAgent", aliases: [{ parent: undefined }] }]);
    expect(cloud.one("virtual-agent:genesys:VirtualAgent").name).toBe("gva");
  }, COMPOSITION_TIMEOUT);

  it("HostedService runs the service with a token from elsewhere, kept secret", async () => {
    const { hosting } = devInputs();
    const inputs = { verifyToken: pulumi.secret("a-token-genesys-already-has-0123456789"), botsDirectory: "service/bots", hosting };
    const constructed = await cloud.build(() => provider.construct("hs", "virtual-agent:index:HostedService", inputs, {}));
    const result = await constructed;
    await cloud.settle();
    expect(cloud.ofType("genesyscloud:index/integration:Integration")).toEqual([]);
    expect(cloud.one("virtual-agent:aws:HostedService").name).toBe("hs");
    expect(plainTextHolders(cloud.resources, "a-token-genesys-already-has")).toEqual([]);
    expect(cloud.ofType("aws:secretsmanager/secretVersion:SecretVersion").map((v) => isSecretInput(v.inputs.secretString))).toEqual([true]);
    expect(await promiseOf(result.state.url as pulumi.Output<string>)).toMatch(/^https:\/\//);
    expect(await promiseOf(result.state.endpointMode as pulumi.Output<string>)).toBe("api-gateway");
  }, COMPOSITION_TIMEOUT);
});
