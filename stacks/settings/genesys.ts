/**
 * The Genesys part of a stack's configuration: raw config (as in `stacks/Pulumi.<stack>.yaml`, or as the
 * program reads it) → typed settings, plus every problem with the `pulumi config set` command that fixes it.
 * Pure: the stack program, `npm run synth` and `npm run doctor` all read the config through it.
 *
 * Every key is declared, with its type, description and default, in the `config:` block of Pulumi.yaml
 * (docs/configuration.md lists them); test/stacks/configKeys.test.ts keeps the two in step.
 */
import type * as pulumi from "@pulumi/pulumi";
import { GENESYS_PROTOCOLS, HEADER_NAME, type BotConnectorTypeSettings, type GenesysProtocol } from "../../components/genesys/botConnectorConfig";
import { digitalTimeoutProblems } from "../../components/genesys/flow/callDigitalBotConnector";
import { DEFAULT_BOT_RESPONSE_TIMEOUT, DEFAULT_SESSION_TIMEOUT } from "../../components/genesys/flow/description";
import { archyDuration } from "../../components/genesys/flow/callBotConnector";
import { type IntentActionChoice } from "../../components/genesys/flow/fromBot";
import { substitutionProblem } from "../../components/genesys/flow/substitution";
import { domainProblems } from "../../components/genesys/messenger/settings";
import { genesysNames, namePrefixProblem, type GenesysNames } from "../../components/genesys/names";
import { digitalRepliesRole, handoverContextRole, type OAuthClientRoleArgs } from "../../components/genesys/oauthClient";
import { botIds, type BotChoice, type FlowChoices, resolveBotChoice } from "../../components/genesys/plan";
import { type GenesysVirtualAgentArgs } from "../../components/genesys/virtualAgent";
import { type BotDefinition } from "../../service/src/bots/definition";
import { GENESYS_REGIONS, isGenesysRegion, type GenesysRegion } from "../../service/src/genesys/regions";
import { type ParseOptions, PROJECT, type RawConfig, Reader, type SettingsProblem } from "./reader";

export { formatProblems, PROJECT, type ParseOptions, type RawConfig, type SettingsProblem } from "./reader";

export interface GenesysSettings {
  region: GenesysRegion;
  /** v1: the Bot Connector; v2: the Digital Bot Connector (docs/digital-bot-connector.md). */
  protocol: GenesysProtocol;
  names: GenesysNames;
  botConnector: BotConnectorTypeSettings & { verifyTokenHeader: string; verifyToken: "generated" | "config" };
  bot: BotChoice;
  queue: { name: string; existing: boolean };
  flow: {
    followUpTimeout: string;
    transferPriority: number;
    failureMessage?: string;
    intentActions?: Record<string, IntentActionChoice>;
    participantDataPrefix?: string;
    /** Path (relative to the project) of an exported Call Bot Connector action used as the template. */
    callBotConnectorTemplateFile?: string;
    /** v2: the Call Digital Bot Connector action's Bot Response and Session Timeouts, ISO 8601. */
    botResponseTimeout?: string;
    sessionTimeout?: string;
  };
  messenger: {
    allowedDomains: string[];
    allowAllDomains: boolean;
    languages?: string[];
    defaultLanguage?: string;
    primaryColor?: string;
    launcher: "On" | "Off" | "OnDemand";
    autoStart: boolean;
    attachments: boolean;
    botDisplayName?: string;
    botAvatarUrl?: string;
  };
  serviceClient?: { roles: Array<{ name?: string; id?: string; divisionId?: string }> };
  /** The service writes hand-over context to participant data (with a least-privilege role of its own). */
  handoverContext: boolean;
}

export interface ParsedSettings {
  /** Present only when there are no problems. */
  settings?: GenesysSettings;
  problems: SettingsProblem[];
}

/** The messenger domain rule's fix: drop the list when every domain is allowed, else add a domain. */
function domainFix(r: Reader, allowAllDomains: boolean): string {
  return allowAllDomains ? r.removeCommand("genesysMessengerAllowedDomains") : r.command("genesysMessengerAllowedDomains[0]", "www.example.com", " --path");
}

/** Names must survive the Flow's raw-text substitution and Genesys's length limits. */
function nameProblem(value: string): string | undefined {
  return substitutionProblem(value);
}

export function parseGenesysSettings(raw: RawConfig, options: ParseOptions = {}): ParsedSettings {
  const r = new Reader(raw, options.stack, options.secretKeys);
  const settings = readGenesysSettings(r);
  return settings ? { problems: [], settings } : { problems: r.problems };
}

/**
 * The Genesys settings through a shared reader (the stack program reads the AWS settings through the same one,
 * so a stack's problems are reported together). Undefined when any Genesys key has a problem.
 */
export function readGenesysSettings(r: Reader): GenesysSettings | undefined {
  const problemsBefore = r.problems.length;

  const regionRaw = r.string("genesyscloud:awsRegion", { required: true, example: "eu-central-1", why: "the Genesys provider and the bot list need the org's region" });
  let region: GenesysRegion | undefined;
  if (regionRaw !== undefined) {
    const normalized = regionRaw.trim().toLowerCase();
    if (isGenesysRegion(normalized)) region = normalized;
    else r.problem("genesyscloud:awsRegion", `"${regionRaw}" is not a Genesys Cloud region (${GENESYS_REGIONS.join(", ")})`, r.command("genesyscloud:awsRegion", "eu-central-1"));
  }

  const prefix = r.string("genesysNamePrefix", { required: true, example: '"Acme Virtual Agent DEV"', why: "every Genesys object is named from it" });
  if (prefix !== undefined) {
    const problem = namePrefixProblem(prefix);
    if (problem) r.problem("genesysNamePrefix", problem, r.command("genesysNamePrefix", '"Acme Virtual Agent DEV"'));
  }

  const protocolRaw = r.string("genesysProtocol") ?? "v1";
  const protocol: GenesysProtocol = GENESYS_PROTOCOLS.includes(protocolRaw as GenesysProtocol) ? (protocolRaw as GenesysProtocol) : "v1";
  if (protocol !== protocolRaw) {
    r.problem("genesysProtocol", `must be v1 (the Bot Connector) or v2 (the Digital Bot Connector), got "${protocolRaw}"`, r.command("genesysProtocol", "v2"));
  }
  const unconfirmed = "no public source confirms it; run npm run doctor against the org to find it";
  // Both URI keys are read whatever the protocol (an unused one is ignored); the protocol's own is required.
  const uriKey = (key: string, needed: boolean) =>
    needed ? r.string(key, { required: true, example: "<property key>", why: unconfirmed }) : r.string(key);
  const integrationTypeId = r.string("genesysIntegrationTypeId", { required: true, example: "<integration type id>", why: unconfirmed });
  const handleUtteranceUriProperty = uriKey("genesysHandleUtteranceUriProperty", protocol === "v1" && protocolRaw === "v1");
  const botConnectorUriProperty = uriKey("genesysBotConnectorUriProperty", protocol === "v2");
  const typeSettings = {
    integrationTypeId,
    ...(handleUtteranceUriProperty !== undefined ? { handleUtteranceUriProperty } : {}),
    ...(botConnectorUriProperty !== undefined ? { botConnectorUriProperty } : {}),
    credentialSlot: r.string("genesysCredentialSlot", { required: true, example: "<credential slot key>", why: unconfirmed }),
    credentialType: r.string("genesysCredentialType", { required: true, example: "userDefined", why: unconfirmed }),
  };

  const header = r.string("genesysVerifyTokenHeader") ?? "verify-token";
  if (!HEADER_NAME.test(header)) r.problem("genesysVerifyTokenHeader", `"${header}" is not a valid HTTP header name`, r.command("genesysVerifyTokenHeader", "verify-token"));
  let verifyToken: "generated" | "config" = "generated";
  if (r.has("genesysVerifyToken")) {
    if (r.isSecure("genesysVerifyToken")) verifyToken = "config";
    else r.problem("genesysVerifyToken", "is stored in plain text; a verify token must be a secret", r.command("genesysVerifyToken", "<token>", " --secret"));
  }

  const botId = r.string("genesysBotId");
  const botVersion = r.string("genesysBotVersion");

  const queueName = r.string("genesysQueueName", { required: true, example: '"Acme Support"', why: "the flow hands conversations to this queue" });
  if (queueName !== undefined) {
    const problem = nameProblem(queueName);
    if (problem) r.problem("genesysQueueName", problem, r.command("genesysQueueName", '"Acme Support"'));
  }
  const queueExisting = r.boolean("genesysQueueExisting", false);
  const transferPriority = r.integer("genesysTransferPriority", 0, 0, 1_000_000);

  const followUpTimeout = r.string("genesysFollowUpTimeout") ?? "PT12H";
  try {
    archyDuration(followUpTimeout);
  } catch (err) {
    r.problem("genesysFollowUpTimeout", (err as Error).message, r.command("genesysFollowUpTimeout", "PT12H"));
  }
  const botResponseTimeout = r.string("genesysBotResponseTimeout") ?? DEFAULT_BOT_RESPONSE_TIMEOUT;
  const sessionTimeout = r.string("genesysSessionTimeout") ?? DEFAULT_SESSION_TIMEOUT;
  if (protocol === "v2") {
    const keys = { followUpTimeout: "genesysFollowUpTimeout", botResponseTimeout: "genesysBotResponseTimeout", sessionTimeout: "genesysSessionTimeout" } as const;
    const examples = { followUpTimeout: "PT12H", botResponseTimeout: "PT30S", sessionTimeout: "PT12H" } as const;
    for (const [name, key] of Object.entries(keys) as Array<[keyof typeof keys, (typeof keys)[keyof typeof keys]]>) {
      const problem = digitalTimeoutProblems({ followUpTimeout, botResponseTimeout, sessionTimeout }).find((p) => p.startsWith(name));
      if (problem) r.problem(key, problem.slice(name.length).replace(/^:? /, ""), r.command(key, examples[name]));
    }
  }
  const failureMessage = r.string("genesysFailureMessage");
  if (failureMessage !== undefined && failureMessage.includes("{{")) {
    r.problem("genesysFailureMessage", "must not contain {{ (the Flow resource would treat it as a substitution)", r.command("genesysFailureMessage", '"Sorry, let me get you a colleague."'));
  }
  const intentActions = readIntentActions(r);
  const participantDataPrefix = r.string("genesysParticipantDataPrefix");
  const templateFile = r.string("genesysCallBotConnectorTemplate");

  const allowAllDomains = r.boolean("genesysMessengerAllowAllDomains", false);
  const allowedDomains = r.list("genesysMessengerAllowedDomains", "www.example.com") ?? [];
  for (const reason of domainProblems(allowedDomains, allowAllDomains)) {
    r.problem("genesysMessengerAllowedDomains", reason, domainFix(r, allowAllDomains));
  }
  const languages = r.list("genesysMessengerLanguages", "en-us");
  const defaultLanguage = r.string("genesysMessengerDefaultLanguage");
  const primaryColor = r.string("genesysMessengerPrimaryColor");
  if (primaryColor !== undefined && !/^#[0-9a-fA-F]{6}$/.test(primaryColor)) {
    r.problem("genesysMessengerPrimaryColor", `"${primaryColor}" is not a colour such as #1d5aa6`, r.command("genesysMessengerPrimaryColor", "'#1d5aa6'"));
  }
  const launcher = r.string("genesysMessengerLauncher") ?? "On";
  if (!["On", "Off", "OnDemand"].includes(launcher)) r.problem("genesysMessengerLauncher", `must be On, Off or OnDemand, got "${launcher}"`, r.command("genesysMessengerLauncher", "On"));
  const autoStart = r.boolean("genesysMessengerAutoStart", true);
  const attachments = r.boolean("genesysMessengerAttachments", false);
  const botDisplayName = r.string("genesysBotDisplayName");
  const botAvatarUrl = r.string("genesysBotAvatarUrl");
  if (botAvatarUrl !== undefined && !botAvatarUrl.startsWith("https://")) {
    r.problem("genesysBotAvatarUrl", "must be an https URL", r.command("genesysBotAvatarUrl", "https://assets.example.com/bot.png"));
  }
  const serviceClient = readServiceClientRoles(r);
  const handoverContext = r.boolean("genesysHandoverContext", false);

  if (r.problems.length > problemsBefore) return undefined;
  const p = prefix as string;
  return {
    region: region as GenesysRegion,
    protocol,
    names: genesysNames(p, protocol),
    botConnector: { ...(typeSettings as BotConnectorTypeSettings), verifyTokenHeader: header, verifyToken },
    bot: { ...(botId ? { id: botId } : {}), ...(botVersion ? { version: botVersion } : {}) },
    queue: { name: queueName as string, existing: queueExisting },
    flow: {
      followUpTimeout,
      transferPriority,
      ...(failureMessage ? { failureMessage } : {}),
      ...(intentActions ? { intentActions } : {}),
      ...(participantDataPrefix ? { participantDataPrefix } : {}),
      ...(templateFile ? { callBotConnectorTemplateFile: templateFile } : {}),
      ...(protocol === "v2" ? { botResponseTimeout, sessionTimeout } : {}),
    },
    messenger: {
      allowedDomains,
      allowAllDomains,
      ...(languages ? { languages: languages.map((l) => l.toLowerCase()) } : {}),
      ...(defaultLanguage ? { defaultLanguage: defaultLanguage.toLowerCase() } : {}),
      ...(primaryColor ? { primaryColor } : {}),
      launcher: launcher as "On" | "Off" | "OnDemand",
      autoStart,
      attachments,
      ...(botDisplayName ? { botDisplayName } : {}),
      ...(botAvatarUrl ? { botAvatarUrl } : {}),
    },
    ...(serviceClient ? { serviceClient } : {}),
    handoverContext,
  };
}

function readIntentActions(r: Reader): Record<string, IntentActionChoice> | undefined {
  const key = "genesysIntentActions";
  const v = r.object(key, `${key}.<Intent>.action`, "transfer");
  if (v === undefined) return undefined;
  if (Array.isArray(v)) {
    r.problem(key, "must map intent names to actions", r.command(`${key}.<Intent>.action`, "transfer", " --path"));
    return undefined;
  }
  const out: Record<string, IntentActionChoice> = {};
  for (const [intent, choice] of Object.entries(v as Record<string, unknown>)) {
    const c = (choice ?? {}) as Record<string, unknown>;
    const at = `${key}.${intent}`;
    if (c.action !== "transfer" && c.action !== "disconnect") {
      r.problem(key, `${intent}: action must be transfer or disconnect, got ${JSON.stringify(c.action)}`, r.command(`${at}.action`, "transfer", " --path"));
      continue;
    }
    const priority = c.priority === undefined ? undefined : Number(c.priority);
    if (priority !== undefined && !(Number.isInteger(priority) && priority >= 0)) {
      r.problem(key, `${intent}: priority must be a whole number ≥ 0`, r.command(`${at}.priority`, "0", " --path"));
    }
    if (c.message !== undefined && (typeof c.message !== "string" || c.message.includes("{{"))) {
      r.problem(key, `${intent}: message must be text without {{`, r.command(`${at}.message`, '"One moment please."', " --path"));
    }
    if (c.setParticipantData !== undefined && typeof c.setParticipantData !== "boolean") {
      r.problem(key, `${intent}: setParticipantData must be true or false`, r.command(`${at}.setParticipantData`, "true", " --path"));
    }
    out[intent] = {
      action: c.action,
      ...(priority !== undefined ? { priority } : {}),
      ...(typeof c.message === "string" ? { message: c.message } : {}),
      ...(typeof c.setParticipantData === "boolean" ? { setParticipantData: c.setParticipantData } : {}),
    };
  }
  return out;
}

function readServiceClientRoles(r: Reader): GenesysSettings["serviceClient"] {
  const key = "genesysServiceClientRoles";
  const v = r.object(key, `${key}[0].name`, '"<role name>"');
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.length === 0) {
    r.problem(key, "must be a non-empty list of roles ({name} or {id}, optional divisionId)", r.command(`${key}[0].name`, '"<role name>"', " --path"));
    return undefined;
  }
  const roles: Array<{ name?: string; id?: string; divisionId?: string }> = [];
  v.forEach((role: unknown, i) => {
    const o = (role ?? {}) as Record<string, unknown>;
    const hasName = typeof o.name === "string" && o.name.trim() !== "";
    const hasId = typeof o.id === "string" && o.id.trim() !== "";
    if (hasName === hasId) {
      r.problem(key, `role ${i}: give exactly one of name or id`, r.command(`${key}[${i}].name`, '"<role name>"', " --path"));
      return;
    }
    roles.push({
      ...(hasName ? { name: o.name as string } : { id: o.id as string }),
      ...(typeof o.divisionId === "string" ? { divisionId: o.divisionId } : {}),
    });
  });
  return { roles };
}

/**
 * Whether the stack's bot choice (`genesysBotId`, `genesysBotVersion`) names one of the bot definitions; else the
 * one problem to report, with the command that fixes it. The settings alone cannot tell: it depends on the bots.
 * `botsDir` names where the definitions came from, in the message.
 */
export function botChoiceProblems(choice: BotChoice, definitions: readonly BotDefinition[], options: ParseOptions & { botsDir: string }): SettingsProblem[] {
  const resolved = resolveBotChoice(definitions, choice);
  if (!("problem" in resolved)) return [];
  const r = new Reader({}, options.stack);
  const problem = resolved.problem;
  const ids = botIds(definitions);
  switch (problem.kind) {
    case "noBots":
      r.problem("genesysBotId", `has no bot to name: ${options.botsDir} holds no bot definitions`, r.command("genesysBotId", "<bot id>"));
      break;
    case "ambiguous":
      r.problem(
        "genesysBotId",
        `is not set, and ${options.botsDir} holds several bots (${problem.ids.join(", ")}): name the one the flow calls`,
        r.command("genesysBotId", ids[0] as string),
      );
      break;
    case "unknownBot":
      r.problem("genesysBotId", `is "${problem.id}", which is not a bot of ${options.botsDir} (${problem.ids.join(", ")})`, r.command("genesysBotId", ids[0] as string));
      break;
    case "unknownVersion":
      r.problem(
        "genesysBotVersion",
        `is "${problem.version}", which bot "${problem.id}" does not have (versions: ${problem.versions.join(", ")})`,
        r.command("genesysBotVersion", problem.versions[problem.versions.length - 1] as string),
      );
      break;
  }
  return r.problems;
}

/** The flow choices the settings make (shared by the program's args and `npm run synth`). */
export function flowChoicesFromSettings(settings: GenesysSettings, callBotConnectorTemplate?: string): FlowChoices {
  const f = settings.flow;
  return {
    followUpTimeout: f.followUpTimeout,
    transferPriority: f.transferPriority,
    ...(f.failureMessage ? { failureMessage: f.failureMessage } : {}),
    ...(f.intentActions ? { intentActions: f.intentActions } : {}),
    ...(f.participantDataPrefix ? { participantDataPrefix: f.participantDataPrefix } : {}),
    ...(callBotConnectorTemplate ? { callBotConnectorTemplate } : {}),
    ...(settings.protocol === "v2" ? { protocol: "v2" as const, botResponseTimeout: f.botResponseTimeout, sessionTimeout: f.sessionTimeout } : {}),
  };
}

/** What the program adds to the settings: values that are not config (or are secret). */
export interface GenesysProgramInputs {
  /** HTTPS base URL of the endpoint service (from the AWS side). */
  serviceUrl: pulumi.Input<string>;
  /** Loaded bot definitions. */
  definitions: readonly BotDefinition[];
  /** `config.requireSecret("genesysVerifyToken")` when the settings say the token comes from config. */
  verifyToken?: pulumi.Input<string>;
  /** Text of `settings.flow.callBotConnectorTemplateFile`, read by the program. */
  callBotConnectorTemplate?: string;
  /** Where the rendered flow is written (relative to the project), e.g. `out/flows/<stack>.yaml`. */
  flowFilePath?: string;
}

/** Settings → the args of the GenesysVirtualAgent component. */
export function genesysArgsFromSettings(settings: GenesysSettings, inputs: GenesysProgramInputs): GenesysVirtualAgentArgs {
  if (settings.botConnector.verifyToken === "config" && inputs.verifyToken === undefined) {
    throw new Error(`the settings take the verify token from ${PROJECT}:genesysVerifyToken; pass it (config.requireSecret) as verifyToken`);
  }
  if (settings.flow.callBotConnectorTemplateFile && inputs.callBotConnectorTemplate === undefined) {
    throw new Error(`read ${settings.flow.callBotConnectorTemplateFile} (${PROJECT}:genesysCallBotConnectorTemplate) and pass its text as callBotConnectorTemplate`);
  }
  const m = settings.messenger;
  return {
    names: settings.names,
    serviceUrl: inputs.serviceUrl,
    protocol: settings.protocol,
    definitions: inputs.definitions,
    bot: settings.bot,
    botConnector: {
      type: {
        integrationTypeId: settings.botConnector.integrationTypeId,
        ...(settings.protocol === "v1"
          ? { handleUtteranceUriProperty: settings.botConnector.handleUtteranceUriProperty }
          : { botConnectorUriProperty: settings.botConnector.botConnectorUriProperty }),
        credentialSlot: settings.botConnector.credentialSlot,
        credentialType: settings.botConnector.credentialType,
      },
      verifyTokenHeader: settings.botConnector.verifyTokenHeader,
      ...(inputs.verifyToken !== undefined ? { verifyToken: inputs.verifyToken } : {}),
    },
    queue: { queueName: settings.queue.name, existing: settings.queue.existing },
    flow: { ...flowChoicesFromSettings(settings, inputs.callBotConnectorTemplate), ...(inputs.flowFilePath ? { filePath: inputs.flowFilePath } : {}) },
    messenger: {
      allowedDomains: m.allowedDomains,
      allowAllDomains: m.allowAllDomains,
      ...(m.languages ? { languages: m.languages } : {}),
      ...(m.defaultLanguage ? { defaultLanguage: m.defaultLanguage } : {}),
      ...(m.primaryColor ? { primaryColor: m.primaryColor } : {}),
      launcher: { visibility: m.launcher },
      conversation: { autoStart: m.autoStart },
      attachments: { enabled: m.attachments },
      bot: { ...(m.botDisplayName ? { displayName: m.botDisplayName } : {}), ...(m.botAvatarUrl ? { avatarUrl: m.botAvatarUrl } : {}) },
    },
    ...(serviceClientRoles(settings).length > 0 ? { serviceClient: { roles: serviceClientRoles(settings) } } : {}),
    botListApi: { region: settings.region },
  };
}

/**
 * The service client's roles: those configured, plus the least-privilege role of each feature that calls the
 * Platform API (hand-over context; the Digital Bot Connector's replies that come later).
 */
export function serviceClientRoles(settings: GenesysSettings): OAuthClientRoleArgs[] {
  return [
    ...(settings.serviceClient?.roles ?? []),
    ...(settings.handoverContext ? [handoverContextRole(settings.names.handoverRole)] : []),
    ...(settings.protocol === "v2" ? [digitalRepliesRole(settings.names.repliesRole)] : []),
  ];
}
