/**
 * Runs the stack program (stacks/index.ts) under the Pulumi mocks of test/aws/mocks.ts, with a stack file's
 * config as the engine would pass it:
 *
 *   const run = await runStack("prod");                 // Pulumi.yaml defaults + stacks/Pulumi.prod.yaml
 *   run.cloud.one("genesyscloud:index/flow:Flow")       // every registered resource, by type
 *   await promiseOf(run.outputs.serviceUrl)             // the stack outputs
 *
 * The engine hands the program every value as a string (structured ones as JSON text) and lists the secret
 * keys apart; `engineConfig` does the same with a stack file's YAML values. The Genesys deployer's credentials
 * come from the environment, as in the pipeline.
 */
import path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { readStackConfig } from "../../components/genesys/tooling/stackFile";
import virtualAgentStack from "../../stacks";
import { readDeclarations } from "../../stacks/settings/reference";
import { type Json, type MockCloud, setupMocks } from "../aws/mocks";

export const ROOT = path.join(__dirname, "..", "..");
export const STACKS = ["dev", "staging", "prod"] as const;
export type StackName = (typeof STACKS)[number];

/** The platform team's network stack the prod stack references. */
export const NETWORK_STACK_OUTPUTS: Record<string, Json> = {
  "organization/network/prod": {
    vpcId: "vpc-0platform0000000",
    privateSubnetIds: ["subnet-0private00000a", "subnet-0private00000b"],
    publicSubnetIds: ["subnet-0public000000a", "subnet-0public000000b"],
  },
};

/** The deployer's credentials as the pipeline sets them; the secret must never reach plain text anywhere. */
export const DEPLOYER_ENV = {
  GENESYSCLOUD_OAUTHCLIENT_ID: "deployer-client-id-0001",
  GENESYSCLOUD_OAUTHCLIENT_SECRET: "deployer-secret-never-in-plain-text",
};

/** What the CLI passes for a stack that sets nothing: the declared defaults, as full keys. */
export function projectDefaults(): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(readDeclarations(ROOT))
      .filter(([, d]) => d.default !== undefined)
      .map(([key, d]) => [`virtual-agent:${key}`, d.default]),
  );
}

/** A config value given as a secret (what `pulumi config set --secret` stores), decrypted for the program. */
export interface SecretValue {
  secret: string;
}

export type ConfigOverrides = Record<string, unknown | SecretValue | undefined>;

const isSecretValue = (v: unknown): v is SecretValue => typeof v === "object" && v !== null && "secret" in v && Object.keys(v).length === 1;

/** A stack file's config (with the project's defaults, as the CLI merges them) plus overrides; `undefined` removes a key. */
export function stackFileConfig(stack: string, overrides: ConfigOverrides = {}): Record<string, unknown> {
  const { config } = readStackConfig(ROOT, stack);
  const merged: Record<string, unknown> = { ...config };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

/** Config values as the engine passes them to the program: strings, JSON for structures, secret keys listed. */
export function engineConfig(config: Record<string, unknown>): { values: Record<string, string>; secretKeys: string[] } {
  const values: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, value] of Object.entries(config)) {
    if (isSecretValue(value)) {
      values[key] = value.secret;
      secretKeys.push(key);
    } else if (typeof value === "object" && value !== null && "secure" in value) {
      throw new Error(`${key} is encrypted in the stack file; give its test value as { secret: "..." }`);
    } else values[key] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return { values, secretKeys };
}

export interface StackRun {
  cloud: MockCloud;
  outputs: Record<string, pulumi.Output<unknown>>;
}

export interface RunOptions {
  overrides?: ConfigOverrides;
  /** The process environment while the program runs (default: the deployer's credentials). */
  env?: Record<string, string>;
  /** A `pulumi preview` of a stack not deployed yet: every computed value unknown. */
  firstPreview?: boolean;
  /**
   * The stack name the engine runs the program under (default: the stack file's). A variant of a stack file
   * gets its own name so its rendered flow file (`out/flows/<stack>.yaml`) is not the one parallel runs write.
   */
  pulumiStack?: string;
}

/** Installs fresh mocks for the stack, runs the program and waits for every registration. */
export async function runStack(stack: string, options: RunOptions = {}): Promise<StackRun> {
  const cloud = await setupMocks({
    stack: options.pulumiStack ?? stack,
    region: "eu-central-1",
    stackReferences: NETWORK_STACK_OUTPUTS,
    ...(options.firstPreview ? { preview: true, firstDeployment: true } : {}),
  });
  const { values, secretKeys } = engineConfig(stackFileConfig(stack, options.overrides));
  pulumi.runtime.setAllConfig(values, secretKeys);
  const outputs = await withEnv(options.env ?? DEPLOYER_ENV, async () => {
    const result = virtualAgentStack();
    await cloud.settle();
    return result;
  });
  return { cloud, outputs: outputs as unknown as Record<string, pulumi.Output<unknown>> };
}

/** Runs `fn` with these environment variables set (and the Genesys ones cleared otherwise), then restores them. */
export async function withEnv<T>(env: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const keys = [...new Set([...Object.keys(env), ...Object.keys(DEPLOYER_ENV)])];
  const saved = Object.fromEntries(keys.map((k) => [k, process.env[k]]));
  for (const k of keys) {
    if (env[k] === undefined) delete process.env[k];
    else process.env[k] = env[k];
  }
  try {
    return await fn();
  } finally {
    for (const k of keys) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  }
}
