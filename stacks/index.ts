/**
 * The stack program: `pulumi preview` / `pulumi up` at the repository root run this file (package.json `main`;
 * Pulumi.yaml sets `stackConfigDir: stacks`, so each stack's config is `stacks/Pulumi.<stack>.yaml`).
 *
 * It is the only code that reads stack config. In order: read the whole config, validate all of it (one error
 * listing every problem with the command that fixes it, before any resource exists), load the bot definitions
 * and check that the config names the bot the flow calls (`genesysBotId`), configure the Genesys provider
 * explicitly, compose the Genesys side and the AWS hosting, and return the stack outputs. It is exported as a function (Pulumi calls it), so the tests run it once per stack file.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import * as genesyscloud from "@pulumi/genesyscloud";
import * as pulumi from "@pulumi/pulumi";
import { type ExistingNetworkArgs } from "../components/aws/network";
import { CREDENTIAL_ENV } from "../components/genesys/botList/credentials";
import { VirtualAgent } from "../components/virtualAgent";
import { BotDefinitionError, loadBotDefinitions } from "../service/src/bots/load";
import { NETWORK_STACK_OUTPUTS } from "./settings/aws";
import { botChoiceProblems } from "./settings/genesys";
import { PROJECT } from "./settings/reader";
import { parseStackSettings, StackConfigError, type StackSettings, virtualAgentArgsFromSettings } from "./settings/stack";

/** The project directory: relative paths in config (and the image's build context) are relative to it. */
const PROJECT_DIR = path.join(__dirname, "..");
/** The bot definitions the service image is built with (service/Dockerfile copies the same directory). */
const BOTS_DIR = path.join(PROJECT_DIR, "service", "bots");

/** The stack's config as the engine passed it, and which keys hold secrets (decrypted here, so named apart). */
function readConfig(): { raw: Record<string, string>; secretKeys: string[] } {
  const raw = pulumi.runtime.allConfig();
  // Not in the SDK's type declarations, but exported by it: the engine's list of secret keys.
  const isConfigSecret = (pulumi.runtime as unknown as { isConfigSecret?: (key: string) => boolean }).isConfigSecret;
  const secretKeys = Object.keys(raw).filter((key) => isConfigSecret?.(key) ?? false);
  return { raw, secretKeys };
}

/** The Genesys provider, configured explicitly: the region from config, the deployer's credentials as secrets. */
function genesysProvider(settings: StackSettings): genesyscloud.Provider {
  const config = new pulumi.Config("genesyscloud");
  const fromEnv = (name: string) => (process.env[name] ?? "").trim();
  const clientId = settings.deployer.clientId === "config" ? config.require("oauthclientId") : fromEnv(CREDENTIAL_ENV.clientId);
  const clientSecret =
    settings.deployer.clientSecret === "config" ? config.requireSecret("oauthclientSecret") : pulumi.secret(fromEnv(CREDENTIAL_ENV.clientSecret));
  return new genesyscloud.Provider("genesyscloud", {
    awsRegion: settings.genesys.region,
    oauthclientId: pulumi.secret(clientId),
    oauthclientSecret: clientSecret,
  });
}

/** A platform team's VPC, from its stack's outputs. */
function networkFromStack(stackName: string, withPublicSubnets: boolean): ExistingNetworkArgs {
  const network = new pulumi.StackReference(stackName);
  return {
    vpcId: network.requireOutput(NETWORK_STACK_OUTPUTS.vpcId) as pulumi.Output<string>,
    privateSubnetIds: network.requireOutput(NETWORK_STACK_OUTPUTS.privateSubnetIds) as pulumi.Output<string[]>,
    ...(withPublicSubnets ? { publicSubnetIds: network.requireOutput(NETWORK_STACK_OUTPUTS.publicSubnetIds) as pulumi.Output<string[]> } : {}),
  };
}

/** The bot definitions the image is built with; an invalid one stops the program with its problems, not a stack trace. */
function loadDefinitions() {
  try {
    return loadBotDefinitions(BOTS_DIR).map((loaded) => loaded.definition);
  } catch (err) {
    if (err instanceof BotDefinitionError) throw new pulumi.RunError(`${err.message}\nnothing was created. Fix the definitions and run again.`);
    throw err;
  }
}

function virtualAgentStack() {
  const stack = pulumi.getStack();
  const { raw, secretKeys } = readConfig();
  const parsed = parseStackSettings(raw, { stack, secretKeys, env: process.env });
  if (!parsed.settings) throw new StackConfigError(stack, parsed.problems);
  const settings = parsed.settings;

  const definitions = loadDefinitions();
  const botProblems = botChoiceProblems(settings.genesys.bot, definitions, { stack, botsDir: "service/bots" });
  if (botProblems.length > 0) throw new StackConfigError(stack, botProblems);
  const templateFile = settings.genesys.flow.callBotConnectorTemplateFile;
  const aws = settings.aws;
  const args = virtualAgentArgsFromSettings(settings, {
    definitions,
    ...(settings.genesys.botConnector.verifyToken === "config" ? { verifyToken: new pulumi.Config(PROJECT).requireSecret("genesysVerifyToken") } : {}),
    ...(templateFile ? { callBotConnectorTemplate: readFileSync(path.resolve(PROJECT_DIR, templateFile), "utf8") } : {}),
    ...(aws.network.kind === "stack" ? { network: networkFromStack(aws.network.stack, aws.domain !== undefined) } : {}),
  });

  const agent = new VirtualAgent("va", args, { providers: { genesyscloud: genesysProvider(settings) } });

  return {
    serviceUrl: agent.serviceUrl,
    genesysProtocol: settings.genesys.protocol,
    // The integration's URI under its protocol's name: v1 calls it the Handle Utterance URI, v2 the Bot Connector URI.
    ...(settings.genesys.protocol === "v2" ? { botConnectorUri: agent.genesys.uri } : { handleUtteranceUri: agent.handleUtteranceUri }),
    endpointMode: agent.hosting.endpoint.mode,
    integrationId: agent.integrationId,
    flowId: agent.flowId,
    flowName: agent.genesys.flow.flowName,
    queueId: agent.queueId,
    messengerDeploymentId: agent.deploymentId,
    messengerSnippet: agent.snippet,
    testPageHtml: agent.testPageHtml,
    sessionTableName: agent.sessionTableName,
    logGroupName: agent.logGroupName,
    imageRef: agent.imageRef,
    genesysRegion: settings.genesys.region,
    awsRegion: aws.region,
  };
}

export = virtualAgentStack;
