/**
 * Stack config validation: every committed stack file is valid, and a broken stack gets one list of every
 * problem, each with the `pulumi config set` (or `rm`) command that fixes it.
 */
import { formatProblems } from "../../stacks/settings/reader";
import { parseStackSettings } from "../../stacks/settings/stack";
import { DEPLOYER_ENV, engineConfig, projectDefaults, stackFileConfig, STACKS } from "./harness";

const parse = (stack: string, overrides: Record<string, unknown> = {}, env: Record<string, string> = DEPLOYER_ENV) => {
  const { values, secretKeys } = engineConfig(stackFileConfig(stack, overrides));
  return parseStackSettings(values, { stack, secretKeys, env });
};
const byKey = (problems: Array<{ key: string; message: string; fix: string }>) => Object.fromEntries(problems.map((p) => [p.key, p]));

describe("the committed stack files", () => {
  it.each(STACKS)("%s is valid as the program reads it (values as strings, structures as JSON)", (stack) => {
    const { settings, problems } = parse(stack);
    expect(formatProblems(problems)).toBe("");
    expect(settings?.aws.region).toBe("eu-central-1");
    expect(settings?.deployer).toEqual({ clientId: "env", clientSecret: "env" });
  });

  it("only production is marked production", () => {
    expect(STACKS.map((s) => parse(s).settings!.aws.production)).toEqual([false, false, true]);
  });
});

describe("a stack missing its required settings", () => {
  it("lists every missing key at once, each with the command that sets it", () => {
    // What the CLI hands over for a new stack: only the project's declared defaults.
    const { values } = engineConfig(projectDefaults());
    const { settings, problems } = parseStackSettings(values, { stack: "qa", env: {} });
    expect(settings).toBeUndefined();
    expect(problems.map((p) => p.key).sort()).toEqual(
      [
        "aws:region",
        "genesyscloud:awsRegion",
        "genesyscloud:oauthclientId",
        "genesyscloud:oauthclientSecret",
        "virtual-agent:genesysCredentialSlot",
        "virtual-agent:genesysCredentialType",
        "virtual-agent:genesysHandleUtteranceUriProperty",
        "virtual-agent:genesysIntegrationTypeId",
        "virtual-agent:genesysMessengerAllowedDomains",
        "virtual-agent:genesysNamePrefix",
        "virtual-agent:genesysQueueName",
      ].sort(),
    );
    for (const p of problems) expect(p.fix).toMatch(/^pulumi config (set|rm)( --path| --secret)? --stack qa /);
    const k = byKey(problems);
    expect(k["aws:region"]!.fix).toBe("pulumi config set --stack qa aws:region eu-central-1");
    expect(k["genesyscloud:oauthclientSecret"]!.fix).toBe("pulumi config set --secret --stack qa genesyscloud:oauthclientSecret <client secret>");
    expect(k["genesyscloud:oauthclientId"]!.message).toMatch(/nor is GENESYSCLOUD_OAUTHCLIENT_ID/);
  });
});

describe("invalid AWS settings", () => {
  it("are all reported at once, against the key that causes each, with a command that fixes it", () => {
    const { problems } = parse("dev", {
      "aws:region": "Frankfurt",
      "aws:defaultTags": { Environment: "dev" },
      "virtual-agent:awsCpuArchitecture": "sparc",
      "virtual-agent:awsTaskCpu": 256,
      "virtual-agent:awsTaskMemory": 4096,
      "virtual-agent:awsDesiredCount": 3,
      "virtual-agent:awsMaxCount": 2,
      "virtual-agent:awsLogLevel": "verbose",
      "virtual-agent:awsTurnBudgetMs": "fast",
      "virtual-agent:awsLogRetentionDays": 45,
      "virtual-agent:awsAllowedSourceCidrs": ["203.0.113.0/24"],
      "virtual-agent:awsHostedZoneId": "Z123",
      "virtual-agent:awsAlarmTopicArn": "oncall",
      "virtual-agent:awsKmsKeyArn": "arn:aws:kms:eu-central-1:111122223333:alias/va",
      "virtual-agent:awsSecretsRecoveryWindowDays": 3,
      "virtual-agent:awsVpcCidr": "10.0.0.0/27",
    });
    const k = byKey(problems);
    expect(Object.keys(k).sort()).toEqual(
      [
        "aws:defaultTags",
        "aws:region",
        "virtual-agent:awsAlarmTopicArn",
        "virtual-agent:awsAllowedSourceCidrs",
        "virtual-agent:awsCpuArchitecture",
        "virtual-agent:awsHostedZoneId",
        "virtual-agent:awsKmsKeyArn",
        "virtual-agent:awsLogLevel",
        "virtual-agent:awsLogRetentionDays",
        "virtual-agent:awsMaxCount",
        "virtual-agent:awsSecretsRecoveryWindowDays",
        "virtual-agent:awsTaskMemory",
        "virtual-agent:awsTurnBudgetMs",
        "virtual-agent:awsVpcCidr",
      ].sort(),
    );
    // One problem per key: a refused value is not judged again by the hosting's rules.
    expect(problems).toHaveLength(Object.keys(k).length);
    expect(k["virtual-agent:awsTaskMemory"]!).toMatchObject({
      message: expect.stringMatching(/memory 4096 MiB does not go with cpu 256/),
      fix: "pulumi config set --stack dev virtual-agent:awsTaskMemory 512",
    });
    expect(k["virtual-agent:awsMaxCount"]!.fix).toBe("pulumi config set --stack dev virtual-agent:awsMaxCount 6");
    expect(k["virtual-agent:awsAllowedSourceCidrs"]!).toMatchObject({
      message: expect.stringMatching(/only with a custom domain/),
      fix: "pulumi config rm --stack dev virtual-agent:awsAllowedSourceCidrs",
    });
    expect(k["virtual-agent:awsLogRetentionDays"]!.message).toMatch(/must be one of 1, 3, 5, 7, 14, 30/);
    expect(k["aws:region"]!.fix).toBe("pulumi config set --stack dev aws:region eu-central-1");
    expect(k["virtual-agent:awsHostedZoneId"]!.fix).toBe("pulumi config set --stack dev virtual-agent:awsDomainName bot.example.com");
  });

  it("refuses a production stack with one task or without the table's deletion protection", () => {
    const k = byKey(parse("prod", { "virtual-agent:awsDesiredCount": 1, "virtual-agent:awsTableDeletionProtection": false }).problems);
    expect(k["virtual-agent:awsTableDeletionProtection"]!.fix).toBe("pulumi config set --stack prod virtual-agent:awsTableDeletionProtection true");
    const k2 = byKey(parse("prod", { "virtual-agent:awsDesiredCount": 1 }).problems);
    expect(k2["virtual-agent:awsDesiredCount"]).toMatchObject({ message: expect.stringMatching(/production needs at least 2 tasks/), fix: "pulumi config set --stack prod virtual-agent:awsDesiredCount 2" });
  });

  it("takes a bucket for the load balancer's access logs only with a custom domain, and only a bucket name", () => {
    expect(byKey(parse("dev", { "virtual-agent:awsAccessLogsBucket": "acme-dev-logs" }).problems)["virtual-agent:awsAccessLogsBucket"]).toMatchObject({
      message: expect.stringMatching(/applies only with a custom domain/),
      fix: "pulumi config rm --stack dev virtual-agent:awsAccessLogsBucket",
    });
    expect(byKey(parse("prod", { "virtual-agent:awsAccessLogsBucket": "s3://Acme_Logs" }).problems)["virtual-agent:awsAccessLogsBucket"]!.message).toMatch(/is not an S3 bucket name/);
  });

  it("refuses VPC settings next to a network stack, and a digest next to building on preview", () => {
    const k = byKey(parse("prod", { "virtual-agent:awsNatGateways": "single", "virtual-agent:awsImageDigest": `sha256:${"a".repeat(64)}`, "virtual-agent:awsBuildOnPreview": true }).problems);
    expect(k["virtual-agent:awsNatGateways"]!.fix).toBe("pulumi config rm --stack prod virtual-agent:awsNatGateways");
    expect(k["virtual-agent:awsBuildOnPreview"]!.fix).toBe("pulumi config rm --stack prod virtual-agent:awsBuildOnPreview");
    expect(byKey(parse("dev", { "virtual-agent:awsImageDigest": "latest" }).problems)["virtual-agent:awsImageDigest"]!.message).toMatch(/must be an image digest/);
  });
});

describe("rules across both sides and the deployer's credentials", () => {
  it("keeps a production Messenger off every domain and off localhost", () => {
    const k = byKey(parse("prod", { "virtual-agent:genesysMessengerAllowAllDomains": true, "virtual-agent:genesysMessengerAllowedDomains": undefined }).problems);
    expect(k["virtual-agent:genesysMessengerAllowAllDomains"]!.message).toMatch(/must be false in a production stack/);
    const k2 = byKey(parse("prod", { "virtual-agent:genesysMessengerAllowedDomains": ["www.acme.example", "localhost"] }).problems);
    expect(k2["virtual-agent:genesysMessengerAllowedDomains"]!.message).toMatch(/lists localhost in a production stack/);
    // dev may use localhost.
    expect(parse("dev").problems).toEqual([]);
  });

  it("takes the deployer's credentials from config, the secret only as a secret", () => {
    const fromConfig = parse("dev", { "genesyscloud:oauthclientId": "cfg-id", "genesyscloud:oauthclientSecret": { secret: "cfg-secret" } }, {});
    expect(fromConfig.settings?.deployer).toEqual({ clientId: "config", clientSecret: "config" });
    expect(JSON.stringify(fromConfig.settings)).not.toContain("cfg-secret");
    const plain = byKey(parse("dev", { "genesyscloud:oauthclientId": "cfg-id", "genesyscloud:oauthclientSecret": "cfg-secret" }, {}).problems);
    expect(plain["genesyscloud:oauthclientSecret"]).toMatchObject({
      message: "is stored in plain text; the client secret must be a secret",
      fix: "pulumi config set --secret --stack dev genesyscloud:oauthclientSecret <client secret>",
    });
  });

  it("reports Genesys and AWS problems together", () => {
    const { problems } = parse("staging", { "virtual-agent:genesysFollowUpTimeout": "soon", "virtual-agent:awsTaskCpu": 300 });
    expect(problems.map((p) => p.key).sort()).toEqual(["virtual-agent:awsTaskCpu", "virtual-agent:genesysFollowUpTimeout"]);
  });
});
