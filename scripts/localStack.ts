/**
 * What `npm start` plays: the local stack's flow rendered once for each bot of BOTS_DIR (same code as
 * `npm run synth`, with the stack's bot choice replaced), and the bot list of them all. Written to
 * `<out>/bot-list.json` and `<out>/bots/<bot id>/architect-flow.yaml` in the stack's output folder
 * (scripts/paths.ts), next to what `npm run synth` writes there; the emulator plays these files.
 */
import path from "node:path";
import { resolveBotChoice } from "../components/genesys/plan";
import { FLOW_FILE } from "../emulator/artifacts";
import { BOT_LIST_FILES } from "../components/genesys/tooling/synth";
import { type GenesysSettings } from "../stacks/settings/genesys";
import { stackOutDir } from "./paths";
import { displayPath, readSynthSource, renderSynthSource, SynthError, writeFiles } from "./synth";

/** Where a bot's flow goes inside the stack's output folder. */
export function localFlowFile(botId: string): string {
  return path.posix.join("bots", botId, FLOW_FILE);
}

export interface LocalStack {
  stack: string;
  botsDir: string;
  /** The stack's output folder. */
  dir: string;
  settings: GenesysSettings;
  /** Bot id → the written flow file; the bot the stack names comes first. */
  flowFiles: Map<string, string>;
  botListFile: string;
  /** One line per bot: id, version and languages. */
  bots: string[];
  /**
   * Set when the stack's own choice (genesysBotId, genesysBotVersion) does not name one of these bots: what is
   * wrong and the command that fixes it. `npm start` still plays every bot; synth and `pulumi up` need the fix.
   */
  choiceProblem?: string;
}

export function renderLocalStack(options: { projectDir: string; stack: string; botsDir: string; env: NodeJS.ProcessEnv; overrides?: Record<string, unknown> }): LocalStack {
  const source = readSynthSource(options);
  const { settings, definitions } = source;
  if (settings.flow.callBotConnectorTemplateFile) {
    throw new SynthError(
      `stack "${options.stack}" renders its Call Bot Connector action from ${settings.flow.callBotConnectorTemplateFile}; ` +
        "the emulator runs only the built-in shape the renderer documents. Choose another stack with LOCAL_STACK.",
    );
  }
  const chosen = resolveBotChoice(definitions, settings.bot);
  let choiceProblem: string | undefined;
  try {
    renderSynthSource(source);
  } catch (err) {
    if (!(err instanceof SynthError)) throw err;
    choiceProblem = err.message;
  }
  const first = "definition" in chosen ? chosen.definition.id : undefined;
  // v1: the bot list the stack pushes; v2: the manifest the service serves (the emulator reads it from the service).
  const listFile = BOT_LIST_FILES[settings.protocol];
  const ids = [...new Set(definitions.map((d) => d.id))].sort((a, b) => Number(b === first) - Number(a === first) || a.localeCompare(b));

  const files: Record<string, string> = {};
  const bots: string[] = [];
  for (const id of ids) {
    // The stack's own bot at the version it names; every other bot at its highest version.
    const choice = id === first ? settings.bot : { id };
    const played = resolveBotChoice(definitions, choice);
    if ("definition" in played) bots.push(`${id} ${played.definition.version} (${played.definition.languages.join(", ")})`);
    const output = renderSynthSource(source, choice);
    files[localFlowFile(id)] = output.files["architect-flow.yaml"];
    files[listFile] = output.files[listFile] as string;
  }
  const dir = stackOutDir(options.env, options.stack, options.botsDir);
  writeFiles(dir, files);
  return {
    stack: options.stack,
    botsDir: options.botsDir,
    dir,
    settings,
    flowFiles: new Map(ids.map((id) => [id, path.join(dir, localFlowFile(id))])),
    botListFile: path.join(dir, listFile),
    bots,
    ...(choiceProblem ? { choiceProblem } : {}),
  };
}

/** The lines `npm start` prints about what it rendered. */
export function describeLocalStack(local: LocalStack): string[] {
  const lines = [
    `Bots:                     ${local.bots.join(" · ")}, from ${displayPath(local.botsDir)}`,
    `Stack ${local.stack}, rendered:`.padEnd(25) + ` ${displayPath(path.join(local.dir, "bots"))}/<bot>/${FLOW_FILE} · ${displayPath(local.botListFile)}`,
  ];
  if (local.choiceProblem) lines.push(`Note: ${local.choiceProblem.replace(/\n/g, "\n      ")}\n      npm start plays every bot anyway; npm run synth needs the fix.`);
  return lines;
}
