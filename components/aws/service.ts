import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, loadConfig } from "../../service/src/config";
import { type AlarmSpec, serviceAlarmSpecs } from "./alarms";
import { connectionFigures, DEFAULT_IDLE_TIMEOUT_SECONDS } from "./connectionFigures";
import {
  CONTAINER_NAME,
  containerDefinition,
  ENV_NAME,
  HOSTING_ENVIRONMENT,
  SECRET_LOOKING_ENV,
  serviceEnvironment,
  TMP_VOLUME,
  VERIFY_TOKEN_ENV,
} from "./containerDefinition";
import { ecsTasksTrustPolicy, executionRolePolicy, taskRolePolicy } from "./iamPolicies";
import { type CpuArchitecture, fargateSizeProblem, isCpuArchitecture, LOG_RETENTION_DAYS } from "./platform";
import { checkInteger, childTags, failOnProblems, Problems } from "./validation";

export const SERVICE_TYPE = "virtual-agent:aws:Service";

/** What the service needs from the load balancer in front of it (the LoadBalancer component's outputs). */
export interface ServiceEndpointArgs {
  securityGroupId: pulumi.Input<string>;
  targetGroupArn: pulumi.Input<string>;
  targetGroupArnSuffix: pulumi.Input<string>;
  loadBalancerArnSuffix: pulumi.Input<string>;
  /** The API Gateway HTTP API in front, if any (adds an alarm on its own 5xx). */
  apiId?: pulumi.Input<string>;
  /** The load balancer's idle timeout in seconds (default 60): the service keeps idle connections 5 s longer. */
  idleTimeoutSeconds?: number;
}

export interface ServiceArgs {
  vpcId: pulumi.Input<string>;
  /** Subnets the tasks run in: private ones, as tasks get no public IP. */
  privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** The image (the Image component's outputs): a digest-pinned reference, its repository, its architecture. */
  image: { ref: pulumi.Input<string>; repositoryArn: pulumi.Input<string>; cpuArchitecture: CpuArchitecture };
  /** The session table (the SessionTable component's outputs). */
  sessionTable: { name: pulumi.Input<string>; arn: pulumi.Input<string>; kmsKeyArn?: pulumi.Input<string> | undefined };
  /** Environment variable name → Secrets Manager secret ARN (the ServiceSecrets component's `arns`); must include VERIFY_TOKEN. */
  secrets: Record<string, pulumi.Input<string>>;
  /** The customer managed KMS key of those secrets, if any (the execution role may decrypt with it). */
  secretsKmsKeyArn?: pulumi.Input<string> | undefined;
  loadBalancer: ServiceEndpointArgs;
  /** Production: at least two tasks (validated), so one zone or one task can fail without an outage. Default false. */
  production?: boolean;
  /** Task size in CPU units (default 512) and MiB (default 1024); must be a Fargate size. */
  cpu?: number;
  memory?: number;
  /** The port the service listens on, `PORT` (default 8080; 1024 or above, as the process is not root). */
  containerPort?: number;
  /** uid:gid the process runs as (default `1000:1000`, the `node` user of the official Node images); never root. */
  user?: string;
  /** `LOG_LEVEL` (default info). */
  logLevel?: string;
  /** `VERIFY_TOKEN_HEADER`: the header Genesys sends the token in (default verify-token). */
  verifyTokenHeader?: string;
  /** `TURN_BUDGET_MS` (default 5000); also the yardstick of the slow-response alarm. */
  turnBudgetMs?: number;
  /** `MAX_CONNECTIONS`: client connections one task keeps open (default 8192); the task's open-file limit is sized from it. */
  maxConnections?: number;
  /** More plain (non-secret) environment variables; names that look like credentials are refused, pass those as secrets. */
  environment?: Record<string, string>;
  /** Tasks at start and the fewest autoscaling keeps (default 2 in production, else 1). */
  desiredCount?: number;
  autoscaling?: {
    /** Most tasks (default the larger of 4 and twice desiredCount). */
    maxCount?: number;
    /** Average CPU to hold, percent (default 60). */
    cpuTargetPercent?: number;
    /** Load balancer requests per task per minute to hold (default 3000). */
    requestsPerTargetPerMinute?: number;
  };
  /** Days of container logs kept (default 30). */
  logRetentionDays?: number;
  /** KMS key ARN for the log group (its key policy must allow CloudWatch Logs). Default: CloudWatch's own encryption. */
  logKmsKeyArn?: pulumi.Input<string>;
  alarms?: {
    /** SNS topic ARN notified when an alarm fires and clears (default: none, the alarms are still visible). */
    topicArn?: pulumi.Input<string>;
    /** p99 response time above this share of the turn budget is slow (default 0.8). */
    slowResponseFraction?: number;
    /** 5xx responses per minute that count as failing (default 5). */
    errorsPerMinute?: number;
    /** Roll a deployment back when the 5xx alarm fires during it (default true). */
    rollbackDeploymentOnErrors?: boolean;
  };
  /** Seconds between SIGTERM and SIGKILL, for in-flight turns to finish (default 30, at most 120). */
  stopTimeoutSeconds?: number;
  /** Seconds after a task starts before failed health checks count (default 30). */
  healthCheckGracePeriodSeconds?: number;
  /** CloudWatch Container Insights on the cluster (default true). */
  containerInsights?: boolean;
  /** Keep superseded task definition revisions registered, for a manual rollback (default false). */
  keepOldTaskDefinitions?: boolean;
  tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

const ROOT_USER = /^(0|root)(:.*)?$/;

function figuresOf(args: ServiceArgs) {
  return connectionFigures(args.loadBalancer.idleTimeoutSeconds ?? DEFAULT_IDLE_TIMEOUT_SECONDS, args.maxConnections);
}

/** The connection figures the container gets, as the service reads them. */
function figureEnvironment(args: ServiceArgs): Record<string, string> {
  const figures = figuresOf(args);
  return { KEEP_ALIVE_TIMEOUT_MS: String(figures.keepAliveTimeoutMs), MAX_CONNECTIONS: String(figures.maxConnections) };
}

export function validateServiceArgs(args: ServiceArgs, problems = new Problems()): Problems {
  const production = args.production ?? false;
  if (!isCpuArchitecture(args.image.cpuArchitecture)) problems.add("image.cpuArchitecture", `must be X86_64 or ARM64, got ${String(args.image.cpuArchitecture)}`);
  const sizeProblem = fargateSizeProblem(args.cpu ?? 512, args.memory ?? 1024);
  if (sizeProblem) problems.add(args.cpu === undefined ? "memory" : "cpu", sizeProblem);
  checkInteger(problems, "containerPort", args.containerPort, 1024, 65535);
  const user = args.user ?? "1000:1000";
  problems.require(user.trim() !== "" && !ROOT_USER.test(user.trim()), "user", `the container must not run as root, got "${user}"`);

  const secretNames = Object.keys(args.secrets);
  problems.require(secretNames.includes(VERIFY_TOKEN_ENV), "secrets", `must include ${VERIFY_TOKEN_ENV}: the service refuses to start without it`);
  for (const envName of secretNames) {
    if (!ENV_NAME.test(envName)) problems.add(`secrets.${envName}`, "is not a valid environment variable name");
    else if ((HOSTING_ENVIRONMENT as readonly string[]).includes(envName)) problems.add(`secrets.${envName}`, "is set by the hosting; it cannot be a secret");
  }
  for (const envName of Object.keys(args.environment ?? {})) {
    if (!ENV_NAME.test(envName)) problems.add(`environment.${envName}`, "is not a valid environment variable name");
    else if ((HOSTING_ENVIRONMENT as readonly string[]).includes(envName)) problems.add(`environment.${envName}`, "is set by the hosting; use the matching argument");
    else if (secretNames.includes(envName)) problems.add(`environment.${envName}`, "is also a secret; give it once, as a secret");
    else if (SECRET_LOOKING_ENV.test(envName)) problems.add(`environment.${envName}`, "looks like a credential; pass it in secrets so its value never appears in the task definition");
  }
  // The service's own configuration check, so the hosting refuses what the container would refuse at start.
  try {
    loadConfig({
      // Secrets reach the container as variables too; their values are not known here, only that they are set.
      ...Object.fromEntries(secretNames.map((name) => [name, "placeholder-secret-for-validation"])),
      ...(args.environment ?? {}),
      PORT: String(args.containerPort ?? 8080),
      LOG_LEVEL: args.logLevel ?? "info",
      VERIFY_TOKEN_HEADER: args.verifyTokenHeader ?? "verify-token",
      TURN_BUDGET_MS: String(args.turnBudgetMs ?? 5000),
      ...figureEnvironment(args),
      SESSION_STORE: "dynamodb",
      SESSION_TABLE: "validation",
      [VERIFY_TOKEN_ENV]: "placeholder-token-for-validation",
    });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const problem of error.problems) problems.add("environment", `the service would refuse it: ${problem}`);
  }

  const desired = args.desiredCount ?? (production ? 2 : 1);
  checkInteger(problems, "desiredCount", args.desiredCount, 1, 1000);
  if (production) problems.require(desired >= 2, "desiredCount", `production needs at least 2 tasks (one per availability zone), got ${desired}`);
  const maxCount = args.autoscaling?.maxCount;
  checkInteger(problems, "autoscaling.maxCount", maxCount, 1, 1000);
  if (maxCount !== undefined) problems.require(maxCount >= desired, "autoscaling.maxCount", `must be at least desiredCount (${desired}), got ${maxCount}`);
  checkInteger(problems, "autoscaling.cpuTargetPercent", args.autoscaling?.cpuTargetPercent, 10, 90);
  checkInteger(problems, "autoscaling.requestsPerTargetPerMinute", args.autoscaling?.requestsPerTargetPerMinute, 1, 1_000_000);

  const retention = args.logRetentionDays;
  if (retention !== undefined) problems.require(LOG_RETENTION_DAYS.includes(retention), "logRetentionDays", `must be one of ${LOG_RETENTION_DAYS.join(", ")}, got ${retention}`);
  const fraction = args.alarms?.slowResponseFraction;
  if (fraction !== undefined) problems.require(fraction > 0 && fraction <= 1, "alarms.slowResponseFraction", `must be above 0 and at most 1, got ${fraction}`);
  checkInteger(problems, "alarms.errorsPerMinute", args.alarms?.errorsPerMinute, 1, 100_000);
  checkInteger(problems, "stopTimeoutSeconds", args.stopTimeoutSeconds, 2, 120);
  checkInteger(problems, "healthCheckGracePeriodSeconds", args.healthCheckGracePeriodSeconds, 0, 7200);
  return problems;
}

/**
 * The endpoint service on ECS Fargate, to the secure baseline: tasks in private subnets without public
 * IPs, reachable only from the load balancer's security group; a non-root, read-only container (with
 * /tmp as a volume) running a digest-pinned image on the image's CPU architecture; secrets only by ARN;
 * logs to its own log group with retention; least-privilege roles; the deployment circuit breaker with
 * rollback and `waitForSteadyState`, so a bad release fails `pulumi up` visibly and rolls back; target
 * tracking on CPU and on requests per task; alarms on 5xx, slow responses and unhealthy tasks.
 */
export class Service extends pulumi.ComponentResource {
  readonly cluster: aws.ecs.Cluster;
  readonly service: aws.ecs.Service;
  readonly taskDefinition: aws.ecs.TaskDefinition;
  readonly logGroup: aws.cloudwatch.LogGroup;
  readonly taskRole: aws.iam.Role;
  readonly executionRole: aws.iam.Role;
  readonly taskSecurityGroup: aws.ec2.SecurityGroup;
  readonly alarms: aws.cloudwatch.MetricAlarm[];
  readonly clusterName: pulumi.Output<string>;
  readonly serviceName: pulumi.Output<string>;
  readonly logGroupName: pulumi.Output<string>;

  constructor(name: string, args: ServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    failOnProblems(SERVICE_TYPE, name, validateServiceArgs(args));
    super(SERVICE_TYPE, name, {}, opts);
    const parent = { parent: this };
    const tags = (suffix: string) => childTags(args.tags, `${name}-${suffix}`);
    const production = args.production ?? false;
    const port = args.containerPort ?? 8080;
    const turnBudgetMs = args.turnBudgetMs ?? 5000;
    const figures = figuresOf(args);
    const desiredCount = args.desiredCount ?? (production ? 2 : 1);
    const region = aws.getRegionOutput({}, parent).region;
    const accountId = aws.getCallerIdentityOutput({}, parent).accountId;

    this.cluster = new aws.ecs.Cluster(
      `${name}-cluster`,
      { settings: [{ name: "containerInsights", value: (args.containerInsights ?? true) ? "enabled" : "disabled" }], tags: tags("cluster") },
      parent,
    );
    this.logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      { retentionInDays: args.logRetentionDays ?? 30, ...(args.logKmsKeyArn ? { kmsKeyId: args.logKmsKeyArn } : {}), tags: tags("logs") },
      parent,
    );

    // Network: the load balancer is the only way in; out, only HTTPS (AWS APIs through NAT or VPC endpoints).
    this.taskSecurityGroup = new aws.ec2.SecurityGroup(
      `${name}-task-sg`,
      { vpcId: args.vpcId, description: "Bot Connector service tasks: from the load balancer only", tags: tags("task") },
      parent,
    );
    new aws.vpc.SecurityGroupIngressRule(
      `${name}-task-from-lb`,
      {
        securityGroupId: this.taskSecurityGroup.id,
        referencedSecurityGroupId: args.loadBalancer.securityGroupId,
        ipProtocol: "tcp",
        fromPort: port,
        toPort: port,
        description: "Service port, from the load balancer",
      },
      parent,
    );
    new aws.vpc.SecurityGroupEgressRule(
      `${name}-lb-to-task`,
      {
        securityGroupId: args.loadBalancer.securityGroupId,
        referencedSecurityGroupId: this.taskSecurityGroup.id,
        ipProtocol: "tcp",
        fromPort: port,
        toPort: port,
        description: "To the service tasks (traffic and health checks)",
      },
      parent,
    );
    new aws.vpc.SecurityGroupEgressRule(
      `${name}-task-https-out`,
      {
        securityGroupId: this.taskSecurityGroup.id,
        cidrIpv4: "0.0.0.0/0",
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        description: "HTTPS to AWS APIs (DynamoDB, ECR, Secrets Manager, CloudWatch Logs) and Genesys Cloud",
      },
      parent,
    );

    // Identity: two roles, each allowed exactly what it needs on exact ARNs.
    const trust = accountId.apply((id) => JSON.stringify(ecsTasksTrustPolicy(id)));
    this.executionRole = new aws.iam.Role(
      `${name}-execution-role`,
      { assumeRolePolicy: trust, description: "ECS starts the Bot Connector service: pull its image, write its logs, read its secrets", tags: tags("execution") },
      parent,
    );
    this.taskRole = new aws.iam.Role(
      `${name}-task-role`,
      { assumeRolePolicy: trust, description: "The Bot Connector service: its session table's items", tags: tags("task") },
      parent,
    );
    const secretEnvNames = Object.keys(args.secrets).sort();
    const executionPolicy = new aws.iam.RolePolicy(
      `${name}-execution-policy`,
      {
        role: this.executionRole.id,
        policy: pulumi
          .all([region, args.image.repositoryArn, this.logGroup.arn, pulumi.all(secretEnvNames.map((n) => args.secrets[n]!)), args.secretsKmsKeyArn])
          .apply(([r, repositoryArn, logGroupArn, secretArns, kms]) =>
            JSON.stringify(executionRolePolicy({ region: r, repositoryArn, logGroupArn, secretArns, secretsKmsKeyArn: kms })),
          ),
      },
      parent,
    );
    const taskPolicy = new aws.iam.RolePolicy(
      `${name}-task-policy`,
      {
        role: this.taskRole.id,
        policy: pulumi
          .all([region, args.sessionTable.arn, args.sessionTable.kmsKeyArn])
          .apply(([r, tableArn, kms]) => JSON.stringify(taskRolePolicy({ region: r, tableArn, tableKmsKeyArn: kms }))),
      },
      parent,
    );

    const containerDefinitions = pulumi
      .all([args.image.ref, region, this.logGroup.name, args.sessionTable.name, pulumi.all(secretEnvNames.map((n) => args.secrets[n]!))])
      .apply(([image, r, logGroupName, tableName, secretArns]) =>
        JSON.stringify([
          containerDefinition({
            image,
            port,
            user: args.user ?? "1000:1000",
            region: r,
            logGroupName,
            environment: serviceEnvironment({
              port,
              logLevel: args.logLevel ?? "info",
              verifyTokenHeader: args.verifyTokenHeader ?? "verify-token",
              tableName,
              region: r,
              turnBudgetMs,
              keepAliveTimeoutMs: figures.keepAliveTimeoutMs,
              maxConnections: figures.maxConnections,
              extra: args.environment ?? {},
            }),
            secrets: Object.fromEntries(secretEnvNames.map((n, i) => [n, secretArns[i]!])),
            stopTimeoutSeconds: args.stopTimeoutSeconds ?? 30,
            openFiles: figures.openFiles,
          }),
        ]),
      );
    this.taskDefinition = new aws.ecs.TaskDefinition(
      `${name}-task`,
      {
        // The cluster's generated name makes the family unique per stack, so stacks sharing an account never interleave revisions.
        family: pulumi.interpolate`${this.cluster.name}-service`,
        requiresCompatibilities: ["FARGATE"],
        networkMode: "awsvpc",
        cpu: String(args.cpu ?? 512),
        memory: String(args.memory ?? 1024),
        runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: args.image.cpuArchitecture },
        executionRoleArn: this.executionRole.arn,
        taskRoleArn: this.taskRole.arn,
        volumes: [{ name: TMP_VOLUME }],
        containerDefinitions,
        skipDestroy: args.keepOldTaskDefinitions ?? false,
        tags: tags("task"),
      },
      parent,
    );

    const specs = serviceAlarmSpecs({
      turnBudgetMs,
      slowResponseFraction: args.alarms?.slowResponseFraction ?? 0.8,
      errorsPerMinute: args.alarms?.errorsPerMinute ?? 5,
      loadBalancerArnSuffix: args.loadBalancer.loadBalancerArnSuffix,
      targetGroupArnSuffix: args.loadBalancer.targetGroupArnSuffix,
      apiId: args.loadBalancer.apiId,
    });
    this.alarms = specs.map((spec) => this.alarm(name, spec, args.alarms?.topicArn, args.tags));
    const errorAlarm = this.alarms[specs.findIndex((s) => s.key === "5xx")]!;

    this.service = new aws.ecs.Service(
      `${name}-service`,
      {
        cluster: this.cluster.arn,
        taskDefinition: this.taskDefinition.arn,
        desiredCount,
        launchType: "FARGATE",
        platformVersion: "LATEST",
        networkConfiguration: { subnets: args.privateSubnetIds, securityGroups: [this.taskSecurityGroup.id], assignPublicIp: false },
        loadBalancers: [{ targetGroupArn: args.loadBalancer.targetGroupArn, containerName: CONTAINER_NAME, containerPort: port }],
        healthCheckGracePeriodSeconds: args.healthCheckGracePeriodSeconds ?? 30,
        deploymentCircuitBreaker: { enable: true, rollback: true },
        deploymentMinimumHealthyPercent: 100,
        deploymentMaximumPercent: 200,
        ...((args.alarms?.rollbackDeploymentOnErrors ?? true) ? { alarms: { alarmNames: [errorAlarm.name], enable: true, rollback: true } } : {}),
        availabilityZoneRebalancing: "ENABLED",
        enableExecuteCommand: false,
        enableEcsManagedTags: true,
        propagateTags: "SERVICE",
        // `pulumi up` waits for the new tasks to be healthy, and fails (after ECS rolls back) when they are not.
        waitForSteadyState: true,
        tags: tags("service"),
      },
      // Autoscaling owns the running count after the first deployment; the roles' permissions must exist before a task starts.
      { parent: this, ignoreChanges: ["desiredCount"], dependsOn: [executionPolicy, taskPolicy] },
    );

    const scaling = new aws.appautoscaling.Target(
      `${name}-scaling`,
      {
        serviceNamespace: "ecs",
        scalableDimension: "ecs:service:DesiredCount",
        resourceId: pulumi.interpolate`service/${this.cluster.name}/${this.service.name}`,
        minCapacity: desiredCount,
        maxCapacity: args.autoscaling?.maxCount ?? Math.max(4, 2 * desiredCount),
        tags: tags("scaling"),
      },
      parent,
    );
    const trackingPolicy = (suffix: string, configuration: aws.types.input.appautoscaling.PolicyTargetTrackingScalingPolicyConfiguration) =>
      new aws.appautoscaling.Policy(
        `${name}-scale-${suffix}`,
        {
          policyType: "TargetTrackingScaling",
          serviceNamespace: scaling.serviceNamespace,
          scalableDimension: scaling.scalableDimension,
          resourceId: scaling.resourceId,
          targetTrackingScalingPolicyConfiguration: configuration,
        },
        parent,
      );
    trackingPolicy("cpu", {
      predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageCPUUtilization" },
      targetValue: args.autoscaling?.cpuTargetPercent ?? 60,
      scaleOutCooldown: 60,
      scaleInCooldown: 300,
    });
    trackingPolicy("requests", {
      predefinedMetricSpecification: {
        predefinedMetricType: "ALBRequestCountPerTarget",
        resourceLabel: pulumi.interpolate`${args.loadBalancer.loadBalancerArnSuffix}/${args.loadBalancer.targetGroupArnSuffix}`,
      },
      targetValue: args.autoscaling?.requestsPerTargetPerMinute ?? 3000,
      scaleOutCooldown: 60,
      scaleInCooldown: 300,
    });

    this.clusterName = this.cluster.name;
    this.serviceName = this.service.name;
    this.logGroupName = this.logGroup.name;
    this.registerOutputs({
      clusterName: this.clusterName,
      serviceName: this.serviceName,
      logGroupName: this.logGroupName,
      taskDefinitionArn: this.taskDefinition.arn,
    });
  }

  private alarm(name: string, spec: AlarmSpec, topicArn: pulumi.Input<string> | undefined, tags: ServiceArgs["tags"]): aws.cloudwatch.MetricAlarm {
    const { key, description, ...metric } = spec;
    return new aws.cloudwatch.MetricAlarm(
      `${name}-alarm-${key}`,
      {
        ...metric,
        alarmDescription: description,
        actionsEnabled: true,
        ...(topicArn !== undefined ? { alarmActions: [topicArn], okActions: [topicArn] } : {}),
        tags: childTags(tags, `${name}-alarm-${key}`),
      },
      { parent: this },
    );
  }
}
