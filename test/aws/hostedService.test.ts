/**
 * The composed HostedService under mocks, in both endpoint modes, checked against the secure baseline
 * over every resource it creates (the way a policy pack would), and its outputs.
 */
import * as pulumi from "@pulumi/pulumi";
import { HostedService, type HostedServiceArgs } from "../../components/aws/hostedService";
import { makeBuildContext, removeDir, VERIFY_TOKEN } from "./fixtures";
import { type CapturedResource, json, type MockCloud, promiseOf, setupMocks } from "./mocks";

let cloud: MockCloud;
let ctx: ReturnType<typeof makeBuildContext>;
const NETWORK_STACK = "organization/network/prod";

beforeAll(async () => {
  cloud = await setupMocks({
    stackReferences: {
      [NETWORK_STACK]: { vpcId: "vpc-platform", privateSubnetIds: ["subnet-p1", "subnet-p2"], publicSubnetIds: ["subnet-u1", "subnet-u2"] },
    },
  });
  ctx = makeBuildContext();
});
afterAll(() => removeDir(ctx.root));

function args(overrides: Partial<HostedServiceArgs> = {}): HostedServiceArgs {
  return {
    image: { build: { context: ctx.context } },
    secrets: { verifyToken: pulumi.secret(VERIFY_TOKEN), additional: { GENESYS_CLIENT_ID: "cid", GENESYS_CLIENT_SECRET: pulumi.secret("client-secret-value") } },
    ...overrides,
  };
}

interface Statement {
  Action: string | string[];
  Resource: string | string[];
}

/** The baseline every deployment must meet, checked over all captured resources. */
function expectBaseline(resources: CapturedResource[], opts: { openLoadBalancerSg?: string }): void {
  const ofType = (type: string) => resources.filter((r) => r.type === type);

  // No ingress from everywhere, except the public load balancer's 443 and 80 when no ranges are configured.
  for (const rule of ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")) {
    if (rule.inputs.cidrIpv4 === "0.0.0.0/0" || rule.inputs.cidrIpv6 === "::/0") {
      expect(rule.inputs.securityGroupId).toBe(opts.openLoadBalancerSg);
      expect([80, 443]).toContain(rule.inputs.fromPort);
      expect(rule.inputs.toPort).toBe(rule.inputs.fromPort);
    }
  }
  for (const sg of ofType("aws:ec2/securityGroup:SecurityGroup")) expect(sg.inputs.ingress ?? []).toEqual([]);

  // Every log group expires its logs.
  const logGroups = ofType("aws:cloudwatch/logGroup:LogGroup");
  expect(logGroups.length).toBeGreaterThan(0);
  for (const lg of logGroups) expect(lg.inputs.retentionInDays).toBeGreaterThan(0);

  // IAM: exact resources only; `*` only where AWS requires it.
  for (const policy of ofType("aws:iam/rolePolicy:RolePolicy")) {
    for (const s of json<{ Statement: Statement[] }>(policy.inputs.policy).Statement) {
      const actions = [s.Action].flat();
      expect(actions.every((a) => !a.endsWith(":*") && a !== "*")).toBe(true);
      if ([s.Resource].flat().includes("*")) expect(actions).toEqual(["ecr:GetAuthorizationToken"]);
    }
  }
  expect(ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")).toHaveLength(0);

  // Secret values live only in their secret versions.
  const elsewhere = JSON.stringify(resources.filter((r) => r.type !== "aws:secretsmanager/secretVersion:SecretVersion").map((r) => r.inputs));
  expect(elsewhere).not.toContain(VERIFY_TOKEN);
  expect(elsewhere).not.toContain("client-secret-value");

  // The task runs the pushed digest, built for the architecture it runs on.
  const build = ofType("docker:index/image:Image")[0]!;
  const task = ofType("aws:ecs/taskDefinition:TaskDefinition")[0]!;
  const container = json<{ image: string }[]>(task.inputs.containerDefinitions)[0]!;
  expect(container.image).toBe(build.state.repoDigest);
  expect({ X86_64: "linux/amd64", ARM64: "linux/arm64" }[task.inputs.runtimePlatform.cpuArchitecture as string]).toBe(build.inputs.build.platform);

  // Tasks: private subnets, no public IP, circuit breaker with rollback.
  const ecs = ofType("aws:ecs/service:Service")[0]!.inputs;
  expect(ecs.networkConfiguration.assignPublicIp).toBe(false);
  expect(ecs.deploymentCircuitBreaker).toEqual({ enable: true, rollback: true });
}

describe("HostedService with a custom domain, in a created VPC", () => {
  let hosted: HostedService;
  beforeAll(async () => {
    hosted = await cloud.build(
      () =>
        new HostedService(
          "va",
          args({
            production: true,
            // As a stack passes unset config: undefined must not switch off production's protection.
            endpoint: { domain: { name: "bot.example.com", hostedZoneId: "Z0123" }, deletionProtection: undefined },
            service: { alarms: { topicArn: "arn:aws:sns:eu-west-1:123456789012:alerts" } },
            tags: { team: "cx" },
          }),
        ),
    );
  });

  it("meets the baseline", () => {
    expectBaseline(cloud.resources, { openLoadBalancerSg: cloud.named("va-endpoint-sg").id });
  });

  it("puts the load balancer in the public subnets and the tasks in the private ones", () => {
    const subnetIds = (kind: string) =>
      cloud
        .ofType("aws:ec2/subnet:Subnet")
        .filter((s) => s.name.includes(kind))
        .map((s) => s.id)
        .sort();
    expect([...cloud.one("aws:lb/loadBalancer:LoadBalancer").inputs.subnets].sort()).toEqual(subnetIds("public"));
    expect([...cloud.one("aws:ecs/service:Service").inputs.networkConfiguration.subnets].sort()).toEqual(subnetIds("private"));
  });

  it("protects production: two tasks, load balancer and table deletion protection", () => {
    expect(cloud.one("aws:ecs/service:Service").inputs.desiredCount).toBe(2);
    expect(cloud.one("aws:lb/loadBalancer:LoadBalancer").inputs.enableDeletionProtection).toBe(true);
    expect(cloud.one("aws:dynamodb/table:Table").inputs.deletionProtectionEnabled).toBe(true);
  });

  it("wires the table, the secrets and the image into the task and its roles", () => {
    const table = cloud.one("aws:dynamodb/table:Table").state;
    const container = json<{ environment: { name: string; value: string }[]; secrets: { name: string; valueFrom: string }[] }[]>(
      cloud.one("aws:ecs/taskDefinition:TaskDefinition").inputs.containerDefinitions,
    )[0]!;
    expect(container.environment).toContainEqual({ name: "SESSION_TABLE", value: table.name });
    const secretArns = Object.fromEntries(
      cloud.ofType("aws:secretsmanager/secret:Secret").map((s) => [s.inputs.description.split(" ")[0] as string, s.state.arn as string]),
    );
    expect(Object.fromEntries(container.secrets.map((s) => [s.name, s.valueFrom]))).toEqual(secretArns);
    expect(json<{ Statement: Statement[] }>(cloud.one("aws:iam/rolePolicy:RolePolicy", "task-policy").inputs.policy).Statement[0]!.Resource).toBe(table.arn);
  });

  it("tags what it creates", () => {
    for (const type of ["aws:ecs/cluster:Cluster", "aws:dynamodb/table:Table", "aws:ec2/vpc:Vpc", "aws:lb/loadBalancer:LoadBalancer"]) {
      expect(cloud.one(type).inputs.tags).toMatchObject({ team: "cx" });
    }
  });

  it("outputs the HTTPS URL, the table, the secret ARNs and the log group", async () => {
    expect(await promiseOf(hosted.url)).toBe("https://bot.example.com");
    expect(await promiseOf(hosted.tableName)).toBe(cloud.one("aws:dynamodb/table:Table").state.name);
    expect(Object.keys(await promiseOf(hosted.secretArns)).sort()).toEqual(["GENESYS_CLIENT_ID", "GENESYS_CLIENT_SECRET", "VERIFY_TOKEN"]);
    expect(await promiseOf(hosted.logGroupName)).toBe(cloud.one("aws:cloudwatch/logGroup:LogGroup").state.name);
    expect(await promiseOf(hosted.imageRef)).toBe(cloud.one("docker:index/image:Image").state.repoDigest);
  });
});

describe("HostedService without a domain, in a platform team's VPC", () => {
  let hosted: HostedService;
  beforeAll(async () => {
    hosted = await cloud.build(() => {
      const network = new pulumi.StackReference(NETWORK_STACK);
      return new HostedService(
        "va-dev",
        args({
          cpuArchitecture: "ARM64",
          network: {
            existing: {
              vpcId: network.requireOutput("vpcId") as pulumi.Output<string>,
              privateSubnetIds: network.requireOutput("privateSubnetIds") as pulumi.Output<string[]>,
            },
          },
          sessionTable: { deletionProtection: false },
          service: { turnBudgetMs: 4000 },
        }),
      );
    });
  });

  it("meets the baseline, with nothing open to the internet", () => {
    expectBaseline(cloud.resources, {});
    expect(cloud.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) => r.inputs.cidrIpv4)).toHaveLength(0);
  });

  it("creates no network and uses the referenced one", () => {
    expect(cloud.ofType("aws:ec2/vpc:Vpc")).toHaveLength(0);
    expect(cloud.ofType("aws:ec2/subnet:Subnet")).toHaveLength(0);
    expect(cloud.one("aws:ecs/service:Service").inputs.networkConfiguration.subnets).toEqual(["subnet-p1", "subnet-p2"]);
    expect(cloud.one("aws:lb/loadBalancer:LoadBalancer").inputs).toMatchObject({ internal: true, subnets: ["subnet-p1", "subnet-p2"] });
    expect(cloud.one("aws:lb/targetGroup:TargetGroup").inputs.vpcId).toBe("vpc-platform");
  });

  it("builds for ARM64 and runs ARM64 tasks", () => {
    expect(cloud.one("docker:index/image:Image").inputs.build.platform).toBe("linux/arm64");
    expect(cloud.one("aws:ecs/taskDefinition:TaskDefinition").inputs.runtimePlatform.cpuArchitecture).toBe("ARM64");
  });

  it("gives API Gateway a little more than the turn budget, and alarms on its 5xx too", () => {
    expect(cloud.one("aws:apigatewayv2/integration:Integration").inputs.timeoutMilliseconds).toBe(7000);
    expect(cloud.one("aws:cloudwatch/metricAlarm:MetricAlarm", "alarm-api-5xx").inputs.dimensions).toEqual({ ApiId: cloud.one("aws:apigatewayv2/api:Api").id });
    expect(cloud.one("aws:lb/loadBalancer:LoadBalancer").inputs.enableDeletionProtection).toBe(false);
    expect(cloud.one("aws:ecs/service:Service").inputs.desiredCount).toBe(1);
  });

  it("outputs API Gateway's HTTPS URL", async () => {
    expect(await promiseOf(hosted.url)).toBe(cloud.one("aws:apigatewayv2/api:Api").state.apiEndpoint);
    expect(await promiseOf(hosted.url)).toMatch(/^https:\/\//);
  });
});

describe("HostedService with an image built in CI", () => {
  it("runs the given digest and builds nothing", async () => {
    const digest = `sha256:${"e".repeat(64)}`;
    await cloud.build(() => new HostedService("va-ci", args({ image: { prebuiltDigest: digest } })));
    expect(cloud.ofType("docker:index/image:Image")).toHaveLength(0);
    const repoUrl = cloud.one("aws:ecr/repository:Repository").state.repositoryUrl as string;
    expect(json<{ image: string }[]>(cloud.one("aws:ecs/taskDefinition:TaskDefinition").inputs.containerDefinitions)[0]!.image).toBe(`${repoUrl}@${digest}`);
  });
});

describe("HostedService validation", () => {
  it("reports every part's problems together, before creating anything at all", async () => {
    cloud.reset();
    let error: unknown;
    try {
      new HostedService(
        "bad",
        args({
          production: true,
          network: { cidrBlock: "10.0.0.0/8" },
          endpoint: { allowedSourceCidrs: ["52.1.2.0/24"] },
          secrets: { verifyToken: "x", recoveryWindowInDays: 1 },
          sessionTable: { pointInTimeRecoveryDays: 0 },
          service: { desiredCount: 1, memory: 3000 },
        }),
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/^virtual-agent:aws:HostedService "bad" has invalid arguments:/);
    expect((error as { errors: { propertyPath: string }[] }).errors.map((e) => e.propertyPath).sort()).toEqual(
      [
        "endpoint.allowedSourceCidrs",
        "network.cidrBlock",
        "secrets.recoveryWindowInDays",
        "service.desiredCount",
        "service.memory",
        "sessionTable.pointInTimeRecoveryDays",
      ].sort(),
    );
    await cloud.settle();
    expect(cloud.resources).toHaveLength(0);
  });

  it("needs public subnets of an existing network for a custom domain", () => {
    expect(
      () =>
        new HostedService(
          "bad",
          args({ network: { existing: { vpcId: "v", privateSubnetIds: ["a", "b"] } }, endpoint: { domain: { name: "bot.example.com", hostedZoneId: "Z" } } }),
        ),
    ).toThrow(/endpoint.publicSubnetIds/);
  });
});
