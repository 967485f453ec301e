/**
 * The stack program with config the committed stacks do not use: a supplied verify token, a prebuilt image,
 * a certificate of one's own, source ranges, credentials from stack config, and a broken stack (refused
 * before anything is registered), a bot choice the definitions lack and an invalid definition.
 */
import * as pulumi from "@pulumi/pulumi";
import * as botLoader from "../../service/src/bots/load";
import { parseStackSettings, StackConfigError, virtualAgentArgsFromSettings } from "../../stacks/settings/stack";
import { isSecretInput, json, plainInput, promiseOf } from "../aws/mocks";
import { withoutSecrets } from "../genesys/harness";
import { DEPLOYER_ENV, runStack } from "./harness";

it("uses a supplied verify token for the credential and the service alike, generating none, keeping it secret", async () => {
  const token = "supplied-verify-token-0123456789abcdef";
  const { cloud } = await runStack("dev", { overrides: { "virtual-agent:genesysVerifyToken": { secret: token } } });
  expect(cloud.ofType("random:index/randomPassword:RandomPassword")).toHaveLength(0);
  const fields = cloud.one("genesyscloud:index/integrationCredential:IntegrationCredential").inputs.fields;
  expect(isSecretInput(fields) && plainInput(fields)).toEqual({ "verify-token": token });
  const version = cloud.one("aws:secretsmanager/secretVersion:SecretVersion", "-verify-token");
  expect(isSecretInput(version.inputs.secretString) && plainInput(version.inputs.secretString)).toBe(token);
  expect(JSON.stringify(cloud.resources.map((r) => withoutSecrets(r.inputs)))).not.toContain(token);
}, 30_000);

it("sends the verify token in the header the stack names, and tells the service that header", async () => {
  const { cloud } = await runStack("dev", { overrides: { "virtual-agent:genesysVerifyTokenHeader": "x-acme-bot-token" } });
  expect(Object.keys(plainInput<object>(cloud.one("genesyscloud:index/integrationCredential:IntegrationCredential").inputs.fields))).toEqual(["x-acme-bot-token"]);
  const [container] = json<Array<{ environment: Array<{ name: string; value: string }> }>>(cloud.one("aws:ecs/taskDefinition:TaskDefinition").inputs.containerDefinitions);
  expect(container!.environment).toContainEqual({ name: "VERIFY_TOKEN_HEADER", value: "x-acme-bot-token" });
}, 30_000);

it("deploys a digest CI pushed instead of building, so previews need no Docker", async () => {
  const digest = `sha256:${"0123456789abcdef".repeat(4)}`;
  const { cloud, outputs } = await runStack("staging", { overrides: { "virtual-agent:awsImageDigest": digest, "virtual-agent:awsBuildOnPreview": undefined } });
  expect(cloud.ofType("docker:index/image:Image")).toHaveLength(0);
  const repositoryUrl = cloud.one("aws:ecr/repository:Repository").state.repositoryUrl as string;
  expect(await promiseOf(outputs.imageRef)).toBe(`${repositoryUrl}@${digest}`);
}, 30_000);

it("uses a certificate of one's own without touching DNS, and admits only the listed source ranges", async () => {
  const certificateArn = "arn:aws:acm:eu-central-1:111122223333:certificate/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0";
  const ranges = ["203.0.113.0/24", "198.51.100.0/25"];
  const { cloud } = await runStack("staging", {
    overrides: { "virtual-agent:awsHostedZoneId": undefined, "virtual-agent:awsCertificateArn": certificateArn, "virtual-agent:awsAllowedSourceCidrs": ranges },
  });
  expect(cloud.ofType("aws:acm/certificate:Certificate")).toHaveLength(0);
  expect(cloud.ofType("aws:route53/record:Record")).toHaveLength(0);
  expect(cloud.one("aws:lb/listener:Listener", "-https").inputs.certificateArn).toBe(certificateArn);
  const lbSg = cloud.one("aws:ec2/securityGroup:SecurityGroup", "-endpoint-sg").id;
  const open = cloud.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) => r.inputs.cidrIpv4 !== undefined);
  expect(open.map((r) => `${r.inputs.securityGroupId} ${r.inputs.cidrIpv4} ${r.inputs.fromPort}`).sort()).toEqual(
    ranges.flatMap((c) => [`${lbSg} ${c} 443`, `${lbSg} ${c} 80`]).sort(),
  );
}, 30_000);

it("takes the deployer's credentials from stack config, the secret as a secret", async () => {
  const { cloud } = await runStack("dev", {
    env: {},
    overrides: { "genesyscloud:oauthclientId": "config-client-id", "genesyscloud:oauthclientSecret": { secret: "config-client-secret" } },
  });
  const provider = cloud.one("pulumi:providers:genesyscloud").inputs;
  expect(plainInput(provider.oauthclientId)).toBe("config-client-id");
  expect(isSecretInput(provider.oauthclientSecret) && plainInput(provider.oauthclientSecret)).toBe("config-client-secret");
}, 30_000);

it("refuses a broken stack before registering anything, listing every problem with its fix", async () => {
  let error: unknown;
  const started = runStack("prod", {
    env: {},
    overrides: { "virtual-agent:awsDesiredCount": 1, "virtual-agent:genesysMessengerAllowAllDomains": true, "virtual-agent:genesysMessengerAllowedDomains": [], "aws:region": undefined },
  }).catch((e: unknown) => (error = e));
  await started;
  expect(error).toBeInstanceOf(StackConfigError);
  const message = (error as Error).message;
  expect(message).toMatch(/^stack "prod" has 5 configuration problems; nothing was created\. Fix them and run again:/);
  for (const fix of [
    "pulumi config set --stack prod aws:region eu-central-1",
    "pulumi config set --stack prod genesyscloud:oauthclientId <client id>",
    "pulumi config set --secret --stack prod genesyscloud:oauthclientSecret <client secret>",
    "pulumi config set --stack prod virtual-agent:awsDesiredCount 2",
    "pulumi config set --stack prod virtual-agent:genesysMessengerAllowAllDomains false",
  ]) {
    expect(message).toContain(`fix: ${fix}`);
  }
}, 30_000);

it.each([
  [{ "virtual-agent:genesysBotId": "pizza" }, 'virtual-agent:genesysBotId is "pizza", which is not a bot of service/bots (acme-support)', "pulumi config set --stack dev virtual-agent:genesysBotId acme-support"],
  [{ "virtual-agent:genesysBotVersion": "2.0" }, 'virtual-agent:genesysBotVersion is "2.0", which bot "acme-support" does not have (versions: 1.0)', "pulumi config set --stack dev virtual-agent:genesysBotVersion 1.0"],
])("refuses a bot choice the definitions do not have, with the command that fixes it (%o)", async (overrides, problem, fix) => {
  let error: unknown;
  await runStack("dev", { overrides }).catch((e: unknown) => (error = e));
  expect(error).toBeInstanceOf(StackConfigError);
  expect((error as Error).message).toBe(`stack "dev" has 1 configuration problem; nothing was created. Fix it and run again:\n  - ${problem}\n      fix: ${fix}`);
}, 30_000);

it("stops on an invalid bot definition with its problems, as a configuration error without a stack trace", async () => {
  const issue = { file: "service/bots/acme-support.yaml", line: 98, path: "/nodes/route/branch/cases/1/next", message: 'node "return-order" does not exist' };
  const load = jest.spyOn(botLoader, "loadBotDefinitions").mockImplementation(() => {
    throw new botLoader.BotDefinitionError([issue]);
  });
  try {
    let error: unknown;
    await runStack("dev").catch((e: unknown) => (error = e));
    // Pulumi prints a RunError's message alone.
    expect(error).toBeInstanceOf(pulumi.RunError);
    expect((error as Error).message).toBe(
      'invalid bot definition:\n  service/bots/acme-support.yaml:98 /nodes/route/branch/cases/1/next: node "return-order" does not exist\nnothing was created. Fix the definitions and run again.',
    );
  } finally {
    load.mockRestore();
  }
}, 30_000);

it("maps a stack's settings to the composition's arguments with the per-stack flow file and the org's region", () => {
  const { settings } = parseStackSettings(
    {
      "genesyscloud:awsRegion": "eu-west-1",
      "aws:region": "eu-west-1",
      "virtual-agent:genesysNamePrefix": "VA",
      "virtual-agent:genesysIntegrationTypeId": "t",
      "virtual-agent:genesysHandleUtteranceUriProperty": "u",
      "virtual-agent:genesysCredentialSlot": "s",
      "virtual-agent:genesysCredentialType": "userDefined",
      "virtual-agent:genesysQueueName": "Q",
      "virtual-agent:genesysMessengerAllowedDomains": '["www.example.com"]',
    },
    { stack: "qa", env: DEPLOYER_ENV },
  );
  const args = virtualAgentArgsFromSettings(settings!, { definitions: [] });
  expect(args.genesys.flow?.filePath).toBe("out/flows/qa.yaml");
  expect(args.genesysRegion).toBe("eu-west-1");
  expect(args.genesys).not.toHaveProperty("serviceUrl");
  expect(args.hosting.network).toEqual({ cidrBlock: "10.0.0.0/16", availabilityZones: 2, natGateways: "perZone" });
});
