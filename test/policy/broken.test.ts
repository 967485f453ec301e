/**
 * Deliberately broken configurations: each starts from a stack's real (mocked) resource graph, breaks one
 * thing the way a component regression or a hand-written resource would, and must be caught by exactly the
 * policy that guards it, with a message that says how to fix it.
 */
import { policies } from "../../policy/policies";
import { type CapturedResource, type Json } from "../aws/mocks";
import { runStack, type StackRun } from "../stacks/harness";
import { describe as describeFindings, runPolicies } from "./adapter";

let dev: StackRun;
let prod: StackRun;

beforeAll(async () => {
  dev = await runStack("dev");
  prod = await runStack("prod");
});

type Mutation = (resource: CapturedResource) => void;

/** A deep copy of the stack's resources with `mutate` applied to those of `type` (named `*suffix`, if given). */
function broken(run: StackRun, type: string, mutate: Mutation, suffix?: string): CapturedResource[] {
  let hits = 0;
  const copy = run.cloud.resources.map((r) => {
    const c: CapturedResource = { ...r, inputs: structuredClone(r.inputs), state: structuredClone(r.state) };
    if (c.type === type && (suffix === undefined || c.name.endsWith(suffix))) {
      mutate(c);
      hits += 1;
    }
    return c;
  });
  if (hits === 0) throw new Error(`no ${type}${suffix ? ` named *${suffix}` : ""} to break`);
  return copy;
}

/** Sets a property on the inputs and on the state (stack policies read outputs). */
const set =
  (changes: Json): Mutation =>
  (r) => {
    Object.assign(r.inputs, changes);
    Object.assign(r.state, changes);
  };

/** Changes the first container of a task definition. */
const container =
  (change: (c: Json) => void): Mutation =>
  (r) => {
    const defs = JSON.parse(r.inputs.containerDefinitions as string) as Json[];
    change(defs[0]!);
    r.inputs.containerDefinitions = JSON.stringify(defs);
  };

const T = {
  listener: "aws:lb/listener:Listener",
  service: "aws:ecs/service:Service",
  subnet: "aws:ec2/subnet:Subnet",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  securityGroup: "aws:ec2/securityGroup:SecurityGroup",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  table: "aws:dynamodb/table:Table",
  repository: "aws:ecr/repository:Repository",
  taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
  botList: "pulumi-nodejs:dynamic/genesys:BotList",
  deployment: "genesyscloud:index/webdeploymentsDeployment:WebdeploymentsDeployment",
  integration: "genesyscloud:index/integration:Integration",
  oauthClient: "genesyscloud:index/oauthClient:OauthClient",
};

const cases: Array<[string, () => CapturedResource[], string, string, RegExp]> = [
  ["an HTTPS listener on an old TLS policy", () => broken(prod, T.listener, set({ sslPolicy: "ELBSecurityPolicy-2016-08" }), "-https"), "prod", "https-modern-tls", /set sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06"/],
  ["an HTTPS listener without a TLS policy", () => broken(prod, T.listener, (r) => delete r.inputs.sslPolicy, "-https"), "prod", "https-modern-tls", /accepts TLS 1\.0; set sslPolicy/],
  ["an HTTPS listener on a TLS 1.0 policy", () => broken(prod, T.listener, set({ sslPolicy: "ELBSecurityPolicy-TLS13-1-0-2021-06" }), "-https"), "prod", "https-modern-tls", /not a modern TLS policy/],
  [
    "an internet-facing HTTP listener that serves instead of redirecting",
    () => broken(prod, T.listener, set({ defaultActions: [{ type: "forward", targetGroupArn: "arn:aws:elasticloadbalancing:eu-central-1:123456789012:targetgroup/x/1" }] }), "-http"),
    "prod",
    "public-http-redirects-to-https",
    /make its only default action \{ type: "redirect", redirect: \{ protocol: "HTTPS"/,
  ],
  ["tasks with public IPs", () => broken(dev, T.service, (r) => (r.inputs.networkConfiguration.assignPublicIp = true)), "dev", "ecs-tasks-private", /set networkConfiguration\.assignPublicIp: false/],
  ["a service without a load balancer", () => broken(dev, T.service, set({ loadBalancers: [] })), "dev", "ecs-tasks-private", /attach its target group \(loadBalancers\)/],
  ["a subnet that hands out public IPs", () => broken(dev, T.subnet, set({ mapPublicIpOnLaunch: true }), "-public-0"), "dev", "ecs-tasks-private", /set mapPublicIpOnLaunch: false/],
  [
    "the service port open to the internet",
    () =>
      broken(
        dev,
        T.ingress,
        (r) => {
          delete r.inputs.referencedSecurityGroupId;
          r.inputs.cidrIpv4 = "0.0.0.0/0";
        },
        "-task-from-lb",
      ),
    "dev",
    "ingress-only-https-from-internet",
    /port 8080 \(tcp\) from 0\.0\.0\.0\/0.*referencedSecurityGroupId/,
  ],
  [
    "an inline rule opening everything",
    () => broken(dev, T.securityGroup, set({ ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] }), "-task-sg"),
    "dev",
    "ingress-only-https-from-internet",
    /an inline ingress rule allows every port \(every protocol\) from 0\.0\.0\.0\/0/,
  ],
  ["a log group kept forever", () => broken(dev, T.logGroup, (r) => delete r.inputs.retentionInDays, "-service-logs"), "dev", "log-retention-set", /set retentionInDays/],
  ["a table without point-in-time recovery", () => broken(dev, T.table, set({ pointInTimeRecovery: { enabled: false } })), "dev", "session-table-recovery-and-encryption", /set pointInTimeRecovery: \{ enabled: true \}/],
  ["a table without KMS encryption", () => broken(dev, T.table, (r) => delete r.inputs.serverSideEncryption), "dev", "session-table-recovery-and-encryption", /set serverSideEncryption: \{ enabled: true \}/],
  ["mutable image tags", () => broken(dev, T.repository, set({ imageTagMutability: "MUTABLE" })), "dev", "ecr-scan-on-push-immutable-tags", /set imageTagMutability: "IMMUTABLE"/],
  ["images pushed without a scan", () => broken(dev, T.repository, set({ imageScanningConfiguration: { scanOnPush: false } })), "dev", "ecr-scan-on-push-immutable-tags", /set imageScanningConfiguration: \{ scanOnPush: true \}/],
  ["a container running as root", () => broken(dev, T.taskDefinition, container((c) => (c.user = "0:0"))), "dev", "containers-non-root-read-only", /runs as 0:0; set user: "1000:1000"/],
  ["a container without a user", () => broken(dev, T.taskDefinition, container((c) => delete c.user)), "dev", "containers-non-root-read-only", /root unless the image says otherwise\); set user/],
  ["a writable root filesystem", () => broken(dev, T.taskDefinition, container((c) => (c.readonlyRootFilesystem = false))), "dev", "containers-non-root-read-only", /set readonlyRootFilesystem: true/],
  [
    "a secret as a plain environment value",
    () => broken(prod, T.taskDefinition, container((c) => (c.environment as Json[]).push({ name: "GENESYS_CLIENT_SECRET", value: "plain-text-secret" }))),
    "prod",
    "secrets-by-reference-only",
    /GENESYS_CLIENT_SECRET looks like a credential in plain text.*move it to secrets: \[\{ name: "GENESYS_CLIENT_SECRET", valueFrom/,
  ],
  [
    "an access key under an innocent name",
    () => broken(dev, T.taskDefinition, container((c) => (c.environment as Json[]).push({ name: "UPSTREAM", value: "AKIAIOSFODNN7EXAMPLE" }))),
    "dev",
    "secrets-by-reference-only",
    /UPSTREAM holds what looks like a credential/,
  ],
  [
    "a secret given by value instead of by ARN",
    () => broken(dev, T.taskDefinition, container((c) => ((c.secrets as Json[])[0]!.valueFrom = "the-token-itself"))),
    "dev",
    "secrets-by-reference-only",
    /secret VERIFY_TOKEN is not a reference; valueFrom must be a Secrets Manager secret or SSM parameter ARN/,
  ],
  [
    "a dynamic resource handed a credential",
    () => broken(dev, T.botList, set({ clientSecret: "deployer-secret" })),
    "dev",
    "secrets-by-reference-only",
    /dynamic resource input clientSecret looks like a credential; read credentials when the provider runs/,
  ],
  ["a deployment without the circuit breaker", () => broken(dev, T.service, set({ deploymentCircuitBreaker: { enable: true, rollback: false } })), "dev", "ecs-deployment-circuit-breaker", /set deploymentCircuitBreaker: \{ enable: true, rollback: true \}/],
  [
    "a production Messenger open to every domain",
    () => broken(prod, T.deployment, set({ allowAllDomains: true, allowedDomains: [] })),
    "prod",
    "messenger-not-open-in-production",
    /production stack prod loads on every domain; set allowAllDomains: false and list the sites/,
  ],
  ["a production Messenger without domains", () => broken(prod, T.deployment, set({ allowedDomains: [] })), "prod", "messenger-not-open-in-production", /lists no allowed domain/],
  ["a disabled integration", () => broken(dev, T.integration, set({ intendedState: "DISABLED" })), "dev", "bot-connector-enabled-https", /set intendedState: "ENABLED"/],
  [
    "an integration calling plain HTTP",
    () => broken(dev, T.integration, (r) => (r.inputs.config.properties = JSON.stringify({ botConnectorHandleUtteranceUri: "http://bot.example.com/botconnector/messages" }))),
    "dev",
    "bot-connector-enabled-https",
    /http:\/\/bot\.example\.com\/botconnector\/messages is not HTTPS.*use its https URL/,
  ],
  ["an integration without a URI", () => broken(dev, T.integration, (r) => (r.inputs.config.properties = "{}")), "dev", "bot-connector-enabled-https", /holds no URL; set the Handle Utterance URI/],
  ["OAuth tokens living two days", () => broken(prod, T.oauthClient, set({ accessTokenValiditySeconds: 172800 })), "prod", "oauth-token-lifetime", /would live 172800 s; set accessTokenValiditySeconds between 300 and 86400/],
  ["OAuth tokens living a minute", () => broken(prod, T.oauthClient, set({ accessTokenValiditySeconds: 60 })), "prod", "oauth-token-lifetime", /would live 60 s/],
];

it.each(cases)("catches %s", async (_, resources, stack, policy, fix) => {
  const { violations } = await runPolicies(resources(), policies, { stack });
  expect(violations.map((v) => v.policy)).toEqual([policy]);
  expect(violations[0]!.message).toMatch(fix);
});

it("leaves Messenger domains to the team outside production, and takes production stack names from its config", async () => {
  const open = broken(dev, T.deployment, set({ allowAllDomains: true, allowedDomains: [] }));
  expect(describeFindings((await runPolicies(open, policies, { stack: "dev" })).violations)).toBe("");
  const flagged = await runPolicies(open, policies, { stack: "dev", config: { "messenger-not-open-in-production": { productionStacks: ["dev"] } } });
  expect(flagged.violations.map((v) => v.policy)).toEqual(["messenger-not-open-in-production"]);
});

it("accepts a stricter token lifetime from its config", async () => {
  const { violations } = await runPolicies(prod.cloud.resources, policies, { stack: "prod", config: { "oauth-token-lifetime": { maxSeconds: 3600 } } });
  expect(violations.map((v) => `${v.policy}: ${v.message}`)).toEqual([expect.stringMatching(/^oauth-token-lifetime: access tokens would live 86400 s; set accessTokenValiditySeconds between 300 and 3600/)]);
});
