/**
 * The files `npm run synth -- <stack>` and `npm start` write, which are what `pulumi up` deploys: the emulator
 * plays Genesys from exactly these.
 */
import { readFileSync } from "node:fs";

export const FLOW_FILE = "architect-flow.yaml";
export const BOT_LIST_FILE = "bot-list.json";

/** A rendered flow and the file it came from (for error messages). */
export interface FlowFile {
  yaml: string;
  source: string;
}

export interface Artifacts {
  /** The flows, one per bot; the first is the one a conversation plays unless it picks another bot. */
  flows: FlowFile[];
  botList: unknown;
  botListSource: string;
}

function read(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (err) {
    throw new Error(`cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); render it with npm run synth -- <stack>`, { cause: err });
  }
}

/** Reads the flow files and the bot list back from disk. */
export function readArtifacts(flowFiles: readonly string[], botListFile: string): Artifacts {
  const listText = read(botListFile);
  let botList: unknown;
  try {
    botList = JSON.parse(listText);
  } catch (err) {
    throw new Error(`${botListFile} is not JSON: ${(err as Error).message}`, { cause: err });
  }
  return { flows: flowFiles.map((file) => ({ yaml: read(file), source: file })), botList, botListSource: botListFile };
}
