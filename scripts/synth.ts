/**
 * `npm run synth -- <stack>`: renders, without credentials, what the stack would send to Genesys Cloud into
 * `out/<stack>/`: `architect-flow.yaml` (names substituted as the Flow resource does), the bot list
 * (`bot-list.json`; with genesysProtocol v2 `bots.json`, the manifest the service serves) and `summary.md`. Deterministic, so a pull request shows the conversational change as a diff.
 *
 * Environment: BOTS_DIR (default service/bots), SYNTH_OUT_DIR (default out).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { BotDefinitionError, loadBotDefinitions } from "../service/src/bots/load";
import { flowPlanFor } from "../components/genesys/plan";
import { readStackConfig, UnknownStackError } from "../components/genesys/tooling/stackFile";
import { synthesize, type SynthOutput } from "../components/genesys/tooling/synth";
import { flowChoicesFromSettings, formatProblems, parseGenesysSettings } from "../stacks/settings/genesys";

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

/** Reads the stack's config and the bot definitions and renders the artifacts (no files written). */
export function synthStack(options: SynthOptions): SynthOutput {
  const stackFile = readStackConfig(options.projectDir, options.stack);
  const { settings, problems } = parseGenesysSettings({ ...stackFile.config, ...options.overrides }, { stack: options.stack });
  if (!settings) {
    throw new SynthError(`the Genesys settings of stack "${options.stack}" (${path.relative(options.projectDir, stackFile.file)}) are not valid:\n${formatProblems(problems)}`);
  }
  const definitions = loadBotDefinitions(options.botsDir).map((b) => b.definition);
  const templateFile = settings.flow.callBotConnectorTemplateFile;
  const template = templateFile ? readFileSync(path.resolve(options.projectDir, templateFile), "utf8") : undefined;
  const flow = flowPlanFor({
    flowName: settings.names.flow,
    integrationName: settings.names.integration,
    queueName: settings.queue.name,
    definitions,
    bot: settings.bot,
    choices: flowChoicesFromSettings(settings, template),
  });
  return synthesize({
    stack: options.stack,
    region: settings.region,
    definitions,
    flow,
    names: settings.names,
    queue: settings.queue,
    botConnector: settings.botConnector,
    messenger: settings.messenger,
  });
}

export function main(argv: string[], env: NodeJS.ProcessEnv = process.env): number {
  const stack = argv[0];
  const projectDir = path.resolve(__dirname, "..");
  if (!stack || argv.length > 1) {
    process.stderr.write("usage: npm run synth -- <stack>\n");
    return 2;
  }
  try {
    const output = synthStack({ projectDir, stack, botsDir: path.resolve(env.BOTS_DIR ?? path.join(projectDir, "service", "bots")) });
    const dir = path.join(path.resolve(projectDir, env.SYNTH_OUT_DIR ?? "out"), stack);
    mkdirSync(dir, { recursive: true });
    for (const [name, content] of Object.entries(output.files)) writeFileSync(path.join(dir, name), content);
    process.stdout.write(`wrote ${Object.keys(output.files).map((f) => path.relative(process.cwd(), path.join(dir, f))).join(", ")}\n`);
    return 0;
  } catch (err) {
    const known = err instanceof SynthError || err instanceof UnknownStackError || err instanceof BotDefinitionError;
    process.stderr.write(`synth: ${known ? (err as Error).message : String((err as Error).stack ?? err)}\n`);
    return 1;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
