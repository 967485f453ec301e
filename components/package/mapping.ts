/**
 * The component package's plain arguments (./args.ts) → the TypeScript components' richer arguments
 * (components/wiring.ts, components/genesys/virtualAgent.ts, components/aws/hostedService.ts), in one module.
 *
 * Everything is checked before any resource exists, and every problem is reported at once under the path the
 * user wrote (`genesys.messenger.launcher`, `hosting.service.maxCount`): first the rules only the plain surface
 * has (choices given as strings, paths to read), then the bot definitions and the flow they make, then the
 * components' own rules, whose paths are translated back to the plain ones.
 *
 * Preparing has side effects only where the program's directory needs them, and only once every rule holds:
 * the service image's build context is staged under `.virtual-agent/<name>/` (./serviceContext.ts).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { type HostedServiceArgs as RichHostedServiceArgs, validateHostedServiceArgs } from "../aws/hostedService";
import { CPU_ARCHITECTURES, type CpuArchitecture } from "../aws/platform";
import { failOnProblems, type Problem, Problems } from "../aws/validation";
import { HEADER_NAME, typeSettingsProblems } from "../genesys/botConnectorConfig";
import { archyDuration } from "../genesys/flow/callBotConnector";
import { describeFlow, type FlowPlan, type IntentActionChoice } from "../genesys/flow/fromBot";
import { renderInboundFlow, validateFlowDescription } from "../genesys/flow/render";
import { substitutionProblem } from "../genesys/flow/substitution";
import { messengerProblems, type MessengerSettings } from "../genesys/messenger/settings";
import { genesysNames, namePrefixProblem } from "../genesys/names";
import { handoverContextRole, type OAuthClientRoleArgs } from "../genesys/oauthClient";
import { flowPlanFor } from "../genesys/plan";
import { type GenesysVirtualAgentArgs as RichGenesysArgs } from "../genesys/virtualAgent";
import {
  type GenesysOutputsForHosting,
  type ServiceFeatures,
  validateVirtualAgentArgs,
  type VirtualAgentArgs as RichVirtualAgentArgs,
  type VirtualAgentHostingArgs,
  wireHosting,
} from "../wiring";
import { type BotDefinition } from "../../service/src/bots/definition";
import { BotDefinitionError, formatIssue, loadBotDefinitions, validateBotSet } from "../../service/src/bots/load";
import { GENESYS_REGIONS, isGenesysRegion } from "../../service/src/genesys/regions";
import type * as plain from "./args";
import { dynamicProviderHostProblem, type Resolve } from "./dynamicProviderHost";
import { stageServiceContext, stagedContextPath, WORK_DIR } from "./serviceContext";

/** The package's own service directory: the image is built from it, whichever program uses the package. */
export const SERVICE_DIR = path.resolve(__dirname, "..", "..", "service");

/** Where preparing reads and writes, and how it checks the engine's Node.js dynamic-provider host (tests inject these). */
export interface PrepareContext {
  /** The program's directory (default: the working directory, which is where Pulumi runs the package). */
  workRoot?: string;
  /** Module resolution for the dynamic-provider host check. */
  resolve?: Resolve;
}

const LAUNCHER_VISIBILITY = ["On", "Off", "OnDemand"] as const;
const NAT_GATEWAYS = ["perZone", "single"] as const;
const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace"] as const;
const INTENT_ACTIONS = ["transfer", "disconnect"] as const;
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[^:]+:\d{12}:key\/.+$/;
const LOCALHOST = /^(https?:\/\/)?(localhost|127\.0\.0\.1)(:\d+)?$/;

function oneOf<T extends string>(problems: Problems, at: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  problems.add(at, `must be ${allowed.slice(0, -1).join(", ")} or ${allowed[allowed.length - 1]}, got "${value}"`);
  return undefined;
}

function wholeNumber(problems: Problems, at: string, value: number | undefined): void {
  if (value !== undefined) problems.require(Number.isInteger(value) && value >= 0, at, `must be a whole number, 0 or more, got ${value}`);
}

/** The bot definitions of a directory, loaded and checked as one bot list (problems under `at`); undefined when they have any. */
function loadDefinitions(directory: string, workRoot: string, problems: Problems, at: string): BotDefinition[] | undefined {
  const dir = path.resolve(workRoot, directory);
  try {
    const loaded = loadBotDefinitions(dir);
    const issues = validateBotSet(loaded);
    for (const issue of issues) problems.add(at, formatIssue(issue));
    return issues.length > 0 ? undefined : loaded.map((b) => b.definition);
  } catch (err) {
    if (!(err instanceof BotDefinitionError)) throw err;
    for (const issue of err.issues) problems.add(at, formatIssue(issue));
    return undefined;
  }
}

function intentActions(flow: plain.Flow | undefined, problems: Problems): Record<string, IntentActionChoice> | undefined {
  if (flow?.intentActions === undefined) return undefined;
  const out: Record<string, IntentActionChoice> = {};
  for (const [intent, choice] of Object.entries(flow.intentActions)) {
    const at = `intentActions.${intent}`;
    const action = oneOf(problems, `${at}.action`, choice.action, INTENT_ACTIONS);
    wholeNumber(problems, `${at}.priority`, choice.priority);
    if (choice.message?.includes("{{")) problems.add(`${at}.message`, "must not contain {{ (the flow would treat it as a substitution)");
    if (action === undefined) continue;
    out[intent] = {
      action,
      ...(choice.priority !== undefined ? { priority: choice.priority } : {}),
      ...(choice.message !== undefined ? { message: choice.message } : {}),
      ...(choice.setParticipantData !== undefined ? { setParticipantData: choice.setParticipantData } : {}),
    };
  }
  return out;
}

/** The flow choices, checked; the template file is read here (relative to the program's directory). */
function flowChoices(flow: plain.Flow | undefined, workRoot: string, problems: Problems): Omit<FlowPlan, "flowName" | "integrationName" | "queueName" | "definition"> {
  if (flow?.followUpTimeout !== undefined) {
    try {
      archyDuration(flow.followUpTimeout);
    } catch (err) {
      problems.add("followUpTimeout", (err as Error).message);
    }
  }
  wholeNumber(problems, "transferPriority", flow?.transferPriority);
  if (flow?.failureMessage?.includes("{{")) problems.add("failureMessage", "must not contain {{ (the flow would treat it as a substitution)");
  let template: string | undefined;
  if (flow?.callBotConnectorTemplateFile !== undefined) {
    try {
      template = readFileSync(path.resolve(workRoot, flow.callBotConnectorTemplateFile), "utf8");
    } catch (err) {
      problems.add("callBotConnectorTemplateFile", `cannot be read: ${(err as Error).message}`);
    }
  }
  const actions = intentActions(flow, problems);
  return {
    ...(flow?.followUpTimeout !== undefined ? { followUpTimeout: flow.followUpTimeout } : {}),
    ...(flow?.transferPriority !== undefined ? { transferPriority: flow.transferPriority } : {}),
    ...(flow?.failureMessage !== undefined ? { failureMessage: flow.failureMessage } : {}),
    ...(actions !== undefined ? { intentActions: actions } : {}),
    ...(flow?.participantDataPrefix !== undefined ? { participantDataPrefix: flow.participantDataPrefix } : {}),
    ...(template !== undefined ? { callBotConnectorTemplate: template } : {}),
  };
}

/** Plain messenger choices → the Messenger component's settings (languages come from the flow when not given). */
function messengerSettings(m: plain.Messenger, launcher: (typeof LAUNCHER_VISIBILITY)[number] | undefined): RichGenesysArgs["messenger"] {
  return {
    allowedDomains: m.allowedDomains ?? [],
    allowAllDomains: m.allowAllDomains ?? false,
    ...(m.languages !== undefined ? { languages: m.languages.map((l) => l.toLowerCase()) } : {}),
    ...(m.defaultLanguage !== undefined ? { defaultLanguage: m.defaultLanguage.toLowerCase() } : {}),
    ...(m.primaryColor !== undefined ? { primaryColor: m.primaryColor } : {}),
    launcher: { visibility: launcher ?? "On" },
    conversation: { autoStart: m.autoStart ?? true },
    attachments: { enabled: m.attachments ?? false },
    bot: { ...(m.botDisplayName !== undefined ? { displayName: m.botDisplayName } : {}), ...(m.botAvatarUrl !== undefined ? { avatarUrl: m.botAvatarUrl } : {}) },
  };
}

/** The Messenger component's rule paths → the plain ones. */
const MESSENGER_PATHS: Record<string, string> = { "bot.avatarUrl": "botAvatarUrl", "launcher.visibility": "launcher" };

function serviceClientRoles(g: plain.Genesys, handoverRoleName: string, problems: Problems): OAuthClientRoleArgs[] {
  const roles: OAuthClientRoleArgs[] = [];
  (g.serviceClientRoles ?? []).forEach((role, i) => {
    const hasName = role.name !== undefined && role.name.trim() !== "";
    const hasId = role.id !== undefined && role.id.trim() !== "";
    if (hasName === hasId) problems.add(`serviceClientRoles[${i}]`, "give exactly one of name or id");
    else roles.push({ ...(hasName ? { name: role.name } : { id: role.id }), ...(role.divisionId !== undefined ? { divisionId: role.divisionId } : {}) });
  });
  return g.handoverContext ? [...roles, handoverContextRole(handoverRoleName)] : roles;
}

/** The Genesys side's arguments (without the service URL), or undefined when `problems` got any. */
function genesysArgs(g: plain.Genesys, workRoot: string, problems: Problems): Omit<RichGenesysArgs, "serviceUrl"> | undefined {
  const before = problems.list.length;
  const prefixProblem = namePrefixProblem(g.namePrefix);
  if (prefixProblem) problems.add("namePrefix", prefixProblem);
  const withClient = (g.serviceClientRoles?.length ?? 0) > 0 || g.handoverContext === true;
  if (g.region !== undefined) problems.require(isGenesysRegion(g.region), "region", `"${g.region}" is not a Genesys Cloud region`);
  else if (withClient) problems.add("region", "is required with serviceClientRoles or handoverContext: the service's OAuth client needs the org's region");
  for (const p of typeSettingsProblems(g.integrationType)) problems.add(`integrationType.${p.field}`, p.reason);
  const header = g.verifyTokenHeader ?? "verify-token";
  problems.require(HEADER_NAME.test(header), "verifyTokenHeader", `"${header}" is not a valid HTTP header name`);
  const queueProblem = substitutionProblem(g.queue.name);
  if (queueProblem) problems.add("queue.name", queueProblem);
  const launcher = oneOf(problems, "messenger.launcher", g.messenger.launcher, LAUNCHER_VISIBILITY);
  const choices = flowChoices(g.flow, workRoot, problems.at("flow"));
  const definitions = loadDefinitions(g.bots.directory, workRoot, problems, "bots.directory");
  const names = genesysNames(g.namePrefix);
  const roles = serviceClientRoles(g, names.handoverRole, problems);
  const bot = { ...(g.bots.id !== undefined ? { id: g.bots.id } : {}), ...(g.bots.version !== undefined ? { version: g.bots.version } : {}) };
  const messenger = messengerSettings(g.messenger, launcher);
  if (definitions !== undefined && !prefixProblem && !queueProblem) {
    // The flow the Genesys side will publish, rendered now: the bot choice, intent actions and names are judged here.
    try {
      const plan = flowPlanFor({ flowName: names.flow, integrationName: names.integration, queueName: g.queue.name, definitions, bot, choices });
      try {
        const description = describeFlow(plan);
        const flowProblems = validateFlowDescription(description);
        for (const p of flowProblems) problems.add("flow", p);
        if (flowProblems.length === 0) renderInboundFlow(description);
        const resolved: MessengerSettings = { ...messenger, languages: messenger.languages ?? description.languages, defaultLanguage: messenger.defaultLanguage ?? description.defaultLanguage };
        for (const p of messengerProblems(resolved)) problems.add(`messenger.${MESSENGER_PATHS[p.path] ?? p.path}`, p.reason);
      } catch (err) {
        problems.add("flow", (err as Error).message);
      }
    } catch (err) {
      problems.add("bots", (err as Error).message);
    }
  }
  if (problems.list.length > before || definitions === undefined) return undefined;
  return {
    names,
    definitions,
    bot,
    botConnector: {
      type: { ...g.integrationType },
      verifyTokenHeader: header,
      ...(g.verifyToken !== undefined ? { verifyToken: pulumi.secret(g.verifyToken) } : {}),
    },
    queue: { queueName: g.queue.name, existing: g.queue.existing ?? false },
    flow: choices,
    messenger,
    ...(roles.length > 0 ? { serviceClient: { roles } } : {}),
    botListApi: g.region !== undefined ? { region: g.region } : {},
  };
}

/**
 * The hosting's arguments (the verify token and the Genesys client are wired in later). A choice that is not one
 * of its values is reported and left out, so the components' own rules still judge the rest.
 */
function hostingArgs(h: plain.Hosting, problems: Problems): VirtualAgentHostingArgs {
  const production = h.production ?? false;
  const cpuArchitecture = oneOf<CpuArchitecture>(problems, "cpuArchitecture", h.cpuArchitecture, CPU_ARCHITECTURES);
  const natGateways = oneOf(problems, "network.natGateways", h.network?.natGateways, NAT_GATEWAYS);
  const logLevel = oneOf(problems, "service.logLevel", h.service?.logLevel, LOG_LEVELS);
  if (h.kmsKeyArn !== undefined) {
    problems.require(KMS_KEY_ARN.test(h.kmsKeyArn), "kmsKeyArn", "must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>; IAM policies cannot name an alias)");
  }
  if (production && h.tableDeletionProtection === false) problems.add("tableDeletionProtection", "must stay on with production: the table holds live conversations");
  const endpoint = h.endpoint ?? {};
  if (endpoint.domainName === undefined) {
    for (const key of ["hostedZoneId", "certificateArn"] as const) if (endpoint[key] !== undefined) problems.add(`endpoint.${key}`, "applies only with endpoint.domainName");
  }
  const kms = h.kmsKeyArn !== undefined ? { kmsKeyArn: h.kmsKeyArn } : {};
  const service = h.service ?? {};
  const network = h.network ?? {};
  return {
    production,
    ...(cpuArchitecture !== undefined ? { cpuArchitecture } : {}),
    network: network.existing
      ? {
          existing: {
            vpcId: network.existing.vpcId,
            privateSubnetIds: network.existing.privateSubnetIds,
            ...(network.existing.publicSubnetIds !== undefined ? { publicSubnetIds: network.existing.publicSubnetIds } : {}),
          },
          ...(network.cidrBlock !== undefined ? { cidrBlock: network.cidrBlock } : {}),
          ...(network.availabilityZones !== undefined ? { availabilityZones: network.availabilityZones } : {}),
          ...(natGateways !== undefined ? { natGateways } : {}),
        }
      : {
          ...(network.cidrBlock !== undefined ? { cidrBlock: network.cidrBlock } : {}),
          ...(network.availabilityZones !== undefined ? { availabilityZones: network.availabilityZones } : {}),
          ...(natGateways !== undefined ? { natGateways } : {}),
        },
    image: {
      ...(h.image?.prebuiltDigest !== undefined
        ? { prebuiltDigest: h.image.prebuiltDigest }
        : { build: { buildOnPreview: h.image?.buildOnPreview ?? false } }),
      forceDelete: h.image?.forceDelete ?? false,
      ...kms,
    },
    endpoint: {
      ...(endpoint.domainName !== undefined
        ? {
            domain: {
              name: endpoint.domainName,
              ...(endpoint.hostedZoneId !== undefined ? { hostedZoneId: endpoint.hostedZoneId } : {}),
              ...(endpoint.certificateArn !== undefined ? { certificateArn: endpoint.certificateArn } : {}),
            },
          }
        : {}),
      ...(endpoint.allowedSourceCidrs !== undefined ? { allowedSourceCidrs: endpoint.allowedSourceCidrs } : {}),
      ...(service.logRetentionDays !== undefined ? { apiAccessLogRetentionDays: service.logRetentionDays } : {}),
    },
    secrets: { ...(h.secretsRecoveryWindowDays !== undefined ? { recoveryWindowInDays: h.secretsRecoveryWindowDays } : {}), ...kms },
    sessionTable: { deletionProtection: h.tableDeletionProtection ?? true, ...kms },
    service: {
      ...(service.cpu !== undefined ? { cpu: service.cpu } : {}),
      ...(service.memory !== undefined ? { memory: service.memory } : {}),
      ...(service.desiredCount !== undefined ? { desiredCount: service.desiredCount } : {}),
      ...(service.maxCount !== undefined ? { autoscaling: { maxCount: service.maxCount } } : {}),
      ...(logLevel !== undefined ? { logLevel } : {}),
      ...(service.turnBudgetMs !== undefined ? { turnBudgetMs: service.turnBudgetMs } : {}),
      ...(service.logRetentionDays !== undefined ? { logRetentionDays: service.logRetentionDays } : {}),
      ...(service.alarmTopicArn !== undefined ? { alarms: { topicArn: service.alarmTopicArn } } : {}),
    },
    ...(h.tags !== undefined ? { tags: h.tags } : {}),
  };
}

/** The components' rule paths → where the plain arguments set that value (first match wins). */
const RICH_PATHS: Array<[RegExp, string]> = [
  [/^genesysRegion$/, "genesys.region"],
  [/^hosting\.(image\.)?cpuArchitecture$/, "hosting.cpuArchitecture"],
  [/^hosting\.service\.image\.cpuArchitecture$/, "hosting.cpuArchitecture"],
  [/^hosting\.endpoint\.domain\.name$/, "hosting.endpoint.domainName"],
  [/^hosting\.endpoint\.domain$/, "hosting.endpoint.hostedZoneId"],
  [/^hosting\.endpoint\.(public|private)SubnetIds$/, "hosting.network.existing.$1SubnetIds"],
  [/^hosting\.endpoint\.apiAccessLogRetentionDays$/, "hosting.service.logRetentionDays"],
  [/^hosting\.service\.autoscaling\.maxCount$/, "hosting.service.maxCount"],
  [/^hosting\.secrets\.recoveryWindowInDays$/, "hosting.secretsRecoveryWindowDays"],
];

/** A component rule's problem, under the plain argument the user sets. */
export function plainProblem(p: Problem): Problem {
  for (const [pattern, replacement] of RICH_PATHS) {
    if (pattern.test(p.propertyPath)) return { propertyPath: p.propertyPath.replace(pattern, replacement), reason: p.reason };
  }
  if (p.propertyPath === "hosting.service.environment") {
    if (/LOG_LEVEL/.test(p.reason)) return { propertyPath: "hosting.service.logLevel", reason: p.reason };
    if (/TURN_BUDGET_MS/.test(p.reason)) return { propertyPath: "hosting.service.turnBudgetMs", reason: p.reason };
  }
  return p;
}

/** Rules that need both sides (as a stack's production rules). */
function productionChecks(g: plain.Genesys, h: plain.Hosting | undefined, problems: Problems): void {
  if (!h?.production) return;
  if (g.messenger.allowAllDomains) problems.add("genesys.messenger.allowAllDomains", "must be false with hosting.production: list the sites that embed the Messenger");
  for (const domain of g.messenger.allowedDomains ?? []) {
    if (LOCALHOST.test(domain)) problems.add("genesys.messenger.allowedDomains", `lists ${domain} with hosting.production; only public sites belong there`);
  }
}

/**
 * The hosting's own rules (Fargate sizes, counts, retention periods, CIDRs, a custom domain's needs ...), under
 * the plain paths. The image is judged with the package's service directory standing in for the staged context,
 * which is written only once every rule holds.
 */
function hostingProblems(hosting: VirtualAgentHostingArgs, genesys: GenesysOutputsForHosting, features: ServiceFeatures, problems: Problems): void {
  const standIn = hosting.image?.build ? { ...hosting, image: { ...hosting.image, build: { ...hosting.image.build, context: SERVICE_DIR } } } : hosting;
  const rich = validateHostedServiceArgs(wireHosting(standIn, genesys, features)).list.map((p) => ({ ...p, propertyPath: `hosting.${p.propertyPath}` }));
  addTranslated(rich, problems);
}

/**
 * Adds component problems under their plain paths. One plain value can feed several component values (the log
 * retention sets the service's and the API's); it is reported once, by the first rule it breaks.
 */
function addTranslated(rich: Problem[], problems: Problems): void {
  const source = new Map<string, string>();
  for (const p of rich) {
    const translated = plainProblem(p);
    const first = source.get(translated.propertyPath);
    if (first !== undefined && first !== p.propertyPath) continue;
    source.set(translated.propertyPath, p.propertyPath);
    problems.list.push(translated);
  }
}

/**
 * Stages the image's build context (unless a prebuilt digest is given) and points the build at it. Problems go
 * under `hosting.image`; the staged path is relative to the working directory, where the docker provider runs.
 */
function withStagedImage<T extends VirtualAgentHostingArgs>(name: string, hosting: T, botsDir: string, workRoot: string, problems: Problems): T {
  if (hosting.image?.build === undefined) return hosting;
  const context = stagedContextPath(name);
  try {
    stageServiceContext({ serviceDir: SERVICE_DIR, botsDir, target: context, workRoot });
  } catch (err) {
    problems.add("hosting.image", `the build context ${context} cannot be staged: ${(err as Error).message}`);
  }
  const relative = path.relative(process.cwd(), path.resolve(workRoot, context));
  return { ...hosting, image: { ...hosting.image, build: { ...hosting.image.build, context: relative } } };
}

/** The flow file's path, relative to the working directory the Flow resource resolves it from. */
function flowFilePath(name: string, workRoot: string): string {
  return path.relative(process.cwd(), path.resolve(workRoot, WORK_DIR, name, "architect-flow.yaml"));
}

function checkDynamicProviderHost(workRoot: string, resolve: Resolve | undefined, problems: Problems): void {
  const problem = dynamicProviderHostProblem(workRoot, resolve);
  if (problem) problems.add("genesys.bots", problem);
}

const PLANNED = "planned";

/**
 * What the hosting's rules see for values the Genesys side checks and reports itself: a wrong header or region is
 * one problem, under genesys., not a second one under the service's environment.
 */
function genesysStandIns(g: plain.Genesys): { header: string; region: string | undefined } {
  const header = g.verifyTokenHeader !== undefined && HEADER_NAME.test(g.verifyTokenHeader) ? g.verifyTokenHeader : "verify-token";
  const withClient = (g.serviceClientRoles?.length ?? 0) > 0 || g.handoverContext === true;
  const region = g.region !== undefined && isGenesysRegion(g.region) ? g.region : withClient ? GENESYS_REGIONS[0] : undefined;
  return { header, region };
}

/** VirtualAgent's plain arguments → the composition's; throws InputPropertiesError listing every problem. */
export function prepareVirtualAgent(type: string, name: string, args: plain.VirtualAgentArgs, ctx: PrepareContext = {}): RichVirtualAgentArgs {
  const workRoot = path.resolve(ctx.workRoot ?? process.cwd());
  const problems = new Problems();
  checkDynamicProviderHost(workRoot, ctx.resolve, problems);
  const genesys = genesysArgs(args.genesys, workRoot, problems.at("genesys"));
  const hosting = hostingArgs(args.hosting ?? {}, problems.at("hosting"));
  productionChecks(args.genesys, args.hosting, problems);
  const withClient = (args.genesys.serviceClientRoles?.length ?? 0) > 0 || args.genesys.handoverContext === true;
  const standIn = genesysStandIns(args.genesys);
  hostingProblems(
    hosting,
    { verifyToken: PLANNED, verifyTokenHeader: standIn.header, ...(withClient ? { serviceClient: { clientId: PLANNED, clientSecret: PLANNED } } : {}) },
    { region: standIn.region, handoverContext: args.genesys.handoverContext ?? false },
    problems,
  );
  failOnProblems(type, name, problems);
  const rich: RichVirtualAgentArgs = {
    genesys: { ...genesys!, flow: { ...genesys!.flow, filePath: flowFilePath(name, workRoot) } },
    hosting: withStagedImage(name, hosting, args.genesys.bots.directory, workRoot, problems),
    ...(args.genesys.region !== undefined ? { genesysRegion: args.genesys.region } : {}),
    handoverContext: args.genesys.handoverContext ?? false,
  };
  // The composition's own check: it holds when the mapping above is right.
  addTranslated(validateVirtualAgentArgs(rich).list, problems);
  failOnProblems(type, name, problems);
  return rich;
}

/** GenesysVirtualAgent's plain arguments → the Genesys side's; throws InputPropertiesError listing every problem. */
export function prepareGenesysVirtualAgent(type: string, name: string, args: plain.GenesysVirtualAgentArgs, ctx: PrepareContext = {}): RichGenesysArgs {
  const workRoot = path.resolve(ctx.workRoot ?? process.cwd());
  const problems = new Problems();
  checkDynamicProviderHost(workRoot, ctx.resolve, problems);
  const genesys = genesysArgs(args.genesys, workRoot, problems.at("genesys"));
  failOnProblems(type, name, problems);
  return { ...genesys!, serviceUrl: args.serviceUrl, flow: { ...genesys!.flow, filePath: flowFilePath(name, workRoot) } };
}

/** HostedService's plain arguments → the hosting's; throws InputPropertiesError listing every problem. */
export function prepareHostedService(type: string, name: string, args: plain.HostedServiceArgs, ctx: PrepareContext = {}): RichHostedServiceArgs {
  const workRoot = path.resolve(ctx.workRoot ?? process.cwd());
  const problems = new Problems();
  const header = args.verifyTokenHeader ?? "verify-token";
  problems.require(HEADER_NAME.test(header), "verifyTokenHeader", `"${header}" is not a valid HTTP header name`);
  loadDefinitions(args.botsDirectory, workRoot, problems, "botsDirectory");
  const hosting = hostingArgs(args.hosting ?? {}, problems.at("hosting"));
  const noFeatures = { region: undefined, handoverContext: false };
  hostingProblems(hosting, { verifyToken: PLANNED, verifyTokenHeader: HEADER_NAME.test(header) ? header : "verify-token" }, noFeatures, problems);
  failOnProblems(type, name, problems);
  const rich = wireHosting(withStagedImage(name, hosting, args.botsDirectory, workRoot, problems), { verifyToken: pulumi.secret(args.verifyToken), verifyTokenHeader: header }, noFeatures);
  addTranslated(validateHostedServiceArgs(rich).list.map((p) => ({ ...p, propertyPath: `hosting.${p.propertyPath}` })), problems);
  failOnProblems(type, name, problems);
  return rich;
}
