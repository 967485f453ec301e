/**
 * `npm run synth -- <stack>`: renders, without credentials, what the stack would send to Genesys Cloud into
 * `out/<stack>/`: `architect-flow.yaml` (names substituted as the Flow resource does), the bot list
 * (`bot-list.json`; with genesysProtocol v2 `bots.json`, the manifest the service serves) and `summary.md`.
 * Deterministic, so a pull request shows the conversational change as a diff.
 *
 * Environment: BOTS_DIR (default service/bots; another folder's files go to `out/<stack>@<folder>/`),
 * SYNTH_OUT_DIR (default out).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { BotDefinitionError, loadBotDefinitions } from "../service/src/bots/load";
import { type BotChoice, flowPlanFor } from "../components/genesys/plan";
import { readStackConfig, StackFileError, UnknownStackError } from "../components/genesys/tooling/stackFile";
import { synthesize, type SynthOutput } from "../components/genesys/tooling/synth";
import { botChoiceProblems, flowChoicesFromSettings, formatProblems, parseGenesysSettings, type GenesysSettings } from "../stacks/settings/genesys";
import { type BotDefinition } from "../service/src/bots/definition";
import { botsDirFrom, BotsDirError, PROJECT_DIR, stackOutDir } from "./paths";

export class SynthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SynthError";
  }
}

export interface SynthOptions {
  /** Directory of Pulumi.yaml. */
  projectDir: string;
  stack: string;
  botsDir: string;
  /** Config values that replace the stack file's (`npm start` plays a stack with another protocol). */
  overrides?: Record<string, unknown>;
}

/** A stack's Genesys settings and the bot definitions: what every rendering of the stack starts from. */
export interface SynthSource {
  stack: string;
  projectDir: string;
  botsDir: string;
  settings: GenesysSettings;
  definitions: BotDefinition[];
  /** The text of the Call Bot Connector template file, when the stack names one. */
  template?: string;
}

/** Reads the stack's config and the bot definitions; SynthError names every setting that is wrong. */
export function readSynthSource(options: SynthOptions): SynthSource {
  const stackFile = readStackConfig(options.projectDir, options.stack);
  const { settings, problems } = parseGenesysSettings({ ...stackFile.config, ...options.overrides }, { stack: options.stack });
  if (!settings) {
    throw new SynthError(`the Genesys settings of stack "${options.stack}" (${path.relative(options.projectDir, stackFile.file)}) are not valid:\n${formatProblems(problems)}`);
  }
  const definitions = loadBotDefinitions(options.botsDir).map((b) => b.definition);
  const templateFile = settings.flow.callBotConnectorTemplateFile;
  const template = templateFile ? readFileSync(path.resolve(options.projectDir, templateFile), "utf8") : undefined;
  return { stack: options.stack, projectDir: options.projectDir, botsDir: options.botsDir, settings, definitions, ...(template !== undefined ? { template } : {}) };
}

/**
 * Renders the stack's artifacts (no files written) for the bot the stack names, or for `bot` instead (`npm start`
 * renders the stack's flow once for each bot). SynthError says how to name the bot when the choice is missing
 * or wrong.
 */
export function renderSynthSource(source: SynthSource, bot: BotChoice = source.settings.bot): SynthOutput {
  const { settings, definitions } = source;
  const problems = botChoiceProblems(bot, definitions, { stack: source.stack, botsDir: displayPath(source.botsDir) });
  if (problems.length > 0) throw new SynthError(`stack "${source.stack}" does not name a bot its flow can call:\n${formatProblems(problems)}`);
  const flow = flowPlanFor({
    flowName: settings.names.flow,
    integrationName: settings.names.integration,
    queueName: settings.queue.name,
    definitions,
    bot,
    choices: flowChoicesFromSettings(settings, source.template),
  });
  return synthesize({
    stack: source.stack,
    region: settings.region,
    definitions,
    flow,
    names: settings.names,
    queue: settings.queue,
    botConnector: settings.botConnector,
    messenger: settings.messenger,
  });
}

/** Reads the stack's config and the bot definitions and renders the artifacts (no files written). */
export function synthStack(options: SynthOptions): SynthOutput {
  return renderSynthSource(readSynthSource(options));
}

/** A path as the user would type it: relative to the current directory when inside it. */
export function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : file;
}

/** Writes the files into `dir`; returns their paths. */
export function writeFiles(dir: string, files: Record<string, string>): string[] {
  mkdirSync(dir, { recursive: true });
  return Object.entries(files).map(([name, content]) => {
    const file = path.join(dir, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
    return file;
  });
}

/** Errors a user causes by configuration: their message is the whole story, no stack trace. */
export function isConfigurationMistake(err: unknown): err is Error {
  return [SynthError, UnknownStackError, StackFileError, BotDefinitionError, BotsDirError].some((type) => err instanceof type);
}

export function main(argv: string[], env: NodeJS.ProcessEnv = process.env): number {
  const stack = argv[0];
  if (!stack || argv.length > 1) {
    process.stderr.write("usage: npm run synth -- <stack>\n");
    return 2;
  }
  try {
    const botsDir = botsDirFrom(env);
    const output = synthStack({ projectDir: PROJECT_DIR, stack, botsDir });
    const written = writeFiles(stackOutDir(env, stack, botsDir), output.files);
    process.stdout.write(`wrote ${written.map(displayPath).join(", ")}\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`synth: ${isConfigurationMistake(err) ? err.message : String((err as Error).stack ?? err)}\n`);
    return 1;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
