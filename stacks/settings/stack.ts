/**
 * A whole stack's configuration: the Genesys and AWS settings read together, the Genesys deployer's
 * credentials (stack config or the provider's environment variables), and the rules that span both sides.
 * Every problem of the stack comes back at once, each with the command that fixes it, so a stack is fixed in
 * one round rather than one error per `pulumi preview`.
 */
import path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { CREDENTIAL_ENV } from "../../components/genesys/botList/credentials";
import { type VirtualAgentArgs } from "../../components/wiring";
import { type AwsProgramInputs, type AwsSettings, hostingArgsFromSettings, readAwsSettings } from "./aws";
import { type GenesysProgramInputs, type GenesysSettings, genesysArgsFromSettings, readGenesysSettings } from "./genesys";
import { formatProblems, type ParseOptions, type RawConfig, Reader, type SettingsProblem } from "./reader";

/** Where the deployer's credentials come from; their values are read by the program, never kept in settings. */
export interface DeployerCredentialSources {
  clientId: "config" | "env";
  clientSecret: "config" | "env";
}

export interface StackSettings {
  stack: string;
  genesys: GenesysSettings;
  aws: AwsSettings;
  deployer: DeployerCredentialSources;
}

export interface StackParseOptions extends ParseOptions {
  stack: string;
  /** The environment, for the Genesys provider's own variables (GENESYSCLOUD_OAUTHCLIENT_ID, ..._SECRET). */
  env?: Readonly<Record<string, string | undefined>>;
}

export interface ParsedStackSettings {
  /** Present only when there are no problems. */
  settings?: StackSettings;
  problems: SettingsProblem[];
  /** Every config key the settings read (set or not). */
  keysRead: string[];
}

export const DEPLOYER_CONFIG_KEYS = { clientId: "genesyscloud:oauthclientId", clientSecret: "genesyscloud:oauthclientSecret" } as const;

/** The keys whose values are secrets: set only with `pulumi config set --secret` (the parsers refuse plain text). */
export const SECRET_CONFIG_KEYS = ["virtual-agent:genesysVerifyToken", DEPLOYER_CONFIG_KEYS.clientSecret] as const;

export function parseStackSettings(raw: RawConfig, options: StackParseOptions): ParsedStackSettings {
  const r = new Reader(raw, options.stack, options.secretKeys);
  const genesys = readGenesysSettings(r);
  const aws = readAwsSettings(r);
  const deployer = readDeployerCredentials(r, options.env ?? {});
  crossChecks(r);
  const keysRead = [...r.keysRead].sort();
  if (!genesys || !aws || !deployer || r.problems.length > 0) return { problems: r.problems, keysRead };
  return { settings: { stack: options.stack, genesys, aws, deployer }, problems: [], keysRead };
}

const present = (value: string | undefined) => value !== undefined && value.trim() !== "";

/** The deploying OAuth client (client credentials) of the Genesys provider and the bot list. */
function readDeployerCredentials(r: Reader, env: Readonly<Record<string, string | undefined>>): DeployerCredentialSources | undefined {
  const before = r.problems.length;
  let clientId: DeployerCredentialSources["clientId"] = "config";
  if (r.string(DEPLOYER_CONFIG_KEYS.clientId) === undefined) {
    if (present(env[CREDENTIAL_ENV.clientId])) clientId = "env";
    else {
      r.problem(
        DEPLOYER_CONFIG_KEYS.clientId,
        `is not set, nor is ${CREDENTIAL_ENV.clientId}: the Genesys provider deploys with an OAuth client (client credentials)`,
        r.command(DEPLOYER_CONFIG_KEYS.clientId, "<client id>"),
      );
    }
  }
  let clientSecret: DeployerCredentialSources["clientSecret"] = "config";
  if (r.has(DEPLOYER_CONFIG_KEYS.clientSecret)) {
    if (!r.isSecure(DEPLOYER_CONFIG_KEYS.clientSecret)) {
      r.problem(DEPLOYER_CONFIG_KEYS.clientSecret, "is stored in plain text; the client secret must be a secret", r.command(DEPLOYER_CONFIG_KEYS.clientSecret, "<client secret>", " --secret"));
    }
  } else if (present(env[CREDENTIAL_ENV.clientSecret])) clientSecret = "env";
  else {
    r.problem(
      DEPLOYER_CONFIG_KEYS.clientSecret,
      `is not set, nor is ${CREDENTIAL_ENV.clientSecret}: the Genesys provider deploys with an OAuth client (client credentials)`,
      r.command(DEPLOYER_CONFIG_KEYS.clientSecret, "<client secret>", " --secret"),
    );
  }
  return r.problems.length > before ? undefined : { clientId, clientSecret };
}

/** Rules that need both sides (read from the raw values, so they hold even when other keys have problems). */
function crossChecks(r: Reader): void {
  if (!r.boolean("awsProduction", false)) return;
  if (r.boolean("genesysMessengerAllowAllDomains", false)) {
    r.problem("genesysMessengerAllowAllDomains", "must be false in a production stack (awsProduction): list the sites that embed the Messenger", r.command("genesysMessengerAllowAllDomains", "false"));
  }
  for (const domain of r.list("genesysMessengerAllowedDomains", "www.example.com") ?? []) {
    if (/^(https?:\/\/)?(localhost|127\.0\.0\.1)(:\d+)?$/.test(domain)) {
      r.problem("genesysMessengerAllowedDomains", `lists ${domain} in a production stack (awsProduction); only public sites belong there`, r.removeCommand("genesysMessengerAllowedDomains"));
    }
  }
}

/** The error the program stops with: every problem of the stack and the command that fixes each. */
export class StackConfigError extends pulumi.RunError {
  constructor(
    readonly stackName: string,
    readonly problems: readonly SettingsProblem[],
  ) {
    super(
      `stack "${stackName}" has ${problems.length} configuration problem${problems.length === 1 ? "" : "s"}; nothing was created. ` +
        `Fix ${problems.length === 1 ? "it" : "them"} and run again:\n${formatProblems(problems)}`,
    );
    this.name = "StackConfigError";
  }
}

/** Where the stack's rendered Architect flow is written: relative to the project, so the same on every machine. */
export function flowFilePathFor(stack: string): string {
  return path.posix.join("out", "flows", `${stack}.yaml`);
}

/** What the program adds to the settings: secrets, loaded files and stack references. */
export interface StackProgramInputs extends Omit<GenesysProgramInputs, "serviceUrl" | "flowFilePath">, AwsProgramInputs {}

/** Settings → the VirtualAgent composition's arguments. */
export function virtualAgentArgsFromSettings(settings: StackSettings, inputs: StackProgramInputs): VirtualAgentArgs {
  // The composition wires the service URL in; the Genesys mapping takes one, so it gets a stand-in that is dropped.
  const { serviceUrl: _wired, ...genesys } = genesysArgsFromSettings(settings.genesys, {
    ...inputs,
    serviceUrl: "https://wired-by-the-composition.invalid",
    flowFilePath: flowFilePathFor(settings.stack),
  });
  return {
    genesys,
    hosting: hostingArgsFromSettings(settings.aws, inputs),
    genesysRegion: settings.genesys.region,
    handoverContext: settings.genesys.handoverContext,
  };
}
