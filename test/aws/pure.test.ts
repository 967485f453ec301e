/**
 * The pure helpers behind the AWS components: no Pulumi engine involved.
 */
import fs from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { serviceAlarmSpecs } from "../../components/aws/alarms";
import { contextDigest, contextTag, DockerIgnore } from "../../components/aws/buildContext";
import { formatIpv4Cidr, parseIpv4Cidr, planSubnets, vpcCidrProblem } from "../../components/aws/cidr";
import { containerDefinition, serviceEnvironment } from "../../components/aws/containerDefinition";
import { ecsTasksTrustPolicy, executionRolePolicy, taskRolePolicy } from "../../components/aws/iamPolicies";
import { lifecyclePolicy } from "../../components/aws/image";
import { dockerPlatform, FARGATE_SIZES, fargateSizeProblem } from "../../components/aws/platform";
import { SESSION_STORE_ACTIONS } from "../../service/src/sessions/tableSchema";
import { makeBuildContext, removeDir } from "./fixtures";

describe("CIDR planning", () => {
  it("parses canonical IPv4 blocks and refuses the rest", () => {
    expect(parseIpv4Cidr("10.0.0.0/16")).toEqual({ base: 10 * 2 ** 24, prefix: 16 });
    for (const bad of ["10.0.0.1/16", "10.0.0.0/33", "256.0.0.0/8", "10.0.0.0", "2001:db8::/32", "10.0.0.0/16 extra"]) {
      expect(parseIpv4Cidr(bad)).toBeUndefined();
    }
  });

  it("round-trips any canonical block", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 32 }), (address, prefix) => {
        const size = 2 ** (32 - prefix);
        const base = Math.floor(address / size) * size;
        const cidr = { base, prefix };
        expect(parseIpv4Cidr(formatIpv4Cidr(cidr))).toEqual(cidr);
      }),
    );
  });

  it("splits a VPC into disjoint private and public subnets per zone, inside the VPC", () => {
    expect(planSubnets("10.0.0.0/16", 2)).toEqual({ private: ["10.0.0.0/18", "10.0.64.0/18"], public: ["10.0.128.0/18", "10.0.192.0/18"] });
    fc.assert(
      fc.property(fc.integer({ min: 16, max: 25 }), fc.integer({ min: 2, max: 3 }), (prefix, zones) => {
        const plan = planSubnets(`10.0.0.0/${prefix}`, zones);
        const blocks = [...plan.private, ...plan.public].map((c) => parseIpv4Cidr(c)!);
        expect(blocks).toHaveLength(2 * zones);
        const sorted = [...blocks].sort((a, b) => a.base - b.base);
        for (let i = 1; i < sorted.length; i++) expect(sorted[i]!.base).toBeGreaterThanOrEqual(sorted[i - 1]!.base + 2 ** (32 - sorted[i - 1]!.prefix));
        const last = sorted[sorted.length - 1]!;
        expect(last.base + 2 ** (32 - last.prefix)).toBeLessThanOrEqual(10 * 2 ** 24 + 2 ** (32 - prefix));
      }),
    );
    expect(vpcCidrProblem("10.0.0.0/27", 2)).toMatch(/too small/);
    expect(vpcCidrProblem("10.0.0.0/8", 2)).toMatch(/16 to \/28/);
    expect(vpcCidrProblem("10.0.0.1/16", 2)).toMatch(/not an IPv4 CIDR/);
    expect(vpcCidrProblem("10.0.0.0/24", 2)).toBeUndefined();
  });
});

describe("platform", () => {
  it("maps each Fargate CPU architecture to its docker platform", () => {
    expect(dockerPlatform("X86_64")).toBe("linux/amd64");
    expect(dockerPlatform("ARM64")).toBe("linux/arm64");
  });

  it("knows Fargate's task sizes", () => {
    expect(fargateSizeProblem(512, 1024)).toBeUndefined();
    expect(fargateSizeProblem(256, 4096)).toMatch(/512, 1024, 2048/);
    expect(fargateSizeProblem(300, 1024)).toMatch(/not a Fargate size/);
    expect(fargateSizeProblem(8192, 18432)).toMatch(/16384–61440 in steps of 4096/);
    expect(FARGATE_SIZES.get(4096)).toContain(30720);
  });
});

describe(".dockerignore semantics", () => {
  const ignore = new DockerIgnore(
    ["# comment", "node_modules", "/dist/", "**/*.test.ts", "*.md", "!README.md", "docs/**", "src/secret?.txt", "tmp/[!k]*"].join("\n"),
  );

  it.each([
    ["node_modules/fastify/index.js", true],
    ["src/node_modules/x.js", false],
    ["dist/main.js", true],
    ["src/a.test.ts", true],
    ["a.test.ts", true],
    ["src/a.ts", false],
    ["CHANGELOG.md", true],
    ["README.md", false],
    ["src/NOTES.md", false],
    ["docs/guide/index.html", true],
    ["src/secret1.txt", true],
    ["src/secret10.txt", false],
    ["tmp/keep", false],
    ["tmp/drop", true],
  ])("%s ignored: %s", (file, ignored) => {
    expect(ignore.ignores(file)).toBe(ignored);
  });

  it("handles an allow-list ignore file (everything, then `!` what the image needs) without reading what stays out", () => {
    const allowList = new DockerIgnore("**\n!package.json\n!src/**\n!bots/**\n**/*.test.ts\n");
    expect(allowList.ignores("package.json")).toBe(false);
    expect(allowList.ignores("src/sessions/store.ts")).toBe(false);
    expect(allowList.ignores("src/sessions/store.test.ts")).toBe(true);
    expect(allowList.ignores("dist/main.js")).toBe(true);
    expect(allowList.ignores("Dockerfile")).toBe(true);
    expect(allowList.mayReinclude("node_modules")).toBe(false);
    expect(allowList.mayReinclude("src")).toBe(true);
    expect(new DockerIgnore("**\n!**/keep.txt\n").mayReinclude("node_modules")).toBe(true);
  });

  it("lets the last matching pattern decide, and refuses a bare !", () => {
    const reinclude = new DockerIgnore("*\n!src\n!Dockerfile\n");
    expect(reinclude.ignores("package.json")).toBe(true);
    expect(reinclude.ignores("src/main.ts")).toBe(false);
    expect(reinclude.ignores("Dockerfile")).toBe(false);
    expect(() => new DockerIgnore("!\n")).toThrow(/exclusion pattern/);
  });
});

describe("build context digest", () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach(removeDir));
  const digestOf = (ctx: { context: string; dockerfile: string }, settings = { platform: "linux/amd64" }) =>
    contextDigest({ context: ctx.context, dockerfile: ctx.dockerfile, settings });

  it("changes with what Docker sends, and only with that", () => {
    const ctx = makeBuildContext();
    dirs.push(ctx.root);
    const first = digestOf(ctx);
    expect(digestOf(ctx)).toBe(first);

    fs.mkdirSync(path.join(ctx.context, "node_modules", "x"), { recursive: true });
    fs.writeFileSync(path.join(ctx.context, "node_modules", "x", "index.js"), "ignored");
    fs.writeFileSync(path.join(ctx.context, "src", "main.test.ts"), "ignored");
    expect(digestOf(ctx)).toBe(first);

    fs.writeFileSync(path.join(ctx.context, "src", "main.js"), "console.log('changed');\n");
    const second = digestOf(ctx);
    expect(second).not.toBe(first);
    expect(digestOf(ctx, { platform: "linux/arm64" })).not.toBe(second);
    fs.appendFileSync(ctx.dockerfile, "ENV A=1\n");
    expect(digestOf(ctx)).not.toBe(second);
    expect(contextTag(second)).toMatch(/^src-[0-9a-f]{32}$/);
  });

  it("refuses a context too large to be meant (a missing .dockerignore)", () => {
    const ctx = makeBuildContext({ "a.txt": "a", "b.txt": "b", "c.txt": "c" });
    dirs.push(ctx.root);
    expect(() => contextDigest({ context: ctx.context, dockerfile: ctx.dockerfile, settings: {}, maxEntries: 3 })).toThrow(/\.dockerignore/);
  });
});

describe("container definition", () => {
  const image = `123456789012.dkr.ecr.eu-west-1.amazonaws.com/repo@sha256:${"a".repeat(64)}`;
  const spec = {
    image,
    port: 8080,
    user: "1000:1000",
    region: "eu-west-1",
    logGroupName: "logs",
    environment: serviceEnvironment({
      port: 8080,
      logLevel: "info",
      verifyTokenHeader: "verify-token",
      tableName: "t",
      region: "eu-west-1",
      turnBudgetMs: 5000,
      keepAliveTimeoutMs: 65_000,
      maxConnections: 8192,
    }),
    secrets: { VERIFY_TOKEN: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:vt-AbCdEf" },
    stopTimeoutSeconds: 30,
    openFiles: 9216,
  };

  it("sets the service's environment contract, with secrets only as references", () => {
    const def = containerDefinition(spec) as { environment: { name: string; value: string }[]; secrets: { name: string; valueFrom: string }[] };
    expect(Object.fromEntries(def.environment.map((e) => [e.name, e.value]))).toEqual({
      PORT: "8080",
      LOG_LEVEL: "info",
      VERIFY_TOKEN_HEADER: "verify-token",
      SESSION_STORE: "dynamodb",
      SESSION_TABLE: "t",
      AWS_REGION: "eu-west-1",
      TURN_BUDGET_MS: "5000",
      KEEP_ALIVE_TIMEOUT_MS: "65000",
      MAX_CONNECTIONS: "8192",
    });
    expect(def.secrets).toEqual([{ name: "VERIFY_TOKEN", valueFrom: spec.secrets.VERIFY_TOKEN }]);
  });

  it("lets extras never override the hosting's variables", () => {
    const env = serviceEnvironment({
      port: 1,
      logLevel: "debug",
      verifyTokenHeader: "h",
      tableName: "t",
      region: "r",
      turnBudgetMs: 1,
      keepAliveTimeoutMs: 2,
      maxConnections: 3,
      extra: { PORT: "9", FEATURE: "on" },
    });
    expect(env.PORT).toBe("1");
    expect(env.FEATURE).toBe("on");
  });

  it("refuses an image that is not pinned by digest", () => {
    expect(() => containerDefinition({ ...spec, image: "repo:latest" })).toThrow(/digest-pinned/);
    expect(() => containerDefinition({ ...spec, image: "repo@sha256:abc" })).toThrow(/digest-pinned/);
  });
});

describe("IAM policy documents", () => {
  it("trusts ECS tasks of this account only", () => {
    expect(ecsTasksTrustPolicy("123456789012").Statement).toEqual([
      {
        Effect: "Allow",
        Principal: { Service: "ecs-tasks.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
      },
    ]);
  });

  it("scopes the execution role to its repository, log group, secrets and key", () => {
    const doc = executionRolePolicy({
      region: "eu-west-1",
      repositoryArn: "arn:repo",
      logGroupArn: "arn:logs",
      secretArns: ["arn:s2", "arn:s1"],
      secretsKmsKeyArn: "arn:key",
    });
    const wildcard = doc.Statement.filter((s) => [s.Resource].flat().includes("*"));
    expect(wildcard).toEqual([{ Sid: "EcrAuthorization", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" }]);
    expect(doc.Statement.find((s) => s.Sid === "ReadServiceSecrets")?.Resource).toEqual(["arn:s1", "arn:s2"]);
    expect(doc.Statement.find((s) => s.Sid === "DecryptServiceSecrets")?.Condition).toEqual({
      StringEquals: { "kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com" },
    });
    expect(executionRolePolicy({ region: "r", repositoryArn: "a", logGroupArn: "l", secretArns: [] }).Statement.map((s) => s.Sid)).toEqual([
      "EcrAuthorization",
      "PullServiceImage",
      "WriteServiceLogs",
    ]);
  });

  it("gives the task role exactly the store's actions on its table", () => {
    expect(taskRolePolicy({ region: "r", tableArn: "arn:table" }).Statement).toEqual([
      { Sid: "SessionTableItems", Effect: "Allow", Action: [...SESSION_STORE_ACTIONS], Resource: "arn:table" },
    ]);
  });
});

describe("alarms", () => {
  it("derives the slow-response threshold from the turn budget and adds the API's 5xx only with an API", () => {
    const base = { turnBudgetMs: 5000, slowResponseFraction: 0.8, errorsPerMinute: 5, loadBalancerArnSuffix: "app/lb/1", targetGroupArnSuffix: "targetgroup/tg/2" };
    const specs = serviceAlarmSpecs(base);
    expect(specs.map((s) => s.key)).toEqual(["5xx", "slow", "unhealthy", "no-healthy"]);
    expect(specs.find((s) => s.key === "slow")).toMatchObject({ extendedStatistic: "p99", threshold: 4, metricName: "TargetResponseTime" });
    expect(serviceAlarmSpecs({ ...base, apiId: "abc" }).map((s) => s.key)).toContain("api-5xx");
  });
});

describe("ECR lifecycle policy", () => {
  it("expires only untagged images", () => {
    expect(JSON.parse(lifecyclePolicy(14)).rules).toEqual([
      expect.objectContaining({ selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 14 }, action: { type: "expire" } }),
    ]);
  });
});
