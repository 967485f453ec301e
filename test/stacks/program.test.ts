/**
 * The stack program (stacks/index.ts) under mocks, once per committed stack file: the whole resource graph,
 * the wiring between the Genesys side and the AWS hosting, secrets kept secret, the differences between the
 * environments, and the stack outputs.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parse as parseYaml } from "yaml";
import { toKeyed } from "../../components/genesys/botList/model";
import { buildBotList } from "../../service/src/bots/botList";
import virtualAgentStack from "../../stacks";
import { loadBotDefinitions } from "../../service/src/bots/load";
import { type CapturedResource, isSecretInput, json, plainInput, promiseOf } from "../aws/mocks";
import { withoutSecrets } from "../genesys/harness";
import { DEPLOYER_ENV, NETWORK_STACK_OUTPUTS, ROOT, runStack, type StackRun, STACKS } from "./harness";

const T = {
  provider: "pulumi:providers:genesyscloud",
  integration: "genesyscloud:index/integration:Integration",
  credential: "genesyscloud:index/integrationCredential:IntegrationCredential",
  flow: "genesyscloud:index/flow:Flow",
  queue: "genesyscloud:index/routingQueue:RoutingQueue",
  messengerConfig: "genesyscloud:index/webdeploymentsConfiguration:WebdeploymentsConfiguration",
  deployment: "genesyscloud:index/webdeploymentsDeployment:WebdeploymentsDeployment",
  oauthClient: "genesyscloud:index/oauthClient:OauthClient",
  authRole: "genesyscloud:index/authRole:AuthRole",
  botList: "pulumi-nodejs:dynamic/genesys:BotList",
  token: "random:index/randomPassword:RandomPassword",
  secret: "aws:secretsmanager/secret:Secret",
  secretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
  taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
  service: "aws:ecs/service:Service",
  loadBalancer: "aws:lb/loadBalancer:LoadBalancer",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  table: "aws:dynamodb/table:Table",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  vpc: "aws:ec2/vpc:Vpc",
  nat: "aws:ec2/natGateway:NatGateway",
  record: "aws:route53/record:Record",
  api: "aws:apigatewayv2/api:Api",
  scaling: "aws:appautoscaling/target:Target",
  repository: "aws:ecr/repository:Repository",
  image: "docker:index/image:Image",
} as const;

const definitions = loadBotDefinitions(path.join(ROOT, "service", "bots")).map((b) => b.definition);

interface Container {
  environment: Array<{ name: string; value: string }>;
  secrets: Array<{ name: string; valueFrom: string }>;
}
const containerOf = (run: StackRun): Container => json<Container[]>(run.cloud.one(T.taskDefinition).inputs.containerDefinitions)[0]!;
const envOf = (run: StackRun) => Object.fromEntries(containerOf(run).environment.map((e) => [e.name, e.value]));
/** Environment variable → the value stored in its Secrets Manager secret (through the ARN the container references). */
function secretValues(run: StackRun): Record<string, { value: string; secret: boolean }> {
  const out: Record<string, { value: string; secret: boolean }> = {};
  for (const { name, valueFrom } of containerOf(run).secrets) {
    const version = run.cloud.ofType(T.secretVersion).find((v) => v.state.arn === valueFrom);
    if (!version) throw new Error(`no secret version behind ${name} (${valueFrom})`);
    out[name] = { value: plainInput<string>(version.inputs.secretString), secret: isSecretInput(version.inputs.secretString) };
  }
  return out;
}

it("is what `pulumi` runs at the repository root: package.json's main, exporting the program as a function", () => {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { main: string };
  expect(pkg.main).toBe("stacks/index.ts");
  expect(existsSync(path.join(ROOT, pkg.main))).toBe(true);
  // Pulumi's nodejs runtime calls an exported function and takes its result as the stack outputs.
  expect(typeof virtualAgentStack).toBe("function");
});

const runs: Partial<Record<(typeof STACKS)[number], StackRun>> = {};
const run = (stack: (typeof STACKS)[number]) => runs[stack]!;
/** Runs a stack's program once, in a hook of its own: each is the heavy part of the tests that read it. */
const built = (stack: (typeof STACKS)[number]) =>
  beforeAll(async () => {
    runs[stack] ??= await runStack(stack);
  });

describe.each(STACKS)("the %s stack", (stack) => {
  built(stack);
  it("creates the whole virtual agent: every Genesys object and the hosted service, once", () => {
    const { cloud } = run(stack);
    for (const type of [T.provider, T.integration, T.credential, T.flow, T.messengerConfig, T.deployment, T.botList, T.token, T.taskDefinition, T.service, T.loadBalancer, T.table, T.repository, T.scaling]) {
      expect(cloud.ofType(type)).toHaveLength(1);
    }
    expect(cloud.one("virtual-agent:index:VirtualAgent").name).toBe("va");
    // Components and children are named from their parents, so names never collide.
    for (const r of cloud.resources) if (r.type !== T.provider && !r.type.startsWith("pulumi:pulumi:")) expect(r.name).toMatch(/^va(-|$)/);
  });

  it("configures the Genesys provider explicitly and creates every Genesys object with it", () => {
    const { cloud } = run(stack);
    const provider = cloud.one(T.provider);
    expect(provider.inputs.awsRegion).toBe("eu-central-1");
    expect(isSecretInput(provider.inputs.oauthclientSecret)).toBe(true);
    expect(plainInput(provider.inputs.oauthclientSecret)).toBe(DEPLOYER_ENV.GENESYSCLOUD_OAUTHCLIENT_SECRET);
    expect(plainInput(provider.inputs.oauthclientId)).toBe(DEPLOYER_ENV.GENESYSCLOUD_OAUTHCLIENT_ID);
    const genesysResources = cloud.resources.filter((r) => r.type.startsWith("genesyscloud:"));
    expect(genesysResources.length).toBeGreaterThanOrEqual(5);
    for (const r of genesysResources) expect(r.provider).toMatch(/::pulumi:providers:genesyscloud::genesyscloud::/);
    // The Genesys lookups go through the same provider.
    for (const invoke of cloud.invokes.filter((i) => i.token.startsWith("genesyscloud:"))) {
      expect(invoke.provider).toMatch(/::pulumi:providers:genesyscloud::genesyscloud::/);
    }
  });

  it("points the integration at the hosted service's HTTPS URL", async () => {
    const { cloud, outputs } = run(stack);
    const serviceUrl = await promiseOf(outputs.serviceUrl as never as string);
    expect(serviceUrl).toMatch(/^https:\/\/[a-z0-9.-]+$/);
    const integration = cloud.one(T.integration).inputs;
    expect(integration.intendedState).toBe("ENABLED");
    expect(JSON.parse(integration.config.properties)).toEqual({ botConnectorHandleUtteranceUri: `${serviceUrl}/botconnector/messages` });
    expect(await promiseOf(outputs.handleUtteranceUri)).toBe(`${serviceUrl}/botconnector/messages`);
  });

  it("gives the service the integration's verify token, as the same secret, under the credential's header", () => {
    const r = run(stack);
    const token = r.cloud.one(T.token).state.result as string;
    expect(token).toMatch(/^[a-z0-9]{48}$/);
    const fields = r.cloud.one(T.credential).inputs.fields;
    expect(isSecretInput(fields)).toBe(true);
    expect(plainInput(fields)).toEqual({ "verify-token": token });
    expect(secretValues(r).VERIFY_TOKEN).toEqual({ value: token, secret: true });
    expect(envOf(r).VERIFY_TOKEN_HEADER).toBe("verify-token");
  });

  it("registers the bot definitions as the bot list and calls the bot from the flow, after the list", () => {
    const { cloud } = run(stack);
    const botList = cloud.one(T.botList);
    expect(botList.inputs.bots).toEqual(toKeyed(buildBotList(definitions)));
    expect(botList.inputs.integrationId).toBe(cloud.one(T.integration).id);
    expect(botList.inputs.region).toBe("eu-central-1");
    const flow = cloud.one(T.flow).inputs;
    expect(flow.substitutions).toMatchObject({ bot_name: definitions[0]!.name, bot_integration_name: cloud.one(T.integration).inputs.config.name });
    expect(flow.filepath).toBe(`out/flows/${stack}.yaml`);
    const file = path.join(ROOT, flow.filepath as string);
    expect(existsSync(file)).toBe(true);
    expect(parseYaml(readFileSync(file, "utf8"))).toHaveProperty("inboundShortMessage");
  });

  it("sends new Messenger conversations to the flow", async () => {
    const { cloud, outputs } = run(stack);
    const deployment = cloud.one(T.deployment);
    expect(deployment.inputs.flowId).toBe(cloud.one(T.flow).id);
    expect(deployment.inputs.allowAllDomains).toBe(false);
    expect((deployment.inputs.allowedDomains as string[]).length).toBeGreaterThan(0);
    expect(await promiseOf(outputs.messengerDeploymentId)).toBe(deployment.id);
    expect(await promiseOf(outputs.messengerSnippet)).toContain(`deploymentId: '${deployment.id}'`);
    expect(await promiseOf(outputs.testPageHtml)).toContain(deployment.id);
  });

  it("exports the flat outputs a pipeline and people need", async () => {
    const { cloud, outputs } = run(stack);
    expect(Object.keys(outputs).sort()).toEqual(
      [
        "awsRegion",
        "endpointMode",
        "flowId",
        "flowName",
        "genesysProtocol",
        "genesysRegion",
        "handleUtteranceUri",
        "imageRef",
        "integrationId",
        "logGroupName",
        "messengerDeploymentId",
        "messengerSnippet",
        "queueId",
        "serviceUrl",
        "sessionTableName",
        "testPageHtml",
      ].sort(),
    );
    expect(await promiseOf(outputs.integrationId)).toBe(cloud.one(T.integration).id);
    expect(await promiseOf(outputs.flowId)).toBe(cloud.one(T.flow).id);
    expect(await promiseOf(outputs.sessionTableName)).toBe(cloud.one(T.table).state.name);
    expect(envOf(run(stack)).SESSION_TABLE).toBe(cloud.one(T.table).state.name);
    expect(await promiseOf(outputs.imageRef)).toMatch(/@sha256:[0-9a-f]{64}$/);
  });

  it("keeps secrets secret: no token, client secret or deployer secret in plain inputs, state or outputs", async () => {
    const r = run(stack);
    const secrets = [r.cloud.one(T.token).state.result as string, DEPLOYER_ENV.GENESYSCLOUD_OAUTHCLIENT_SECRET];
    for (const client of r.cloud.ofType(T.oauthClient)) secrets.push(client.state.clientSecret as string);
    const plainInputs = JSON.stringify(r.cloud.resources.map((x) => withoutSecrets(x.inputs)));
    const outputs = JSON.stringify(await Promise.all(Object.values(r.outputs).map((o) => promiseOf(o))));
    for (const value of secrets) {
      expect(plainInputs).not.toContain(value);
      expect(outputs).not.toContain(value);
    }
    for (const output of Object.values(r.outputs)) expect(await (pulumi.output(output) as unknown as { isSecret: Promise<boolean> }).isSecret).toBe(false);
  });
});

describe("differences between the environments", () => {
  for (const stack of STACKS) built(stack);
  const service = (stack: (typeof STACKS)[number]) => run(stack).cloud.one(T.service).inputs;
  const task = (stack: (typeof STACKS)[number]) => run(stack).cloud.one(T.taskDefinition).inputs;
  const alb = (stack: (typeof STACKS)[number]) => run(stack).cloud.one(T.loadBalancer).inputs;

  it("dev: one small task, API Gateway's URL without a domain, a single NAT gateway, short retention, easy to destroy", async () => {
    expect(service("dev").desiredCount).toBe(1);
    expect(task("dev")).toMatchObject({ cpu: "256", memory: "512" });
    expect(run("dev").cloud.ofType(T.api)).toHaveLength(1);
    expect(run("dev").cloud.ofType(T.record)).toHaveLength(0);
    expect(await promiseOf(run("dev").outputs.endpointMode)).toBe("api-gateway");
    expect(await promiseOf(run("dev").outputs.serviceUrl)).toMatch(/\.execute-api\.eu-central-1\.amazonaws\.com$/);
    expect(run("dev").cloud.ofType(T.nat)).toHaveLength(1);
    expect(alb("dev")).toMatchObject({ internal: true, enableDeletionProtection: false });
    for (const lg of run("dev").cloud.ofType(T.logGroup)) expect(lg.inputs.retentionInDays).toBe(7);
    expect(run("dev").cloud.one(T.table).inputs.deletionProtectionEnabled).toBe(false);
    expect(run("dev").cloud.one(T.repository).inputs.forceDelete).toBe(true);
    expect(envOf(run("dev")).LOG_LEVEL).toBe("debug");
    expect(run("dev").cloud.one(T.deployment).inputs.allowedDomains).toEqual(["localhost", "dev.acme.example"]);
  });

  it("staging: two tasks behind its own domain, its own VPC with a NAT per zone, the image built in previews too", async () => {
    expect(service("staging").desiredCount).toBe(2);
    expect(await promiseOf(run("staging").outputs.serviceUrl)).toBe("https://bot.staging.acme.example");
    expect(run("staging").cloud.one(T.record, "-dns").inputs).toMatchObject({ name: "bot.staging.acme.example", type: "A" });
    expect(run("staging").cloud.ofType(T.nat)).toHaveLength(2);
    expect(run("staging").cloud.one(T.image).inputs.buildOnPreview).toBe(true);
    expect(run("staging").cloud.ofType(T.oauthClient)).toHaveLength(0);
  });

  it("staging and prod: the internet-facing load balancer logs access to the account's bucket; dev's internal one does not need to", () => {
    expect(alb("staging").accessLogs).toEqual({ bucket: "acme-staging-elb-access-logs", prefix: "va-aws-endpoint", enabled: true });
    expect(alb("prod").accessLogs).toEqual({ bucket: "acme-prod-elb-access-logs", prefix: "va-aws-endpoint", enabled: true });
    expect(alb("dev")).toMatchObject({ internal: true });
    expect(alb("dev").accessLogs).toBeUndefined();
  });

  it("prod: at least two tasks, deletion protection, a year of logs, alarms to the on-call topic, explicit domains", async () => {
    const prod = run("prod");
    expect(service("prod").desiredCount).toBeGreaterThanOrEqual(2);
    expect(prod.cloud.one(T.scaling).inputs).toMatchObject({ minCapacity: 2, maxCapacity: 8 });
    expect(task("prod")).toMatchObject({ cpu: "1024", memory: "2048" });
    expect(alb("prod")).toMatchObject({ internal: false, enableDeletionProtection: true });
    expect(prod.cloud.one(T.table).inputs.deletionProtectionEnabled).toBe(true);
    for (const lg of prod.cloud.ofType(T.logGroup)) expect(lg.inputs.retentionInDays).toBe(365);
    const topic = "arn:aws:sns:eu-central-1:111122223333:acme-contact-centre-oncall";
    const alarms = prod.cloud.ofType(T.alarm);
    expect(alarms.length).toBeGreaterThanOrEqual(4);
    for (const alarm of alarms) expect(alarm.inputs).toMatchObject({ alarmActions: [topic], okActions: [topic] });
    expect(prod.cloud.one(T.deployment).inputs).toMatchObject({ allowAllDomains: false, allowedDomains: ["www.acme.example", "shop.acme.example"] });
    expect(await promiseOf(prod.outputs.serviceUrl)).toBe("https://bot.acme.example");
    expect(prod.cloud.one(T.record, "-dns").inputs).toMatchObject({ zoneId: "Z0451727PRODEXAMPLE0", name: "bot.acme.example" });
  });

  it("prod: the platform team's VPC from its stack, nothing of its own", () => {
    const prod = run("prod");
    const network = NETWORK_STACK_OUTPUTS["organization/network/prod"]!;
    expect(prod.cloud.ofType(T.vpc)).toHaveLength(0);
    expect(prod.cloud.ofType(T.nat)).toHaveLength(0);
    expect(prod.cloud.one("pulumi:pulumi:StackReference").inputs.name).toBe("organization/network/prod");
    expect(service("prod").networkConfiguration).toMatchObject({ subnets: network.privateSubnetIds, assignPublicIp: false });
    expect(alb("prod").subnets).toEqual(network.publicSubnetIds);
  });

  it("prod: one customer managed key for the secrets, the session table and the images", () => {
    const prod = run("prod");
    const key = "arn:aws:kms:eu-central-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    for (const s of prod.cloud.ofType(T.secret)) expect(s.inputs.kmsKeyId).toBe(key);
    expect(prod.cloud.one(T.table).inputs.serverSideEncryption).toEqual({ enabled: true, kmsKeyArn: key });
    expect(prod.cloud.one(T.repository).inputs.encryptionConfigurations).toEqual([{ encryptionType: "KMS", kmsKey: key }]);
  });

  it("prod: the service's own OAuth client reaches it as secrets, with the org's region", () => {
    const prod = run("prod");
    const client: CapturedResource = prod.cloud.one(T.oauthClient);
    expect(client.inputs).toMatchObject({ name: "Acme Virtual Agent service", authorizedGrantType: "CLIENT-CREDENTIALS" });
    const secrets = secretValues(prod);
    expect(secrets.GENESYS_CLIENT_ID).toEqual({ value: client.state.clientId, secret: true });
    expect(secrets.GENESYS_CLIENT_SECRET).toEqual({ value: client.state.clientSecret, secret: true });
    expect(envOf(prod).GENESYS_REGION).toBe("eu-central-1");
    // Without a client (dev), neither the secrets nor the region exist.
    expect(Object.keys(secretValues(run("dev")))).toEqual(["VERIFY_TOKEN"]);
    expect(envOf(run("dev")).GENESYS_REGION).toBeUndefined();
  });

  it("prod: hand-over context is on, through a client whose only role is the least-privilege custom one", () => {
    const prod = run("prod");
    expect(envOf(prod).HANDOVER_CONTEXT).toBe("participant-data");
    const role: CapturedResource = prod.cloud.one(T.authRole);
    expect(role.inputs.name).toBe("Acme Virtual Agent hand-over context");
    expect(role.inputs.permissionPolicies).toEqual([{ domain: "conversation", entityName: "communication", actionSets: ["view"] }]);
    const client: CapturedResource = prod.cloud.one(T.oauthClient);
    expect(role.id).toMatch(/.+/);
    expect((client.inputs.roles as Array<{ roleId: unknown }>).map((r) => r.roleId)).toEqual([role.id]);
    expect(envOf(run("dev")).HANDOVER_CONTEXT).toBeUndefined();
    expect(run("dev").cloud.ofType(T.authRole)).toHaveLength(0);
  });

  it("prod: the hand-over queue is looked up, not created", () => {
    expect(run("prod").cloud.ofType(T.queue)).toHaveLength(0);
    expect(run("prod").cloud.invokes.find((i) => i.token === "genesyscloud:index/getRoutingQueue:getRoutingQueue")?.inputs).toEqual({ name: "Acme Support" });
    expect(run("dev").cloud.ofType(T.queue)).toHaveLength(1);
  });
});
