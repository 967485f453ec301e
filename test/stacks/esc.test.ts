/**
 * Per-environment credentials through Pulumi ESC (docs/esc.md): each stack file imports its environment, each
 * environment under esc/ logs in to AWS through OIDC and gives the Genesys client as config, and a read-only
 * twin serves previews. Opened as the CLI opens them (./esc.ts), the environments get the deployer to the
 * program as config, the secret as a secret; and without ESC the config keys and variables of before still work.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { CREDENTIAL_ENV } from "../../components/genesys/botList/credentials";
import { parseStackSettings } from "../../stacks/settings/stack";
import { isSecretInput, plainInput } from "../aws/mocks";
import { environmentConfig, environmentOf, ESC_DIR, openEnvironment, readEnvironment, Secret, setValue, stackFileKeys } from "./esc";
import { DEPLOYER_ENV, engineConfig, ROOT, runStack, stackFileConfig, STACKS } from "./harness";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- YAML documents
type Json = Record<string, any>;

const PROJECT = "virtual-agent";
/** A run of the stack program under the mocks is CPU work; on a loaded machine it takes far longer than the default. */
const PROGRAM_TIMEOUT = 180_000;
const CLIENT_SECRET = "genesys-client-secret-set-with-pulumi-env-set";
const stackFile = (stack: string) => path.join(ROOT, "stacks", `Pulumi.${stack}.yaml`);
const environmentFile = (name: string) => path.join(ESC_DIR, `${name}.yaml`);

/** ESC's aws-login, standing in: short-lived keys for the role it was given, the secret parts secret. */
const providers = {
  "aws-login": (inputs: unknown) => {
    const oidc = (inputs as Json).oidc as Json;
    return { accessKeyId: `ASIA-for-${oidc.roleArn}`, secretAccessKey: new Secret("session-secret-key"), sessionToken: new Secret("session-token") };
  },
};

/** An environment as `pulumi env init --file` and `pulumi env set ... --secret` leave it, opened. */
const opened = (name: string) => openEnvironment(setValue(readEnvironment(environmentFile(name)), "genesys.client.clientSecret", CLIENT_SECRET, true), providers);

describe.each(STACKS)("the %s stack's ESC environments", (stack) => {
  it("are imported by the stack file, with a read-only twin for previews", () => {
    expect((parseYaml(readFileSync(stackFile(stack), "utf8")) as Json).environment).toEqual([`${PROJECT}/${stack}`]);
    expect(existsSync(environmentFile(stack))).toBe(true);
    expect(existsSync(environmentFile(`${stack}-preview`))).toBe(true);
  });

  it.each([stack, `${stack}-preview`])("%s logs in to AWS through OIDC with a role only it may assume, for at most an hour", (name) => {
    const oidc = readEnvironment(environmentFile(name)).values.aws.login["fn::open::aws-login"].oidc as Json;
    expect(Object.keys(oidc).sort()).toEqual(["duration", "roleArn", "sessionName", "subjectAttributes"]);
    // Without it, every environment a stack imports presents the same subject (`...:env:<yaml>`), and a role's
    // trust policy cannot tell the deploy environment from the preview one.
    expect(oidc.subjectAttributes).toEqual(["currentEnvironment.name"]);
    expect(oidc.roleArn).toMatch(new RegExp(`^arn:aws:iam::\\d{12}:role/virtual-agent-${stack}-${name.endsWith("-preview") ? "preview" : "deploy"}$`));
    // AWS's rules for a role session name: 2 to 64 of these characters.
    expect(oidc.sessionName).toMatch(/^[\w+=,.@-]{2,64}$/);
    expect(oidc.duration).toBe("1h");
  });

  it("keeps deployments and previews apart: same account, different roles and Genesys clients", () => {
    const deploy = readEnvironment(environmentFile(stack)).values as Json;
    const preview = readEnvironment(environmentFile(`${stack}-preview`)).values as Json;
    const account = (v: Json) => /::(\d{12}):/.exec(v.aws.login["fn::open::aws-login"].oidc.roleArn)![1];
    expect(account(preview)).toBe(account(deploy));
    expect(preview.genesys.client.clientId).not.toBe(deploy.genesys.client.clientId);
  });

  it("give the program the Genesys client as config (the secret as a secret) and the AWS provider its variables", () => {
    for (const name of [stack, `${stack}-preview`]) {
      const env = opened(name);
      const clientId = readEnvironment(environmentFile(name)).values.genesys.client.clientId as string;
      expect(env.pulumiConfig).toEqual({ "genesyscloud:oauthclientId": clientId, "genesyscloud:oauthclientSecret": new Secret(CLIENT_SECRET) });
      expect(Object.keys(env.environmentVariables).sort()).toEqual([
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        CREDENTIAL_ENV.clientId,
        CREDENTIAL_ENV.clientSecret,
      ]);
      expect(env.environmentVariables.AWS_SECRET_ACCESS_KEY).toBeInstanceOf(Secret);
      expect(env.environmentVariables[CREDENTIAL_ENV.clientSecret]).toEqual(new Secret(CLIENT_SECRET));
    }
  });

  it("set only config keys the program reads", () => {
    const { values } = engineConfig(stackFileConfig(stack));
    const { keysRead } = parseStackSettings(values, { stack, env: DEPLOYER_ENV });
    for (const key of Object.keys(opened(stack).pulumiConfig)) expect(keysRead).toContain(key);
  });
});

describe("the environment definitions", () => {
  const files = STACKS.flatMap((s) => [s, `${s}-preview`]).map(environmentFile);

  it("hold no secret: the client secret is added with `pulumi env set --secret`, which ESC encrypts", () => {
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      expect(text).not.toMatch(/fn::secret/);
      expect((readEnvironment(file).values.genesys.client as Json).clientSecret).toBeUndefined();
      // Without it, opening fails on the reference: a missing secret is an error, not an empty credential.
      expect(() => openEnvironment(readEnvironment(file), providers)).toThrow("${genesys.client.clientSecret} refers to nothing");
    }
  });

  it("are opened with every reference resolved and nothing unmodelled", () => {
    for (const file of files) {
      const env = openEnvironment(setValue(readEnvironment(file), "genesys.client.clientSecret", CLIENT_SECRET, true), providers);
      expect(JSON.stringify(env)).not.toContain("${");
    }
  });
});

describe("the stack program with ESC", () => {
  it("reads the Genesys deployer from the environment's config, and keeps its secret a secret", async () => {
    const env = opened("dev");
    const overrides = environmentConfig(PROJECT, env, stackFileKeys(PROJECT, stackFile("dev")));
    const { values, secretKeys } = engineConfig(stackFileConfig("dev", overrides));
    expect(secretKeys).toEqual(["genesyscloud:oauthclientSecret"]);
    // The settings take the deployer from config, whatever the process environment holds.
    expect(parseStackSettings(values, { stack: "dev", secretKeys, env: {} }).settings?.deployer).toEqual({ clientId: "config", clientSecret: "config" });

    // Only the AWS variables: the Genesys client reaches the program through config alone.
    const awsOnly = Object.fromEntries(Object.entries(environmentOf(env)).filter(([name]) => name.startsWith("AWS_")));
    const { cloud } = await runStack("dev", { overrides, env: awsOnly });
    const provider = cloud.one("pulumi:providers:genesyscloud");
    expect(plainInput(provider.inputs.oauthclientId)).toBe(readEnvironment(environmentFile("dev")).values.genesys.client.clientId);
    expect(isSecretInput(provider.inputs.oauthclientSecret)).toBe(true);
    expect(plainInput(provider.inputs.oauthclientSecret)).toBe(CLIENT_SECRET);
    expect(cloud.resources.filter((r) => !isSecretInput(r.inputs.oauthclientSecret) && JSON.stringify(r.inputs).includes(CLIENT_SECRET))).toEqual([]);
  }, PROGRAM_TIMEOUT);
});

describe("the stack program without ESC (a DIY backend: the stack file without `environment:`)", () => {
  it("still takes the deployer from config keys, the secret set with --secret", async () => {
    const overrides = { "genesyscloud:oauthclientId": "config-client-id", "genesyscloud:oauthclientSecret": { secret: "config-client-secret" } };
    const { cloud } = await runStack("dev", { overrides, env: {} });
    const provider = cloud.one("pulumi:providers:genesyscloud");
    expect(plainInput(provider.inputs.oauthclientId)).toBe("config-client-id");
    expect(isSecretInput(provider.inputs.oauthclientSecret)).toBe(true);
    expect(plainInput(provider.inputs.oauthclientSecret)).toBe("config-client-secret");
  }, PROGRAM_TIMEOUT);

  it("still takes the deployer from the Genesys provider's variables", async () => {
    const { cloud } = await runStack("dev", { env: DEPLOYER_ENV });
    const provider = cloud.one("pulumi:providers:genesyscloud");
    expect(plainInput(provider.inputs.oauthclientId)).toBe(DEPLOYER_ENV.GENESYSCLOUD_OAUTHCLIENT_ID);
    expect(plainInput(provider.inputs.oauthclientSecret)).toBe(DEPLOYER_ENV.GENESYSCLOUD_OAUTHCLIENT_SECRET);
    expect(isSecretInput(provider.inputs.oauthclientSecret)).toBe(true);
  }, PROGRAM_TIMEOUT);
});
