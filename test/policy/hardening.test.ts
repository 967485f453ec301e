/**
 * AWS hardening (mandatory), production expectations (advisory) and Genesys OAuth clients, each against broken
 * copies of the stacks' real resources: the case, the one policy that must catch it, and what its message says.
 */
import { policies } from "../../policy/policies";
import { type Json } from "../aws/mocks";
import { runStack, type StackRun } from "../stacks/harness";
import { runPolicies } from "./adapter";
import { type BrokenCase, broken, container, expectCaught, expectClean, set, T, withResource } from "./breaking";

let dev: StackRun;
let staging: StackRun;
let prod: StackRun;

beforeAll(async () => {
  dev = await runStack("dev");
  staging = await runStack("staging");
  prod = await runStack("prod");
}, 180_000);

const KEY = "arn:aws:kms:eu-central-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

const hardening: BrokenCase[] = [
  ["a load balancer keeping invalid headers", () => broken(prod, T.loadBalancer, set({ dropInvalidHeaderFields: false })), "prod", "load-balancer-drops-invalid-headers", /LoadBalancer va-aws-endpoint-alb: dropInvalidHeaderFields is off.*set dropInvalidHeaderFields: true/],
  ["a load balancer that only monitors HTTP desync", () => broken(dev, T.loadBalancer, set({ desyncMitigationMode: "monitor" })), "dev", "load-balancer-drops-invalid-headers", /desyncMitigationMode is monitor.*set desyncMitigationMode: "defensive"/],
  ["ECS Exec in production", () => broken(prod, T.service, set({ enableExecuteCommand: true })), "prod", "ecs-exec-off-in-production", /Service va-aws-service-service: enableExecuteCommand is on in production stack prod.*set enableExecuteCommand: false/],
  ["a production secret deleted without recovery", () => broken(prod, T.secret, set({ recoveryWindowInDays: 0 }), "-verify-token"), "prod", "secrets-recoverable-in-production", /recoveryWindowInDays is 0: in production stack prod a deleted secret is deleted at once.*set recoveryWindowInDays to 7 or more/],
  ["a session table whose items never expire", () => broken(dev, T.table, set({ ttl: { attributeName: "expiresAt", enabled: false } })), "dev", "session-table-items-expire", /Table va-aws-sessions-table: items never expire \(ttl is off\)/],
  ["a session table without a ttl at all", () => broken(dev, T.table, (r) => delete r.inputs.ttl), "dev", "session-table-items-expire", /items never expire/],
  ["an internet-facing load balancer without access logs", () => broken(staging, T.loadBalancer, (r) => delete r.inputs.accessLogs), "staging", "internet-entry-points-log-access", /LoadBalancer va-aws-endpoint-alb: the internet-facing load balancer keeps no access logs/],
  ["access logs named but not enabled", () => broken(prod, T.loadBalancer, set({ accessLogs: { bucket: "acme-prod-elb-access-logs", enabled: false } })), "prod", "internet-entry-points-log-access", /keeps no access logs \(accessLogs\); set accessLogs: \{ bucket:/],
  ["an API stage without access logs", () => broken(dev, T.stage, (r) => delete r.inputs.accessLogSettings), "dev", "internet-entry-points-log-access", /Stage va-aws-endpoint-stage: the API stage keeps no access logs/],
  ["a container without a log configuration", () => broken(dev, T.taskDefinition, container((c) => delete c.logConfiguration)), "dev", "containers-log-configuration", /containerDefinitions\[0\] \(service\) has no logConfiguration, so its output is lost/],
  ["a container logging nowhere useful", () => broken(dev, T.taskDefinition, container((c) => (c.logConfiguration = { logDriver: "none" }))), "dev", "containers-log-configuration", /logs with none, which is not one of awslogs, awsfirelens, splunk/],
  ["awslogs without a log group", () => broken(dev, T.taskDefinition, container((c) => (c.logConfiguration = { logDriver: "awslogs", options: {} }))), "dev", "containers-log-configuration", /uses awslogs without a log group/],
  [
    "a sidecar without a log configuration",
    () => broken(dev, T.taskDefinition, (r) => {
      const defs = JSON.parse(r.inputs.containerDefinitions as string) as Json[];
      defs.push({ name: "sidecar", image: "public.ecr.aws/x/y@sha256:00", essential: false, user: "1000:1000", readonlyRootFilesystem: true });
      r.inputs.containerDefinitions = JSON.stringify(defs);
    }),
    "dev",
    "containers-log-configuration",
    /containerDefinitions\[1\] \(sidecar\) has no logConfiguration/,
  ],
];

const production: BrokenCase[] = [
  ["one production task", () => broken(prod, T.service, set({ desiredCount: 1 })), "prod", "production-at-least-two-tasks", /desiredCount is 1 in production stack prod; set desiredCount to 2 or more/],
  ["autoscaling down to one production task", () => broken(prod, T.scalingTarget, set({ minCapacity: 1 })), "prod", "production-at-least-two-tasks", /Target va-aws-service-scaling: minCapacity is 1 in production stack prod/],
  ["a production table without deletion protection", () => broken(prod, T.table, set({ deletionProtectionEnabled: false })), "prod", "production-table-deletion-protection", /deletionProtectionEnabled is off in production stack prod/],
  ["production logs kept a week", () => broken(prod, T.logGroup, set({ retentionInDays: 7 })), "prod", "production-log-retention", /retentionInDays is 7 in production stack prod, too short.*set retentionInDays to 90 or more/],
  ["a production alarm that notifies nobody", () => broken(prod, T.alarm, (r) => delete r.inputs.alarmActions, "-5xx"), "prod", "production-alarms-notify", /MetricAlarm va-aws-service-alarm-5xx: the alarm has no alarmActions in production stack prod/],
  ["a production alarm with its actions off", () => broken(prod, T.alarm, set({ actionsEnabled: false }), "-slow"), "prod", "production-alarms-notify", /actionsEnabled is false in production stack prod/],
  [
    "one secret left on the AWS managed key when the stack asks for a customer managed one",
    () => broken(prod, T.secret, (r) => {
      delete r.inputs.kmsKeyId;
      delete r.state.kmsKeyId;
    }, "-genesys-client-secret"),
    "prod",
    "customer-managed-keys-where-asked",
    /Secret va-aws-secrets-genesys-client-secret: encrypted with an AWS managed key although the stack encrypts with a customer managed key elsewhere; set kmsKeyId/,
  ],
  [
    "the image repository left on AES256 when the stack asks for a customer managed key",
    () => broken(prod, T.repository, set({ encryptionConfigurations: [{ encryptionType: "AES256" }] })),
    "prod",
    "customer-managed-keys-where-asked",
    /Repository va-aws-image-repo: encrypted with an AWS managed key/,
  ],
  ["a KMS key that never rotates", () => withResource(prod, "aws:kms/key:Key", "va-key", { description: "sessions", enableKeyRotation: false }), "prod", "kms-keys-rotate", /Key va-key: enableKeyRotation is off, so the key material never changes/],
  ["a KMS key rotating every five years", () => withResource(prod, "aws:kms/key:Key", "va-key", { enableKeyRotation: true, rotationPeriodInDays: 1825 }), "prod", "kms-keys-rotate", /rotationPeriodInDays is 1825; set it to 365 or fewer/],
];

/** The prod stack's service OAuth client holding another role, or granted otherwise. */
const clientWith = (changes: Json) => broken(prod, T.oauthClient, set(changes));

const genesys: BrokenCase[] = [
  ["an OAuth client with a role the stack does not define (a built-in admin looked up by name)", () => clientWith({ roles: [{ roleId: "0b6d8a3c-master-admin", divisionId: "*" }] }), "prod", "genesys-oauth-clients-least-privilege", /roles\[0\]\.roleId 0b6d8a3c-master-admin is not a role this stack defines/],
  ["an OAuth client using the authorization code grant", () => clientWith({ authorizedGrantType: "CODE" }), "prod", "genesys-oauth-clients-least-privilege", /authorizedGrantType CODE acts for users.*set authorizedGrantType: "CLIENT-CREDENTIALS"/],
  ["an OAuth client using the implicit grant", () => clientWith({ authorizedGrantType: "TOKEN" }), "prod", "genesys-oauth-clients-least-privilege", /authorizedGrantType TOKEN/],
  [
    "the client's role with every permission",
    () => broken(prod, T.authRole, set({ permissionPolicies: [{ domain: "*", entityName: "*", actionSets: ["*"] }] })),
    "prod",
    "genesys-oauth-clients-least-privilege",
    /AuthRole va-genesys-service-client-role: permissionPolicies\[0\] \(\*:\*:\*\) is a wildcard, granting everything of every domain/,
  ],
  [
    "the client's role managing roles and grants",
    () => broken(prod, T.authRole, set({ permissionPolicies: [{ domain: "conversation", entityName: "communication", actionSets: ["view"] }, { domain: "authorization", entityName: "grant", actionSets: ["add"] }] })),
    "prod",
    "genesys-oauth-clients-least-privilege",
    /permissionPolicies\[1\] \(authorization:grant:add\) changes authorization \(who may do what in the org\)/,
  ],
  [
    "the client's role managing OAuth clients, every action of an entity",
    () => broken(prod, T.authRole, set({ permissionPolicies: [{ domain: "oauth", entityName: "client", actionSets: ["all"] }] })),
    "prod",
    "genesys-oauth-clients-least-privilege",
    /permissionPolicies\[0\] \(oauth:client:all\) is a wildcard/,
  ],
  ["the built-in administrator role managed as the client's role", () => broken(prod, T.authRole, set({ defaultRoleId: "admin" })), "prod", "genesys-oauth-clients-least-privilege", /defaultRoleId "admin" manages the built-in administrator role/],
];

describe("AWS hardening (mandatory)", () => {
  it.each(hardening)("catches %s", async (_, resources, stack, policy, fix) => {
    const found = await expectCaught(resources(), stack, policy, fix);
    expect(new Set(found.map((f) => f.level))).toEqual(new Set(["mandatory"]));
  });

  it("leaves ECS Exec and short recovery windows to the team outside production", async () => {
    await expectClean(broken(dev, T.service, set({ enableExecuteCommand: true })), "dev");
    await expectClean(broken(dev, T.secret, set({ recoveryWindowInDays: 0 })), "dev");
  });
});

describe("production expectations (advisory)", () => {
  it.each(production)("catches %s", async (_, resources, stack, policy, fix) => {
    const found = await expectCaught(resources(), stack, policy, fix);
    expect(new Set(found.map((f) => f.level))).toEqual(new Set(["advisory"]));
  });

  it("expects nothing of dev's single task, short logs and silent alarms", async () => {
    const run = await runPolicies(dev.cloud.resources, policies, { stack: "dev" });
    expect(run.violations).toEqual([]);
    expect(dev.cloud.one(T.service).inputs.desiredCount).toBe(1);
  });

  it("can be made mandatory, stricter or production-wide per stack", async () => {
    const oneTask = broken(prod, T.service, set({ desiredCount: 1 }));
    const found = await expectCaught(oneTask, "prod", "production-at-least-two-tasks", /desiredCount is 1/, { "production-at-least-two-tasks": "mandatory" });
    expect(found.map((f) => f.level)).toEqual(["mandatory"]);
    await expectCaught(prod.cloud.resources, "prod", "production-log-retention", /retentionInDays is 365 .*set retentionInDays to 400 or more/, { "production-log-retention": { minimumDays: 400 } });
    await expectCaught(staging.cloud.resources, "staging", "customer-managed-keys-where-asked", /production stack staging requires customer managed keys/, {
      "customer-managed-keys-where-asked": { requireInProduction: true, productionStacks: ["staging"] },
    });
  });

  it("takes a KMS key the stack creates as the stack asking for customer managed keys everywhere", async () => {
    const withKey = withResource(dev, "aws:kms/key:Key", "va-key", { enableKeyRotation: true });
    const { violations } = await runPolicies(withKey, policies, { stack: "dev" });
    expect(violations.map((v) => `${v.policy} ${v.resource}`).sort()).toEqual(
      ["customer-managed-keys-where-asked va-aws-image-repo", "customer-managed-keys-where-asked va-aws-secrets-verify-token", "customer-managed-keys-where-asked va-aws-sessions-table"].sort(),
    );
  });

  it("extends the customer managed key to the log groups when the config names them", async () => {
    await expectCaught(prod.cloud.resources, "prod", "customer-managed-keys-where-asked", /LogGroup va-aws-service-logs: encrypted with an AWS managed key.*set kmsKeyId/, {
      "customer-managed-keys-where-asked": { resources: ["secret", "table", "repository", "logGroup"] },
    });
    await expectClean(broken(prod, T.logGroup, set({ kmsKeyId: KEY })), "prod", { "customer-managed-keys-where-asked": { resources: ["secret", "table", "repository", "logGroup"] } });
  });
});

describe("Genesys OAuth clients (mandatory)", () => {
  it.each(genesys)("catches %s", async (_, resources, stack, policy, fix) => {
    await expectCaught(resources(), stack, policy, fix);
  });

  it("accepts a role reviewed elsewhere when the config lists its id", async () => {
    await expectClean(clientWith({ roles: [{ roleId: "0b6d8a3c-reviewed", divisionId: "*" }] }), "prod", { "genesys-oauth-clients-least-privilege": { allowedExternalRoleIds: ["0b6d8a3c-reviewed"] } });
  });
});
