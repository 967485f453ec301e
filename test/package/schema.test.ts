/**
 * The component package's schema, as Pulumi infers it when a program in another language adds the package: the
 * plugin runs exactly as the nodejs language host runs it (./pluginHost.ts), in the working directory of a
 * program that has no node_modules and no tsconfig.json (a Python or YAML program), and GetSchema answers with
 * what `ComponentProvider.getSchema()` builds from the TypeScript declarations. The generated SDKs follow from
 * this schema: its components, their required and optional inputs, their outputs and every description.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PACKAGE_NAME, PACKAGE_TYPES } from "../../components/package/components";
import { VIRTUAL_AGENT_STACK_TYPE } from "../../components/virtualAgent";
import { getSchema, type RunningPlugin, startPlugin } from "./pluginHost";

const ROOT = path.join(__dirname, "..", "..");
const PLUGIN_DIR = path.join(ROOT, "components");

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the schema is untyped JSON
type Json = Record<string, any>;

const token = (name: string) => `${PACKAGE_NAME}:index:${name}`;
const ref = (name: string) => `#/types/${token(name)}`;

let programDir: string;
let plugin: RunningPlugin | undefined;
let schema: Json;

beforeAll(async () => {
  programDir = mkdtempSync(path.join(os.tmpdir(), "va-python-program-"));
  plugin = await startPlugin(PLUGIN_DIR, programDir);
  schema = await getSchema(plugin.port);
}, 240_000);

afterAll(async () => {
  await plugin?.stop();
  rmSync(programDir, { recursive: true, force: true });
});

describe("the package", () => {
  it("is named by components/package.json and versioned with the repository", () => {
    const pkg = JSON.parse(readFileSync(path.join(PLUGIN_DIR, "package.json"), "utf8")) as Json;
    const root = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as Json;
    expect(schema.name).toBe(PACKAGE_NAME);
    expect(pkg.name).toBe(PACKAGE_NAME);
    expect(schema.version).toBe(pkg.version);
    expect(pkg.version).toBe(root.version);
    expect(pkg.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(schema.description).toBe(pkg.description);
    // The folder is a workspace of the repository, so installing it installs what its code imports from service/.
    expect(root.workspaces).toEqual(["components"]);
  });

  it("offers exactly VirtualAgent, GenesysVirtualAgent and HostedService, under the types their classes register", () => {
    expect(Object.keys(schema.resources).sort()).toEqual([token("GenesysVirtualAgent"), token("HostedService"), token("VirtualAgent")]);
    for (const [className, type] of Object.entries(PACKAGE_TYPES)) expect(type).toBe(token(className));
    // The stack program's composition has always registered this type: stacks keep their state.
    expect(PACKAGE_TYPES.VirtualAgent).toBe(VIRTUAL_AGENT_STACK_TYPE);
    for (const resource of Object.values(schema.resources) as Json[]) {
      expect(resource.isComponent).toBe(true);
      expect(resource.description).toEqual(expect.stringMatching(/\S{3}/));
    }
  });

  it("describes every input, output and type property (the generated SDKs' documentation)", () => {
    const undocumented: string[] = [];
    const check = (where: string, properties: Json | undefined) => {
      for (const [name, property] of Object.entries(properties ?? {}) as Array<[string, Json]>) {
        if (typeof property.description !== "string" || property.description.trim() === "") undocumented.push(`${where}.${name}`);
      }
    };
    for (const [type, resource] of Object.entries(schema.resources) as Array<[string, Json]>) {
      check(`${type} input`, resource.inputProperties);
      check(`${type} output`, resource.properties);
    }
    for (const [type, definition] of Object.entries(schema.types) as Array<[string, Json]>) check(type, definition.properties);
    expect(undocumented).toEqual([]);
  });

  it("uses no enums, unions or references to other components", () => {
    const text = JSON.stringify(schema);
    expect(text).not.toMatch(/"enum"|"oneOf"|#\/resources\//);
    expect(schema.dependencies ?? []).toEqual([]);
  });
});

describe("VirtualAgent", () => {
  const va = () => schema.resources[token("VirtualAgent")] as Json;

  it("takes the Genesys side (required) and the hosting (optional) as plain objects", () => {
    expect(va().inputProperties).toEqual({
      genesys: { $ref: ref("Genesys"), plain: true, description: expect.any(String) },
      hosting: { $ref: ref("Hosting"), plain: true, optional: true, description: expect.any(String) },
    });
    expect(va().requiredInputs).toEqual(["genesys"]);
  });

  it("outputs the endpoint, the Genesys objects and the AWS names, all always set", () => {
    const outputs = [
      "deploymentId",
      "flowId",
      "handleUtteranceUri",
      "imageRef",
      "integrationId",
      "logGroupName",
      "queueId",
      "serviceUrl",
      "sessionTableName",
      "snippet",
      "testPageHtml",
    ];
    expect(Object.keys(va().properties).sort()).toEqual(outputs);
    expect(va().required).toEqual(outputs);
    for (const output of Object.values(va().properties) as Json[]) expect(output.type).toBe("string");
  });
});

describe("GenesysVirtualAgent and HostedService", () => {
  it("the Genesys side alone needs the service URL as an input and gives the service what it needs", () => {
    const genesys = schema.resources[token("GenesysVirtualAgent")] as Json;
    expect(genesys.requiredInputs).toEqual(["genesys", "serviceUrl"]);
    expect(genesys.inputProperties.serviceUrl).toEqual({ type: "string", description: expect.any(String) });
    expect(genesys.properties).toHaveProperty("verifyToken");
    expect(genesys.properties).toHaveProperty("verifyTokenHeader");
    expect(genesys.properties.serviceClientId.optional).toBe(true);
    expect(genesys.required).not.toContain("serviceClientSecret");
  });

  it("the hosting alone needs the verify token (an input, so it can stay secret) and the bots", () => {
    const hosting = schema.resources[token("HostedService")] as Json;
    expect(hosting.requiredInputs).toEqual(["botsDirectory", "verifyToken"]);
    expect(hosting.inputProperties.verifyToken.plain).toBeUndefined();
    expect(hosting.inputProperties.botsDirectory.plain).toBe(true);
    expect(Object.keys(hosting.properties).sort()).toEqual(["clusterName", "endpointMode", "imageRef", "logGroupName", "repositoryUrl", "serviceName", "tableName", "url"]);
  });
});

describe("the argument types", () => {
  const type = (name: string) => schema.types[token(name)] as Json;

  it("are the plain objects of components/package/args.ts", () => {
    expect(Object.keys(schema.types).sort()).toEqual(
      [
        "Bots",
        "Endpoint",
        "ExistingNetwork",
        "Flow",
        "Genesys",
        "HandoverQueue",
        "Hosting",
        "Image",
        "IntegrationType",
        "IntentAction",
        "Messenger",
        "Network",
        "Service",
        "ServiceClientRole",
      ].map(token),
    );
    for (const definition of Object.values(schema.types) as Json[]) expect(definition.type).toBe("object");
  });

  it("mark what is required", () => {
    expect(type("Genesys").required).toEqual(["bots", "integrationType", "messenger", "namePrefix", "queue"]);
    expect(type("IntegrationType").required).toEqual(["credentialSlot", "credentialType", "handleUtteranceUriProperty", "integrationTypeId"]);
    expect(type("Bots").required).toEqual(["directory"]);
    expect(type("HandoverQueue").required).toEqual(["name"]);
    expect(type("IntentAction").required).toEqual(["action"]);
    expect(type("ExistingNetwork").required).toEqual(["privateSubnetIds", "vpcId"]);
    for (const optionalOnly of ["Flow", "Messenger", "ServiceClientRole", "Hosting", "Network", "Image", "Endpoint", "Service"]) expect(type(optionalOnly).required).toEqual([]);
  });

  it("take values known when the program runs as plain values, and resource outputs and secrets as inputs", () => {
    const genesys = type("Genesys").properties as Json;
    expect(genesys.namePrefix).toMatchObject({ type: "string", plain: true });
    expect(genesys.verifyToken.plain).toBeUndefined();
    expect(type("ExistingNetwork").properties.vpcId.plain).toBeUndefined();
    expect(type("ExistingNetwork").properties.privateSubnetIds).toMatchObject({ type: "array", plain: true, items: { type: "string" } });
    expect(type("Endpoint").properties.hostedZoneId.plain).toBeUndefined();
    expect(type("Service").properties.cpu).toMatchObject({ type: "number", plain: true, optional: true });
  });

  it("map intent names to actions and tag names to values", () => {
    expect(type("Flow").properties.intentActions).toMatchObject({ type: "object", additionalProperties: { $ref: ref("IntentAction") } });
    expect(type("Hosting").properties.tags).toMatchObject({ type: "object", additionalProperties: { type: "string" } });
    expect(type("Genesys").properties.serviceClientRoles).toMatchObject({ type: "array", items: { $ref: ref("ServiceClientRole") } });
  });

  it("list the allowed values of the choices in their descriptions", () => {
    expect(type("Messenger").properties.launcher.description).toMatch(/`On`, `Off` or `OnDemand`/);
    expect(type("Hosting").properties.cpuArchitecture.description).toMatch(/`X86_64` or `ARM64`/);
    expect(type("Network").properties.natGateways.description).toMatch(/`perZone`.*`single`/);
    expect(type("Service").properties.logLevel.description).toMatch(/fatal, error, warn, info, debug or trace/);
    expect(type("IntentAction").properties.action.description).toMatch(/`transfer`.*`disconnect`/);
  });
});
