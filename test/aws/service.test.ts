/**
 * The Service component under mocks: task definition and container hardening, the ECS service's
 * network and deployment safety, IAM scoped to exact ARNs, scaling and alarms, and argument checks.
 */
import * as pulumi from "@pulumi/pulumi";
import { Service, type ServiceArgs } from "../../components/aws/service";
import { SESSION_STORE_ACTIONS } from "../../service/src/sessions/tableSchema";
import { json, type MockCloud, promiseOf, setupMocks } from "./mocks";

let cloud: MockCloud;
beforeAll(async () => {
  cloud = await setupMocks();
});

const IMAGE = `123456789012.dkr.ecr.eu-west-1.amazonaws.com/va-repo@sha256:${"d".repeat(64)}`;
const REPO_ARN = "arn:aws:ecr:eu-west-1:123456789012:repository/va-repo";
const TABLE_ARN = "arn:aws:dynamodb:eu-west-1:123456789012:table/va-sessions";
const SECRETS = {
  VERIFY_TOKEN: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:vt-AbCdEf",
  GENESYS_CLIENT_ID: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:cid-GhIjKl",
  GENESYS_CLIENT_SECRET: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:cs-MnOpQr",
};

function args(overrides: Partial<ServiceArgs> = {}): ServiceArgs {
  return {
    vpcId: "vpc-1",
    privateSubnetIds: pulumi.output(["subnet-private-a", "subnet-private-b"]),
    image: { ref: pulumi.output(IMAGE), repositoryArn: REPO_ARN, cpuArchitecture: "X86_64" },
    sessionTable: { name: "va-sessions", arn: TABLE_ARN },
    secrets: SECRETS,
    loadBalancer: {
      securityGroupId: "sg-lb",
      targetGroupArn: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/tg/1",
      targetGroupArnSuffix: "targetgroup/tg/1",
      loadBalancerArnSuffix: "app/lb/2",
    },
    ...overrides,
  };
}

interface Container {
  image: string;
  user: string;
  readonlyRootFilesystem: boolean;
  mountPoints: unknown[];
  environment: { name: string; value: string }[];
  secrets: { name: string; valueFrom: string }[];
  linuxParameters: { initProcessEnabled: boolean; capabilities: { drop: string[] } };
  stopTimeout: number;
  logConfiguration: { logDriver: string; options: Record<string, string> };
  portMappings: { containerPort: number }[];
}

const containers = () => json<Container[]>(cloud.one("aws:ecs/taskDefinition:TaskDefinition").inputs.containerDefinitions);
const policyOf = (suffix: string) => json<{ Statement: { Sid: string; Action: string | string[]; Resource: string | string[]; Condition?: unknown }[] }>(
  cloud.one("aws:iam/rolePolicy:RolePolicy", suffix).inputs.policy,
);

describe("Service: task definition", () => {
  let service: Service;
  const options: Record<string, pulumi.ResourceOptions> = {};
  beforeAll(async () => {
    service = await cloud.build(
      () =>
        new Service("svc", args({ environment: { FEATURE_FLAGS: "handover" }, turnBudgetMs: 6000, logLevel: "warn" }), {
          // SDK-side transformations see every child's options (ignoreChanges, dependsOn), which the mocks do not.
          transformations: [
            (t) => {
              options[t.name] = t.opts;
              return undefined;
            },
          ],
        }),
    );
  });

  it("runs on Fargate with the image's CPU architecture and a valid size", () => {
    const td = cloud.one("aws:ecs/taskDefinition:TaskDefinition").inputs;
    expect(td).toMatchObject({
      requiresCompatibilities: ["FARGATE"],
      networkMode: "awsvpc",
      cpu: "512",
      memory: "1024",
      runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
      volumes: [{ name: "tmp" }],
    });
    expect(td.family).toBe(`${cloud.one("aws:ecs/cluster:Cluster").state.name}-service`);
    expect(td.executionRoleArn).toBe(cloud.one("aws:iam/role:Role", "execution-role").state.arn);
    expect(td.taskRoleArn).toBe(cloud.one("aws:iam/role:Role", "task-role").state.arn);
  });

  it("runs one non-root container on a read-only root filesystem with /tmp as a volume", () => {
    const [c, ...others] = containers();
    expect(others).toHaveLength(0);
    expect(c!.user).toBe("1000:1000");
    expect(c!.readonlyRootFilesystem).toBe(true);
    expect(c!.mountPoints).toEqual([{ sourceVolume: "tmp", containerPath: "/tmp", readOnly: false }]);
    expect(c!.linuxParameters).toEqual({ initProcessEnabled: true, capabilities: { drop: ["ALL"] } });
    expect(c!.stopTimeout).toBe(30);
    expect(c!.portMappings[0]!.containerPort).toBe(8080);
  });

  it("runs the digest-pinned image", () => {
    expect(containers()[0]!.image).toBe(IMAGE);
  });

  it("passes secrets only by ARN and the service's contract as plain environment", () => {
    const c = containers()[0]!;
    expect(c.secrets).toEqual(
      Object.keys(SECRETS)
        .sort()
        .map((name) => ({ name, valueFrom: SECRETS[name as keyof typeof SECRETS] })),
    );
    expect(Object.fromEntries(c.environment.map((e) => [e.name, e.value]))).toEqual({
      AWS_REGION: "eu-west-1",
      FEATURE_FLAGS: "handover",
      LOG_LEVEL: "warn",
      PORT: "8080",
      SESSION_STORE: "dynamodb",
      SESSION_TABLE: "va-sessions",
      TURN_BUDGET_MS: "6000",
      VERIFY_TOKEN_HEADER: "verify-token",
      KEEP_ALIVE_TIMEOUT_MS: "65000",
      MAX_CONNECTIONS: "8192",
    });
    expect(c.environment.map((e) => e.name)).not.toContain("VERIFY_TOKEN");
  });

  it("logs through awslogs to its own log group, with retention", async () => {
    const logGroup = cloud.one("aws:cloudwatch/logGroup:LogGroup");
    expect(logGroup.inputs.retentionInDays).toBe(30);
    expect(containers()[0]!.logConfiguration).toEqual({
      logDriver: "awslogs",
      options: {
        "awslogs-group": logGroup.state.name,
        "awslogs-region": "eu-west-1",
        "awslogs-stream-prefix": "service",
        mode: "non-blocking",
        "max-buffer-size": "25m",
      },
    });
    expect(await promiseOf(service.logGroupName)).toBe(logGroup.state.name);
  });

  it("runs tasks in private subnets without public IPs, reachable only from the load balancer", () => {
    const ecs = cloud.one("aws:ecs/service:Service").inputs;
    const taskSg = cloud.one("aws:ec2/securityGroup:SecurityGroup", "task-sg").id;
    expect(ecs.networkConfiguration).toEqual({ subnets: ["subnet-private-a", "subnet-private-b"], securityGroups: [taskSg], assignPublicIp: false });
    expect(ecs.launchType).toBe("FARGATE");
    expect(ecs.loadBalancers).toEqual([{ targetGroupArn: args().loadBalancer.targetGroupArn, containerName: "service", containerPort: 8080 }]);
    const ingress = cloud.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
    expect(ingress.map((r) => r.inputs)).toEqual([
      expect.objectContaining({ securityGroupId: taskSg, referencedSecurityGroupId: "sg-lb", fromPort: 8080, toPort: 8080, ipProtocol: "tcp" }),
    ]);
    const egress = cloud.ofType("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").map((r) => r.inputs);
    expect(egress).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ securityGroupId: "sg-lb", referencedSecurityGroupId: taskSg, fromPort: 8080 }),
        expect.objectContaining({ securityGroupId: taskSg, cidrIpv4: "0.0.0.0/0", fromPort: 443, toPort: 443 }),
      ]),
    );
    expect(egress).toHaveLength(2);
  });

  it("deploys safely: circuit breaker with rollback, alarm rollback, full capacity kept, waits for steady state", () => {
    const ecs = cloud.one("aws:ecs/service:Service").inputs;
    expect(ecs).toMatchObject({
      deploymentCircuitBreaker: { enable: true, rollback: true },
      deploymentMinimumHealthyPercent: 100,
      deploymentMaximumPercent: 200,
      waitForSteadyState: true,
      enableExecuteCommand: false,
      desiredCount: 1,
    });
    expect(ecs.alarms).toEqual({ alarmNames: [cloud.one("aws:cloudwatch/metricAlarm:MetricAlarm", "alarm-5xx").state.name], enable: true, rollback: true });
    expect(options["svc-service"]?.ignoreChanges).toEqual(["desiredCount"]);
    const dependsOn = [options["svc-service"]?.dependsOn].flat() as pulumi.Resource[];
    expect(dependsOn).toHaveLength(2);
  });

  it("scales on CPU and on load balancer requests per task", () => {
    const cluster = cloud.one("aws:ecs/cluster:Cluster").state.name;
    const ecsName = cloud.one("aws:ecs/service:Service").state.name;
    const target = cloud.one("aws:appautoscaling/target:Target").inputs;
    expect(target).toMatchObject({
      serviceNamespace: "ecs",
      scalableDimension: "ecs:service:DesiredCount",
      resourceId: `service/${cluster}/${ecsName}`,
      minCapacity: 1,
      maxCapacity: 4,
    });
    const policies = Object.fromEntries(cloud.ofType("aws:appautoscaling/policy:Policy").map((p) => [p.name, p.inputs]));
    expect(policies["svc-scale-cpu"]).toMatchObject({
      policyType: "TargetTrackingScaling",
      resourceId: target.resourceId,
      targetTrackingScalingPolicyConfiguration: { predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageCPUUtilization" }, targetValue: 60 },
    });
    expect(policies["svc-scale-requests"]?.targetTrackingScalingPolicyConfiguration).toMatchObject({
      predefinedMetricSpecification: { predefinedMetricType: "ALBRequestCountPerTarget", resourceLabel: "app/lb/2/targetgroup/tg/1" },
      targetValue: 3000,
    });
  });

  it("alarms on 5xx, slow responses against the turn budget, and unhealthy targets", () => {
    const alarms = Object.fromEntries(cloud.ofType("aws:cloudwatch/metricAlarm:MetricAlarm").map((a) => [a.name.replace("svc-alarm-", ""), a.inputs]));
    expect(Object.keys(alarms).sort()).toEqual(["5xx", "no-healthy", "slow", "unhealthy"]);
    expect(alarms.slow).toMatchObject({ metricName: "TargetResponseTime", extendedStatistic: "p99", threshold: 4.8, dimensions: { LoadBalancer: "app/lb/2", TargetGroup: "targetgroup/tg/1" } });
    expect(alarms.unhealthy).toMatchObject({ metricName: "UnHealthyHostCount", threshold: 0, comparisonOperator: "GreaterThanThreshold" });
    expect(alarms["5xx"]!.metricQueries.map((q: { id: string }) => q.id)).toEqual(["target", "elb", "errors"]);
    expect(alarms.slow!.alarmActions).toBeUndefined();
  });
});

describe("Service: IAM", () => {
  beforeAll(async () => {
    await cloud.build(() => new Service("svc-iam", args({ secretsKmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/secrets" })));
  });

  it("lets ECS tasks of this account alone assume the roles", () => {
    for (const role of cloud.ofType("aws:iam/role:Role")) {
      expect(json(role.inputs.assumeRolePolicy)).toEqual({
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } } },
        ],
      });
    }
    expect(cloud.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")).toHaveLength(0);
  });

  it("lets the task role use only its table's items", () => {
    expect(policyOf("task-policy").Statement).toEqual([{ Sid: "SessionTableItems", Effect: "Allow", Action: [...SESSION_STORE_ACTIONS], Resource: TABLE_ARN }]);
  });

  it("lets the execution role pull its image, write its log group and read exactly its secrets", () => {
    const statements = policyOf("execution-policy").Statement;
    const logGroupArn = cloud.one("aws:cloudwatch/logGroup:LogGroup").state.arn as string;
    expect(statements.find((s) => s.Sid === "PullServiceImage")?.Resource).toBe(REPO_ARN);
    expect(statements.find((s) => s.Sid === "WriteServiceLogs")?.Resource).toEqual([logGroupArn, `${logGroupArn}:log-stream:*`]);
    expect(statements.find((s) => s.Sid === "ReadServiceSecrets")?.Resource).toEqual(Object.values(SECRETS).sort());
    expect(statements.find((s) => s.Sid === "DecryptServiceSecrets")).toMatchObject({ Action: "kms:Decrypt", Resource: "arn:aws:kms:eu-west-1:123456789012:key/secrets" });
    const wildcards = statements.filter((s) => [s.Resource].flat().some((r) => r === "*"));
    expect(wildcards.map((s) => s.Action)).toEqual(["ecr:GetAuthorizationToken"]);
  });
});

describe("Service: production and sizing", () => {
  it("runs at least two tasks in production and scales within the given bounds", async () => {
    await cloud.build(() => new Service("svc-prod", args({ production: true, autoscaling: { maxCount: 10, cpuTargetPercent: 50 } })));
    expect(cloud.one("aws:ecs/service:Service").inputs.desiredCount).toBe(2);
    expect(cloud.one("aws:appautoscaling/target:Target").inputs).toMatchObject({ minCapacity: 2, maxCapacity: 10 });
  });

  it("runs ARM64 tasks for an ARM64 image, notifies a topic, and keeps another log retention", async () => {
    const topicArn = "arn:aws:sns:eu-west-1:123456789012:alerts";
    await cloud.build(
      () =>
        new Service(
          "svc-arm",
          args({
            image: { ref: IMAGE, repositoryArn: REPO_ARN, cpuArchitecture: "ARM64" },
            cpu: 1024,
            memory: 2048,
            logRetentionDays: 90,
            alarms: { topicArn, rollbackDeploymentOnErrors: false },
            loadBalancer: { ...args().loadBalancer, apiId: "api123" },
          }),
        ),
    );
    expect(cloud.one("aws:ecs/taskDefinition:TaskDefinition").inputs).toMatchObject({ cpu: "1024", memory: "2048", runtimePlatform: { cpuArchitecture: "ARM64" } });
    expect(cloud.one("aws:cloudwatch/logGroup:LogGroup").inputs.retentionInDays).toBe(90);
    const alarms = cloud.ofType("aws:cloudwatch/metricAlarm:MetricAlarm");
    expect(alarms.map((a) => a.name)).toContain("svc-arm-alarm-api-5xx");
    for (const a of alarms) expect(a.inputs).toMatchObject({ alarmActions: [topicArn], okActions: [topicArn] });
    expect(cloud.one("aws:ecs/service:Service").inputs.alarms).toBeUndefined();
  });
});

describe("Service: validation", () => {
  it.each<[string, Partial<ServiceArgs>, RegExp]>([
    ["production with one task", { production: true, desiredCount: 1 }, /desiredCount: production needs at least 2 tasks/],
    ["a size Fargate does not offer", { cpu: 256, memory: 4096 }, /cpu: memory 4096 MiB does not go with cpu 256/],
    ["root", { user: "0:0" }, /user: the container must not run as root/],
    ["root by name", { user: "root" }, /must not run as root/],
    ["no verify token", { secrets: { OTHER: "arn" } }, /secrets: must include VERIFY_TOKEN/],
    ["a credential as plain environment", { environment: { CRM_API_KEY: "s3cr3t" } }, /environment.CRM_API_KEY: looks like a credential/],
    ["a hosting variable as environment", { environment: { SESSION_TABLE: "other" } }, /environment.SESSION_TABLE: is set by the hosting/],
    ["a variable both plain and secret", { environment: { GENESYS_CLIENT_ID: "x" } }, /environment.GENESYS_CLIENT_ID: is also a secret/],
    ["a log level the service refuses", { logLevel: "verbose" }, /environment: the service would refuse it: LOG_LEVEL must be one of/],
    ["a turn budget the service refuses", { turnBudgetMs: 50 }, /TURN_BUDGET_MS must be an integer from 100/],
    ["a bad header name", { verifyTokenHeader: "verify token" }, /VERIFY_TOKEN_HEADER/],
    ["a retention CloudWatch does not offer", { logRetentionDays: 10 }, /logRetentionDays: must be one of/],
    ["fewer tasks at most than at least", { desiredCount: 3, autoscaling: { maxCount: 2 } }, /autoscaling.maxCount: must be at least desiredCount \(3\)/],
    ["a slow threshold beyond the budget", { alarms: { slowResponseFraction: 1.5 } }, /alarms.slowResponseFraction/],
    ["a stop timeout Fargate does not allow", { stopTimeoutSeconds: 600 }, /stopTimeoutSeconds/],
  ])("refuses %s before creating anything", async (_, overrides, message) => {
    cloud.reset();
    expect(() => new Service("bad", args(overrides))).toThrow(message);
    await cloud.settle();
    expect(cloud.resources).toHaveLength(0);
  });
});
