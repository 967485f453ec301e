/**
 * The files `npm run synth -- <stack>` writes to `out/<stack>/`, which are what `pulumi up` deploys: the
 * emulator plays Genesys from exactly these.
 */
import { readFileSync } from "node:fs";
import path from "node:path";

export const FLOW_FILE = "architect-flow.yaml";
export const BOT_LIST_FILE = "bot-list.json";

export interface Artifacts {
  flowYaml: string;
  botList: unknown;
  /** Where they came from, for error messages. */
  sources: { flow: string; botList: string };
}

/**
 * Reads the rendered flow and, for the Bot Connector (v1), the bot list it is bound to; the Digital Bot Connector
 * reads its bots from the service instead (`withBotList: false`).
 */
export function readArtifacts(dir: string, options: { withBotList?: boolean } = {}): Artifacts {
  const flow = path.join(dir, FLOW_FILE);
  const botList = path.join(dir, BOT_LIST_FILE);
  const read = (file: string) => {
    try {
      return readFileSync(file, "utf8");
    } catch (err) {
      throw new Error(`cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); render it with npm run synth -- <stack>`, { cause: err });
    }
  };
  if (options.withBotList === false) return { flowYaml: read(flow), botList: undefined, sources: { flow, botList } };
  const listText = read(botList);
  let parsed: unknown;
  try {
    parsed = JSON.parse(listText);
  } catch (err) {
    throw new Error(`${botList} is not JSON: ${(err as Error).message}`, { cause: err });
  }
  return { flowYaml: read(flow), botList: parsed, sources: { flow, botList } };
}
