/**
 * The package's plain arguments → the components' arguments (components/package/mapping.ts): every rule before
 * anything exists, reported under the path a Python or YAML user wrote; the service image's build context staged
 * with the program's bots; and the check that the engine's Node.js dynamic-provider host can start.
 */
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parse as parseYaml } from "yaml";
import { contextDigest } from "../../components/aws/buildContext";
import type * as plain from "../../components/package/args";
import { DYNAMIC_PROVIDER_MODULE, dynamicProviderHostProblem } from "../../components/package/dynamicProviderHost";
import { plainProblem, prepareGenesysVirtualAgent, prepareHostedService, prepareVirtualAgent, SERVICE_DIR } from "../../components/package/mapping";
import { MAX_BOT_FILES, stagedContextPath, stageServiceContext } from "../../components/package/serviceContext";

const SAMPLE_BOTS = path.join(SERVICE_DIR, "bots");
const TYPE = "virtual-agent:index:VirtualAgent";

/** A program's directory with a copy of the sample bots in `bots/`. */
function programDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "va-program-"));
  cpSync(SAMPLE_BOTS, path.join(dir, "bots"), { recursive: true });
  return dir;
}

function genesys(overrides: Partial<plain.Genesys> = {}): plain.Genesys {
  return {
    namePrefix: "Acme VA",
    region: "eu-central-1",
    integrationType: { integrationTypeId: "genesys-botconnector", handleUtteranceUriProperty: "uri", credentialSlot: "userDefined", credentialType: "userDefined" },
    bots: { directory: "bots" },
    queue: { name: "Acme Support" },
    messenger: { allowedDomains: ["www.acme.example"] },
    ...overrides,
  };
}

/** The problems prepare reports, as `path: reason` lines. */
function problemsOf(prepare: () => unknown): string[] {
  try {
    prepare();
  } catch (err) {
    const errors = (err as { errors?: Array<{ propertyPath: string; reason: string }> }).errors;
    if (!errors) throw err;
    return errors.map((e) => `${e.propertyPath}: ${e.reason}`);
  }
  return [];
}

const dirs: string[] = [];
const dir = () => {
  const d = programDir();
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe("the staged build context", () => {
  it("is exactly what Docker gets from the service directory, with the program's bots in bots/", () => {
    const root = dir();
    const target = stagedContextPath("va");
    const first = stageServiceContext({ serviceDir: SERVICE_DIR, botsDir: "bots", target, workRoot: root });
    expect(first.written).toEqual(expect.arrayContaining([".dockerignore", "Dockerfile", "package.json", "package-lock.json", "bots/acme-support.yaml"]));
    // Same bots as the sample: the same content digest as building service/ itself, so the same image tag.
    const staged = path.join(root, target);
    const digest = (context: string) => contextDigest({ context, dockerfile: path.join(context, "Dockerfile"), settings: { platform: "linux/amd64" } });
    expect(digest(staged)).toBe(digest(SERVICE_DIR));
    // Nothing is rewritten when nothing changed.
    expect(stageServiceContext({ serviceDir: SERVICE_DIR, botsDir: "bots", target, workRoot: root })).toEqual({ written: [], removed: [] });
  });

  it("follows the program's bots: a changed bot is rewritten, a removed one removed, a stray file dropped", () => {
    const root = dir();
    const target = stagedContextPath("va");
    stageServiceContext({ serviceDir: SERVICE_DIR, botsDir: "bots", target, workRoot: root });
    const sample = readFileSync(path.join(root, "bots", "acme-support.yaml"), "utf8");
    writeFileSync(path.join(root, "bots", "acme-support.yaml"), `${sample}\n# changed\n`);
    writeFileSync(path.join(root, target, "src", "stray.ts"), "export {};\n");
    const before = contextDigest({ context: path.join(root, target), dockerfile: path.join(root, target, "Dockerfile"), settings: {} });
    expect(stageServiceContext({ serviceDir: SERVICE_DIR, botsDir: "bots", target, workRoot: root })).toEqual({ written: ["bots/acme-support.yaml"], removed: ["src/stray.ts"] });
    expect(readFileSync(path.join(root, target, "bots", "acme-support.yaml"), "utf8")).toContain("# changed");
    rmSync(path.join(root, "bots", "acme-support.yaml"));
    writeFileSync(path.join(root, "bots", "other.yaml"), sample);
    expect(stageServiceContext({ serviceDir: SERVICE_DIR, botsDir: "bots", target, workRoot: root })).toEqual({ written: ["bots/other.yaml"], removed: ["bots/acme-support.yaml"] });
    expect(contextDigest({ context: path.join(root, target), dockerfile: path.join(root, target, "Dockerfile"), settings: {} })).not.toBe(before);
  });

  it("keeps a file's mode, which Docker copies into the image", () => {
    const root = dir();
    chmodSync(path.join(root, "bots", "acme-support.yaml"), 0o600);
    stageServiceContext({ serviceDir: SERVICE_DIR, botsDir: "bots", target: stagedContextPath("va"), workRoot: root });
    chmodSync(path.join(root, "bots", "acme-support.yaml"), 0o644);
    expect(stageServiceContext({ serviceDir: SERVICE_DIR, botsDir: "bots", target: stagedContextPath("va"), workRoot: root }).written).toEqual(["bots/acme-support.yaml"]);
  });

  it("never writes or deletes outside .virtual-agent/, and refuses a directory of too many definitions", () => {
    const root = dir();
    expect(() => stageServiceContext({ serviceDir: SERVICE_DIR, botsDir: "bots", target: "bots", workRoot: root })).toThrow(/must lie inside .*\.virtual-agent/);
    expect(readFileSync(path.join(root, "bots", "acme-support.yaml"), "utf8")).toMatch(/\S/);
    mkdirSync(path.join(root, "many"));
    for (let i = 0; i <= MAX_BOT_FILES; i++) writeFileSync(path.join(root, "many", `bot-${i}.yaml`), "id: x\n");
    expect(() => stageServiceContext({ serviceDir: SERVICE_DIR, botsDir: "many", target: stagedContextPath("va"), workRoot: root })).toThrow(
      `holds ${MAX_BOT_FILES + 1} definition files; at most ${MAX_BOT_FILES} are built into the image`,
    );
  });
});

describe("the engine's Node.js dynamic-provider host", () => {
  it("starts from a TypeScript program's directory (this repository)", () => {
    expect(dynamicProviderHostProblem(path.join(__dirname, "..", ".."))).toBeUndefined();
  });

  it("cannot start from a Python or YAML program's directory, which is said with the fix", () => {
    const problem = dynamicProviderHostProblem(dir());
    expect(problem).toMatch(/pulumi\/pulumi#5455/);
    expect(problem).toContain(`npm install --save-exact @pulumi/pulumi@${(JSON.parse(readFileSync(require.resolve("@pulumi/pulumi/package.json"), "utf8")) as { version: string }).version}`);
    expect(problem).toContain(DYNAMIC_PROVIDER_MODULE);
  });

  it("stops VirtualAgent and GenesysVirtualAgent before anything exists", () => {
    const missing = () => {
      throw new Error("Cannot find module");
    };
    const root = dir();
    expect(problemsOf(() => prepareVirtualAgent(TYPE, "va", { genesys: genesys() }, { workRoot: root, resolve: missing }))).toEqual([expect.stringMatching(/^genesys\.bots: the Genesys bot list is a Node\.js dynamic resource/)]);
    expect(problemsOf(() => prepareGenesysVirtualAgent(TYPE, "va", { genesys: genesys(), serviceUrl: "https://bot.example.com" }, { workRoot: root, resolve: missing }))).toHaveLength(1);
  });
});

describe("prepareVirtualAgent", () => {
  const ok = { resolve: () => "/found" };

  it("maps a minimal program onto the composition: names from the prefix, the program's bots, defaults elsewhere", () => {
    const root = dir();
    const rich = prepareVirtualAgent(TYPE, "va", { genesys: genesys() }, { ...ok, workRoot: root });
    expect(rich.genesys.names).toEqual({
      integration: "Acme VA Bot Connector",
      credential: "Acme VA verify token",
      flow: "Acme VA Inbound Message",
      messenger: "Acme VA Messenger",
      serviceClient: "Acme VA service",
      handoverRole: "Acme VA hand-over context",
      repliesRole: "Acme VA replies later",
    });
    expect(rich.genesys.definitions.map((d) => d.id)).toEqual(["acme-support"]);
    expect(rich.genesys.queue).toEqual({ queueName: "Acme Support", existing: false });
    expect(rich.genesys.messenger).toMatchObject({ allowedDomains: ["www.acme.example"], allowAllDomains: false, launcher: { visibility: "On" }, conversation: { autoStart: true } });
    expect(rich.genesys.flow?.filePath).toBe(path.relative(process.cwd(), path.join(root, ".virtual-agent", "va", "architect-flow.yaml")));
    expect(rich.hosting.image?.build?.context).toBe(path.relative(process.cwd(), path.join(root, ".virtual-agent", "va", "service")));
    expect(rich.hosting.sessionTable).toEqual({ deletionProtection: true });
    expect(rich.genesys.serviceClient).toBeUndefined();
    expect(rich.handoverContext).toBe(false);
  });

  it("keeps a supplied verify token secret, and hand-over context adds its least-privilege role", async () => {
    const root = dir();
    const rich = prepareVirtualAgent(TYPE, "va", { genesys: genesys({ verifyToken: "supplied-token-0123456789", handoverContext: true, serviceClientRoles: [{ name: "Reader" }] }) }, { ...ok, workRoot: root });
    expect(await (pulumi.output(rich.genesys.botConnector.verifyToken) as unknown as { isSecret: Promise<boolean> }).isSecret).toBe(true);
    expect(rich.genesys.serviceClient?.roles).toEqual([{ name: "Reader" }, expect.objectContaining({ custom: expect.objectContaining({ roleName: "Acme VA hand-over context" }) })]);
    expect(rich).toMatchObject({ genesysRegion: "eu-central-1", handoverContext: true });
  });

  it("reports every mistake at once, under the plain paths, and stages nothing then", () => {
    const root = dir();
    const problems = problemsOf(() =>
      prepareVirtualAgent(
        TYPE,
        "va",
        {
          genesys: genesys({
            namePrefix: 'Acme "VA"',
            region: undefined,
            handoverContext: true,
            verifyTokenHeader: "verify token",
            queue: { name: "Acme {{Support}}" },
            flow: { followUpTimeout: "30 minutes", transferPriority: -1, intentActions: { Talk: { action: "transfer", priority: 1.5 } }, callBotConnectorTemplateFile: "missing.yaml" },
            messenger: { allowAllDomains: true, launcher: "Always" },
            serviceClientRoles: [{ name: "A", id: "b" }],
          }),
          hosting: {
            production: true,
            cpuArchitecture: "RISCV",
            network: { natGateways: "none", availabilityZones: 5 },
            service: { cpu: 300, logLevel: "verbose", logRetentionDays: 8 },
            endpoint: { hostedZoneId: "Z123", allowedSourceCidrs: ["203.0.113.0/24"] },
            tableDeletionProtection: false,
            kmsKeyArn: "alias/mine",
            secretsRecoveryWindowDays: 3,
          },
        },
        { ...ok, workRoot: root },
      ),
    );
    expect(problems).toEqual([
      "genesys.namePrefix: contains a double quote",
      "genesys.region: is required with serviceClientRoles or handoverContext: the service's OAuth client needs the org's region",
      'genesys.verifyTokenHeader: "verify token" is not a valid HTTP header name',
      "genesys.queue.name: contains {{ or }}",
      'genesys.messenger.launcher: must be On, Off or OnDemand, got "Always"',
      'genesys.flow.followUpTimeout: "30 minutes" is not an ISO 8601 duration such as PT12H or PT30M',
      "genesys.flow.transferPriority: must be a whole number, 0 or more, got -1",
      "genesys.flow.callBotConnectorTemplateFile: " + `cannot be read: ENOENT: no such file or directory, open '${path.join(root, "missing.yaml")}'`,
      "genesys.flow.intentActions.Talk.priority: must be a whole number, 0 or more, got 1.5",
      "genesys.serviceClientRoles[0]: give exactly one of name or id",
      'hosting.cpuArchitecture: must be X86_64 or ARM64, got "RISCV"',
      'hosting.network.natGateways: must be perZone or single, got "none"',
      'hosting.service.logLevel: must be fatal, error, warn, info, debug or trace, got "verbose"',
      "hosting.kmsKeyArn: must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>; IAM policies cannot name an alias)",
      "hosting.tableDeletionProtection: must stay on with production: the table holds live conversations",
      "hosting.endpoint.hostedZoneId: applies only with endpoint.domainName",
      "genesys.messenger.allowAllDomains: must be false with hosting.production: list the sites that embed the Messenger",
      expect.stringMatching(/^hosting\.network\.availabilityZones: must be 2 or 3, got 5/),
      expect.stringMatching(/^hosting\.endpoint\.allowedSourceCidrs: source ranges can be enforced only with a custom domain/),
      // Feeds two retention periods (the service's and the API's), reported once.
      expect.stringMatching(/^hosting\.service\.logRetentionDays: must be one of 1, 3, 5, 7, 14, 30, .*, 3653$/),
      "hosting.secretsRecoveryWindowDays: must be 0 or 7 to 30, got 3",
      "hosting.service.cpu: cpu 300 is not a Fargate size; use one of 256, 512, 1024, 2048, 4096, 8192, 16384",
    ]);
    expect(() => readFileSync(path.join(root, ".virtual-agent", "va", "service", "Dockerfile"))).toThrow(/ENOENT/);
  });

  it("judges the bots, the bot choice and the flow they make", () => {
    const root = dir();
    const withBots = (bots: plain.Bots, flow?: plain.Flow) => problemsOf(() => prepareVirtualAgent(TYPE, "va", { genesys: genesys({ bots, ...(flow ? { flow } : {}) }) }, { ...ok, workRoot: root }));
    expect(withBots({ directory: "nowhere" })).toEqual([expect.stringMatching(/^genesys\.bots\.directory: .*cannot read the bots directory/)]);
    expect(withBots({ directory: "bots", id: "someone-else" })).toEqual(['genesys.bots: no bot "someone-else" among the definitions (acme-support)']);
    expect(withBots({ directory: "bots" }, { intentActions: { Nonsense: { action: "transfer" } } })).toEqual([expect.stringMatching(/^genesys\.flow: intent actions name intents that bot acme-support version .* does not declare: Nonsense/)]);
    mkdirSync(path.join(root, "empty"));
    expect(withBots({ directory: "empty" })).toEqual([`genesys.bots.directory: ${path.join(root, "empty")} /: no bot definitions (*.yaml, *.yml, *.json) found`]);
  });

  it("keeps localhost off a production Messenger, and checks the Messenger against the bot's languages", () => {
    const root = dir();
    const problems = problemsOf(() =>
      prepareVirtualAgent(TYPE, "va", { genesys: genesys({ messenger: { allowedDomains: ["localhost:3000"], languages: ["en-us"], defaultLanguage: "de-de", primaryColor: "blue", botAvatarUrl: "http://x" } }), hosting: { production: true } }, { ...ok, workRoot: root }),
    );
    expect(problems).toEqual([
      'genesys.messenger.defaultLanguage: "de-de" is not one of languages (en-us)',
      'genesys.messenger.primaryColor: "blue" is not a colour such as #1d5aa6',
      "genesys.messenger.botAvatarUrl: must be an https URL",
      "genesys.messenger.allowedDomains: lists localhost:3000 with hosting.production; only public sites belong there",
    ]);
  });
});

describe("the Genesys side and the hosting alone", () => {
  const ok = { resolve: () => "/found" };

  it("GenesysVirtualAgent takes the service URL it is given", () => {
    const root = dir();
    const side = prepareGenesysVirtualAgent("virtual-agent:index:GenesysVirtualAgent", "gva", { genesys: genesys(), serviceUrl: "https://bot.example.com" }, { ...ok, workRoot: root });
    expect(side.serviceUrl).toBe("https://bot.example.com");
    expect(side.botListApi).toEqual({ region: "eu-central-1" });
  });

  it("HostedService wires the token in as a secret and builds with the program's bots", () => {
    const root = dir();
    const type = "virtual-agent:index:HostedService";
    const hosting = prepareHostedService(type, "hs", { verifyToken: "t".repeat(40), botsDirectory: "bots", hosting: { image: { buildOnPreview: true } } }, { workRoot: root });
    expect(hosting.service?.verifyTokenHeader).toBe("verify-token");
    expect(hosting.image?.build).toEqual({ buildOnPreview: true, context: path.relative(process.cwd(), path.join(root, ".virtual-agent", "hs", "service")) });
    expect(problemsOf(() => prepareHostedService(type, "hs", { verifyToken: "t", verifyTokenHeader: "a b", botsDirectory: "nowhere", hosting: { service: { desiredCount: 0 } } }, { workRoot: root }))).toEqual([
      'verifyTokenHeader: "a b" is not a valid HTTP header name',
      expect.stringMatching(/^botsDirectory: .*cannot read the bots directory/),
      "hosting.service.desiredCount: must be an integer from 1 to 1000, got 0",
    ]);
  });

  it("a prebuilt image stages nothing", () => {
    const root = dir();
    const digest = `sha256:${"a".repeat(64)}`;
    const hosting = prepareHostedService("virtual-agent:index:HostedService", "hs", { verifyToken: "t", botsDirectory: "bots", hosting: { image: { prebuiltDigest: digest } } }, { workRoot: root });
    expect(hosting.image).toEqual({ prebuiltDigest: digest, forceDelete: false });
    expect(() => readFileSync(path.join(root, ".virtual-agent", "hs", "service", "Dockerfile"))).toThrow(/ENOENT/);
  });
});

describe("component rule paths", () => {
  it.each([
    ["genesysRegion", "genesys.region"],
    ["hosting.image.cpuArchitecture", "hosting.cpuArchitecture"],
    ["hosting.endpoint.domain.name", "hosting.endpoint.domainName"],
    ["hosting.endpoint.domain", "hosting.endpoint.hostedZoneId"],
    ["hosting.endpoint.publicSubnetIds", "hosting.network.existing.publicSubnetIds"],
    ["hosting.service.autoscaling.maxCount", "hosting.service.maxCount"],
    ["hosting.secrets.recoveryWindowInDays", "hosting.secretsRecoveryWindowDays"],
    ["hosting.service.cpu", "hosting.service.cpu"],
  ])("%s is reported as %s", (rich, plainPath) => {
    expect(plainProblem({ propertyPath: rich, reason: "r" }).propertyPath).toBe(plainPath);
  });
});

describe("docs/component-package.md", () => {
  it("its YAML program's arguments are accepted as they stand", () => {
    const doc = readFileSync(path.join(__dirname, "..", "..", "docs", "component-package.md"), "utf8");
    const program = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => parseYaml(m[1]!) as { resources?: Record<string, { type: string; properties: plain.VirtualAgentArgs }> }).find((p) => p.resources);
    const support = program!.resources!.support!;
    expect(support.type).toBe("virtual-agent:index:VirtualAgent");
    const root = dir();
    const rich = prepareVirtualAgent(support.type, "support", support.properties, { workRoot: root, resolve: () => "/found" });
    expect(rich.genesys.flow?.intentActions).toEqual({ AgentRequested: { action: "transfer", priority: 5 } });
  });
});
