/**
 * The AWS part of a stack's configuration: raw config → typed settings, plus every problem with the
 * `pulumi config set` command that fixes it. Pure (apart from the image build context the hosting checks on
 * disk): the stack program reads the config through it, and the tests check every stack file with it.
 *
 * The keys are declared, with type, description and default, in the `config:` block of Pulumi.yaml. The
 * values are checked twice: here for their type and for rules that concern config keys (a hosted zone without
 * a domain, VPC settings next to a network stack), then by the HostedService's own validation, whose problems
 * are mapped back to the config key that causes them, so the rules live in one place.
 */
import { type ExistingNetworkArgs } from "../../components/aws/network";
import { CPU_ARCHITECTURES, type CpuArchitecture } from "../../components/aws/platform";
import { validateHostedServiceArgs } from "../../components/aws/hostedService";
import { type Problem } from "../../components/aws/validation";
import { type VirtualAgentHostingArgs, wireHosting } from "../../components/wiring";
import { type Reader } from "./reader";

export interface AwsSettings {
  /** `aws:region`: where everything is created. */
  region: string;
  production: boolean;
  cpuArchitecture: CpuArchitecture;
  /** A platform team's VPC from a stack reference, or the VPC to create. */
  network: { kind: "stack"; stack: string } | { kind: "create"; cidrBlock: string; availabilityZones: number; natGateways: "perZone" | "single" };
  /** A digest CI already pushed to the stack's repository, or build from `service/`. */
  image: { kind: "digest"; digest: string } | { kind: "build"; buildOnPreview: boolean };
  imageForceDelete: boolean;
  /** A custom domain (ALB + ACM), or none (API Gateway's URL). */
  domain?: { name: string; hostedZoneId?: string; certificateArn?: string };
  allowedSourceCidrs?: string[];
  /** S3 bucket for the custom domain load balancer's access logs. */
  accessLogsBucket?: string;
  service: {
    cpu: number;
    memory: number;
    desiredCount: number;
    maxCount: number;
    logLevel: string;
    turnBudgetMs: number;
    logRetentionDays: number;
    alarmTopicArn?: string;
  };
  tableDeletionProtection: boolean;
  secretsRecoveryWindowDays: number;
  /** Customer managed KMS key for the secrets, the session table and the image repository. */
  kmsKeyArn?: string;
}

/** The outputs a network stack must export (`awsNetworkStack`). */
export const NETWORK_STACK_OUTPUTS = { vpcId: "vpcId", privateSubnetIds: "privateSubnetIds", publicSubnetIds: "publicSubnetIds" } as const;

/** Defaults of the keys whose default is a value (Pulumi.yaml declares the same; a test keeps them equal). */
export const AWS_DEFAULTS = {
  vpcCidr: "10.0.0.0/16",
  availabilityZones: 2,
  natGateways: "perZone",
  cpu: 512,
  memory: 1024,
  desiredCount: 1,
  maxCount: 4,
  logLevel: "info",
  turnBudgetMs: 5000,
  logRetentionDays: 30,
  secretsRecoveryWindowDays: 30,
} as const;

const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const ARN = /^arn:aws[a-z-]*:/;
const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace"] as const;

/** Reads the AWS settings through a shared reader. Undefined when any AWS key has a problem. */
export function readAwsSettings(r: Reader): AwsSettings | undefined {
  const problemsBefore = r.problems.length;

  const region = r.string("aws:region", { required: true, example: "eu-central-1", why: "the AWS provider creates everything in this region" });
  if (region !== undefined && !AWS_REGION.test(region)) r.problem("aws:region", `"${region}" is not an AWS region such as eu-central-1`, r.command("aws:region", "eu-central-1"));
  readDefaultTags(r);

  const production = r.boolean("awsProduction", false);
  const cpuArchitecture = r.choice("awsCpuArchitecture", CPU_ARCHITECTURES, "X86_64");

  const networkStack = r.string("awsNetworkStack");
  const vpcCidr = r.string("awsVpcCidr") ?? AWS_DEFAULTS.vpcCidr;
  const availabilityZones = r.integer("awsAvailabilityZones", AWS_DEFAULTS.availabilityZones, 1, 16);
  const natGateways = r.choice("awsNatGateways", ["perZone", "single"] as const, AWS_DEFAULTS.natGateways);
  if (networkStack !== undefined) {
    if (!/^[^/\s]+\/[^/\s]+\/[^/\s]+$/.test(networkStack) && !/^[^/\s]+$/.test(networkStack)) {
      r.problem("awsNetworkStack", `"${networkStack}" is not a stack name such as organization/network/prod`, r.command("awsNetworkStack", "organization/network/prod"));
    }
    const vpcKeys: Array<[string, boolean]> = [
      ["awsVpcCidr", vpcCidr !== AWS_DEFAULTS.vpcCidr],
      ["awsAvailabilityZones", availabilityZones !== AWS_DEFAULTS.availabilityZones],
      ["awsNatGateways", natGateways !== AWS_DEFAULTS.natGateways],
    ];
    for (const [key, set] of vpcKeys) {
      if (set) r.problem(key, "applies only to a VPC the stack creates, and awsNetworkStack names an existing one", r.removeCommand(key));
    }
  }

  const imageDigest = r.string("awsImageDigest");
  const buildOnPreview = r.boolean("awsBuildOnPreview", false);
  if (imageDigest !== undefined && buildOnPreview) {
    r.problem("awsBuildOnPreview", "applies only when the stack builds the image, and awsImageDigest names a pushed one", r.removeCommand("awsBuildOnPreview"));
  }
  const imageForceDelete = r.boolean("awsImageForceDelete", false);

  const domainName = r.string("awsDomainName");
  const hostedZoneId = r.string("awsHostedZoneId");
  const certificateArn = r.string("awsCertificateArn");
  if (domainName === undefined) {
    for (const [key, value] of [["awsHostedZoneId", hostedZoneId], ["awsCertificateArn", certificateArn]] as const) {
      if (value !== undefined) r.problem(key, "applies only with a custom domain (awsDomainName)", r.command("awsDomainName", "bot.example.com"));
    }
  }
  if (certificateArn !== undefined && !ARN.test(certificateArn)) r.problem("awsCertificateArn", "must be an ACM certificate ARN", r.command("awsCertificateArn", "arn:aws:acm:<region>:<account>:certificate/<id>"));
  const allowedSourceCidrs = r.list("awsAllowedSourceCidrs", "203.0.113.0/24");
  const accessLogsBucket = r.string("awsAccessLogsBucket");
  if (accessLogsBucket !== undefined) {
    if (domainName === undefined) r.problem("awsAccessLogsBucket", "applies only with a custom domain (awsDomainName); without one, API Gateway logs to CloudWatch Logs", r.removeCommand("awsAccessLogsBucket"));
    else if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(accessLogsBucket)) {
      r.problem("awsAccessLogsBucket", `"${accessLogsBucket}" is not an S3 bucket name (lowercase letters, digits, dots and hyphens)`, r.command("awsAccessLogsBucket", "acme-elb-access-logs"));
    }
  }

  const cpu = r.integer("awsTaskCpu", AWS_DEFAULTS.cpu, 1, 1_000_000);
  const memory = r.integer("awsTaskMemory", AWS_DEFAULTS.memory, 1, 1_000_000);
  const desiredCount = r.integer("awsDesiredCount", AWS_DEFAULTS.desiredCount, 1, 1000);
  const maxCount = r.integer("awsMaxCount", AWS_DEFAULTS.maxCount, 1, 1000);
  const logLevel = r.choice("awsLogLevel", LOG_LEVELS, AWS_DEFAULTS.logLevel);
  const turnBudgetMs = r.integer("awsTurnBudgetMs", AWS_DEFAULTS.turnBudgetMs, 1, 600_000);
  const logRetentionDays = r.integer("awsLogRetentionDays", AWS_DEFAULTS.logRetentionDays, 1, 3653);
  const alarmTopicArn = r.string("awsAlarmTopicArn");
  if (alarmTopicArn !== undefined && !/^arn:aws[a-z-]*:sns:/.test(alarmTopicArn)) {
    r.problem("awsAlarmTopicArn", "must be an SNS topic ARN", r.command("awsAlarmTopicArn", "arn:aws:sns:<region>:<account>:<topic>"));
  }
  const tableDeletionProtection = r.boolean("awsTableDeletionProtection", true);
  if (production && !tableDeletionProtection) {
    r.problem("awsTableDeletionProtection", "must stay on in a production stack (awsProduction): the table holds live conversations", r.command("awsTableDeletionProtection", "true"));
  }
  const secretsRecoveryWindowDays = r.integer("awsSecretsRecoveryWindowDays", AWS_DEFAULTS.secretsRecoveryWindowDays, 0, 30);
  const kmsKeyArn = r.string("awsKmsKeyArn");
  if (kmsKeyArn !== undefined && !/^arn:aws[a-z-]*:kms:[^:]+:\d{12}:key\/.+$/.test(kmsKeyArn)) {
    r.problem("awsKmsKeyArn", "must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>; IAM policies cannot name an alias)", r.command("awsKmsKeyArn", "arn:aws:kms:<region>:<account>:key/<id>"));
  }

  // The candidate holds fallbacks where a value was refused, so the hosting's rules still judge the rest.
  const settings: AwsSettings = {
    region: region ?? "",
    production,
    cpuArchitecture,
    network: networkStack !== undefined ? { kind: "stack", stack: networkStack } : { kind: "create", cidrBlock: vpcCidr, availabilityZones, natGateways },
    image: imageDigest !== undefined ? { kind: "digest", digest: imageDigest } : { kind: "build", buildOnPreview },
    imageForceDelete,
    ...(domainName !== undefined
      ? { domain: { name: domainName, ...(hostedZoneId !== undefined ? { hostedZoneId } : {}), ...(certificateArn !== undefined ? { certificateArn } : {}) } }
      : {}),
    ...(allowedSourceCidrs !== undefined ? { allowedSourceCidrs } : {}),
    ...(accessLogsBucket !== undefined ? { accessLogsBucket } : {}),
    service: { cpu, memory, desiredCount, maxCount, logLevel, turnBudgetMs, logRetentionDays, ...(alarmTopicArn !== undefined ? { alarmTopicArn } : {}) },
    tableDeletionProtection,
    secretsRecoveryWindowDays,
    ...(kmsKeyArn !== undefined ? { kmsKeyArn } : {}),
  };
  // The hosting's own rules (Fargate sizes, retention periods, CIDRs, task counts ...), reported per config key.
  const hosting = hostingArgsFromSettings(settings, { network: plannedNetwork(settings) });
  const problems = validateHostedServiceArgs(wireHosting(hosting, { verifyToken: "planned", verifyTokenHeader: "verify-token" }, { region: undefined, handoverContext: false, protocol: "v1" })).list;
  const keysWithProblems = new Set(r.problems.slice(problemsBefore).map((p) => p.key));
  for (const p of problems) reportHostingProblem(r, p, settings, keysWithProblems);
  return r.problems.length > problemsBefore ? undefined : settings;
}

/** `aws:defaultTags` is the AWS provider's: `{tags: {Key: value}}`. */
function readDefaultTags(r: Reader): void {
  const tags = r.object("aws:defaultTags", "aws:defaultTags.tags.Environment", "dev");
  if (tags === undefined) return;
  const inner = (tags as { tags?: unknown }).tags;
  const valid =
    !Array.isArray(tags) &&
    Object.keys(tags as object).every((k) => k === "tags") &&
    inner !== null &&
    typeof inner === "object" &&
    !Array.isArray(inner) &&
    Object.values(inner).every((v) => typeof v === "string");
  if (!valid) r.problem("aws:defaultTags", "must be {tags: {<key>: <text>}}, the AWS provider's default tags", r.command("aws:defaultTags.tags.Environment", "dev", " --path"));
}

/** Stand-ins for a network stack's outputs, which exist only when the program runs. */
function plannedNetwork(settings: AwsSettings): ExistingNetworkArgs | undefined {
  if (settings.network.kind !== "stack") return undefined;
  return { vpcId: "planned", privateSubnetIds: ["planned-a", "planned-b"], ...(settings.domain ? { publicSubnetIds: ["planned-c", "planned-d"] } : {}) };
}

/** The config key that causes a hosting problem, and the command that fixes it. */
interface ProblemKey {
  path: RegExp;
  /** Only problems whose reason matches (several keys share a path). */
  message?: RegExp;
  key: string;
  fix: (r: Reader, s: AwsSettings) => string;
}

const set = (key: string, value: (s: AwsSettings) => string) => (r: Reader, s: AwsSettings) => r.command(key, value(s));

const PROBLEM_KEYS: ProblemKey[] = [
  { path: /^network\.cidrBlock/, key: "awsVpcCidr", fix: set("awsVpcCidr", () => AWS_DEFAULTS.vpcCidr) },
  { path: /^network\.availabilityZones/, key: "awsAvailabilityZones", fix: set("awsAvailabilityZones", () => "2") },
  { path: /^network\.natGateways/, key: "awsNatGateways", fix: set("awsNatGateways", () => "single") },
  { path: /^(network\.existing|endpoint\.(public|private)SubnetIds)/, key: "awsNetworkStack", fix: set("awsNetworkStack", () => "organization/network/prod") },
  { path: /^image\.(prebuiltDigest|build)/, key: "awsImageDigest", fix: set("awsImageDigest", () => "sha256:<64 hex digits>") },
  { path: /cpuArchitecture$/, key: "awsCpuArchitecture", fix: set("awsCpuArchitecture", () => "X86_64") },
  { path: /^endpoint\.domain\.name/, key: "awsDomainName", fix: set("awsDomainName", () => "bot.example.com") },
  { path: /^endpoint\.domain$/, key: "awsHostedZoneId", fix: set("awsHostedZoneId", () => "<Route 53 hosted zone id>") },
  {
    path: /^endpoint\.allowedSourceCidrs/,
    key: "awsAllowedSourceCidrs",
    // Without a domain the ranges cannot be enforced: drop them (or give the stack a domain).
    fix: (r, s) => (s.domain ? r.command("awsAllowedSourceCidrs[0]", "203.0.113.0/24", " --path") : r.removeCommand("awsAllowedSourceCidrs")),
  },
  { path: /^secrets\.recoveryWindowInDays/, key: "awsSecretsRecoveryWindowDays", fix: set("awsSecretsRecoveryWindowDays", () => "30") },
  { path: /^service\.(cpu|memory)/, message: /^memory/, key: "awsTaskMemory", fix: set("awsTaskMemory", (s) => String(2 * s.service.cpu)) },
  { path: /^service\.(cpu|memory)/, key: "awsTaskCpu", fix: set("awsTaskCpu", () => "512") },
  { path: /^service\.desiredCount/, key: "awsDesiredCount", fix: set("awsDesiredCount", (s) => (s.production ? "2" : "1")) },
  { path: /^service\.autoscaling\.maxCount/, key: "awsMaxCount", fix: set("awsMaxCount", (s) => String(Math.max(4, 2 * s.service.desiredCount))) },
  { path: /^(service\.logRetentionDays|endpoint\.apiAccessLogRetentionDays)/, key: "awsLogRetentionDays", fix: set("awsLogRetentionDays", () => "30") },
  { path: /^service\.environment/, message: /LOG_LEVEL/, key: "awsLogLevel", fix: set("awsLogLevel", () => "info") },
  { path: /^service\.environment/, message: /TURN_BUDGET_MS/, key: "awsTurnBudgetMs", fix: set("awsTurnBudgetMs", () => "5000") },
];

/**
 * Reports a hosting problem against its config key, once per key (one value can break several rules, e.g. the
 * retention of two log groups), and not when that key's value was already refused (the rule saw a fallback).
 */
function reportHostingProblem(r: Reader, p: Problem, settings: AwsSettings, keysWithProblems: Set<string>): void {
  const match = PROBLEM_KEYS.find((m) => m.path.test(p.propertyPath) && (m.message === undefined || m.message.test(p.reason)));
  if (match && keysWithProblems.has(r.key(match.key))) return;
  if (match) keysWithProblems.add(r.key(match.key));
  if (match) r.problem(match.key, p.reason, match.fix(r, settings));
  // A rule no config key maps to is a defect of this module, not of the stack: say so rather than blame a key.
  else r.problem("aws", `${p.propertyPath}: ${p.reason}`, "(no config key sets this; report it as a defect of stacks/settings/aws.ts)");
}

export interface AwsProgramInputs {
  /** The network stack's outputs (a StackReference's), when the settings name one. */
  network?: ExistingNetworkArgs;
}

/** Settings → the hosting's arguments (everything but what the Genesys side wires in). */
export function hostingArgsFromSettings(settings: AwsSettings, inputs: AwsProgramInputs = {}): VirtualAgentHostingArgs {
  if (settings.network.kind === "stack" && inputs.network === undefined) {
    throw new Error(`the settings take the network from the stack ${settings.network.stack}; pass its outputs as network`);
  }
  const s = settings.service;
  return {
    production: settings.production,
    cpuArchitecture: settings.cpuArchitecture,
    network:
      settings.network.kind === "stack"
        ? { existing: inputs.network! }
        : { cidrBlock: settings.network.cidrBlock, availabilityZones: settings.network.availabilityZones, natGateways: settings.network.natGateways },
    image: {
      ...(settings.image.kind === "digest" ? { prebuiltDigest: settings.image.digest } : { build: { buildOnPreview: settings.image.buildOnPreview } }),
      forceDelete: settings.imageForceDelete,
      ...(settings.kmsKeyArn ? { kmsKeyArn: settings.kmsKeyArn } : {}),
    },
    endpoint: {
      ...(settings.domain
        ? {
            domain: {
              name: settings.domain.name,
              ...(settings.domain.hostedZoneId ? { hostedZoneId: settings.domain.hostedZoneId } : {}),
              ...(settings.domain.certificateArn ? { certificateArn: settings.domain.certificateArn } : {}),
            },
          }
        : {}),
      ...(settings.allowedSourceCidrs ? { allowedSourceCidrs: settings.allowedSourceCidrs } : {}),
      ...(settings.accessLogsBucket ? { accessLogs: { bucket: settings.accessLogsBucket } } : {}),
      apiAccessLogRetentionDays: s.logRetentionDays,
    },
    secrets: { recoveryWindowInDays: settings.secretsRecoveryWindowDays, ...(settings.kmsKeyArn ? { kmsKeyArn: settings.kmsKeyArn } : {}) },
    sessionTable: { deletionProtection: settings.tableDeletionProtection, ...(settings.kmsKeyArn ? { kmsKeyArn: settings.kmsKeyArn } : {}) },
    service: {
      cpu: s.cpu,
      memory: s.memory,
      desiredCount: s.desiredCount,
      autoscaling: { maxCount: s.maxCount },
      logLevel: s.logLevel,
      turnBudgetMs: s.turnBudgetMs,
      logRetentionDays: s.logRetentionDays,
      ...(s.alarmTopicArn ? { alarms: { topicArn: s.alarmTopicArn } } : {}),
    },
  };
}
