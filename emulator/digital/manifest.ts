/**
 * The Digital Bot Connector's manifest, read from the bot the way Genesys reads it when a flow is authored and
 * published: `GET {Bot Connector URI}/bots` with the connection secret, then `GET .../bots/{botId}` for each bot,
 * which must describe it the same way. Checked against the specification's required fields and limits; the result
 * is the bot list Architect's design-time checks bind the flow to (botList.ts), as for v1.
 */
import { type BotList } from "../../service/src/bots/botList";
import { SLOT_TYPES } from "../../service/src/bots/definition";
import { ajv, describeAjvError } from "../ajvErrors";
import { BotListError } from "../botList";
import { type BotConnectorEndpoint } from "../botConnector/caller";
import { DIGITAL_RULES } from "./rules";

const NAME = { type: "string", minLength: 1, maxLength: 100, pattern: "^[^\\s\\p{Cc}]([^\\p{Cc}]*[^\\s\\p{Cc}])?$" } as const;
const botSchema = {
  type: "object",
  required: ["id", "name", "provider", "versions"],
  properties: {
    id: NAME,
    name: NAME,
    provider: NAME,
    description: { type: "string", maxLength: 256 },
    versions: {
      type: "array",
      minItems: 1,
      maxItems: 50,
      items: {
        type: "object",
        required: ["version", "supportedLanguages", "intents"],
        properties: {
          version: NAME,
          supportedLanguages: { type: "array", minItems: 1, items: { type: "string", pattern: "^[a-z]{2,3}(-[a-z0-9]{2,8})*$" } },
          intents: {
            type: "array",
            minItems: 1,
            maxItems: 50,
            items: {
              type: "object",
              required: ["name"],
              properties: {
                name: NAME,
                entities: { type: "array", maxItems: 50, items: { type: "object", required: ["name", "type"], properties: { name: NAME, type: { enum: [...SLOT_TYPES] } } } },
              },
            },
          },
        },
      },
    },
  },
} as const;
const checkManifest = ajv.compile({ type: "object", required: ["entities"], properties: { entities: { type: "array", maxItems: 50, items: botSchema } } });
const checkBot = ajv.compile(botSchema);

interface ManifestBot {
  id: string;
  name: string;
  provider: string;
  description?: string;
  versions: Array<{ version: string; supportedLanguages: string[]; intents: Array<{ name: string; entities?: Array<{ name: string; type: (typeof SLOT_TYPES)[number] }> }> }>;
}

export interface DigitalManifest {
  /** As the bot served it. */
  manifest: { entities: ManifestBot[] };
  /** The same bots as Architect binds a flow to them. */
  botList: BotList;
}

async function getJson(endpoint: BotConnectorEndpoint, path: string, source: string): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(endpoint.url + path, { headers: { accept: "application/json", ...endpoint.credentials }, signal: AbortSignal.timeout(10_000) });
  } catch (err) {
    throw new BotListError(source, [`GET ${path}: cannot reach ${endpoint.url} (${(err as Error).message}); start the service first`]);
  }
  const text = await res.text();
  if (res.status !== 200) throw new BotListError(source, [`GET ${path} answered ${res.status}${text ? `: ${text.slice(0, 200)}` : ""} (${DIGITAL_RULES.manifest.source})`]);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BotListError(source, [`GET ${path} is not JSON (${DIGITAL_RULES.manifest.source})`]);
  }
}

function shapeProblems(errors: Parameters<typeof describeAjvError>[0][] | null | undefined, root: string): string[] {
  return (errors ?? []).map((e) => {
    const { path, message } = describeAjvError(e, root);
    return `${path}: ${message} (${DIGITAL_RULES.manifest.source})`;
  });
}

/** Reads and checks the manifest (and each bot on its own); throws BotListError naming every problem. */
export async function fetchManifest(endpoint: BotConnectorEndpoint): Promise<DigitalManifest> {
  const source = `${endpoint.url}/bots`;
  const body = await getJson(endpoint, "/bots", source);
  if (!checkManifest(body)) throw new BotListError(source, shapeProblems(checkManifest.errors, "(manifest)"));
  const manifest = body as { entities: ManifestBot[] };
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const bot of manifest.entities) {
    if (ids.has(bot.id)) problems.push(`bot id "${bot.id}" appears twice (${DIGITAL_RULES.manifest.source})`);
    ids.add(bot.id);
    const one = await getJson(endpoint, `/bots/${encodeURIComponent(bot.id)}`, source);
    if (!checkBot(one)) problems.push(...shapeProblems(checkBot.errors, `(bots/${bot.id})`));
    else if (JSON.stringify(one) !== JSON.stringify(bot)) problems.push(`GET /bots/${bot.id} describes the bot differently from GET /bots (${DIGITAL_RULES.manifest.source})`);
  }
  if (problems.length > 0) throw new BotListError(source, problems);
  return {
    manifest,
    botList: {
      chatBots: manifest.entities.map((bot) => ({
        id: bot.id,
        name: bot.name,
        ...(bot.description !== undefined ? { description: bot.description } : {}),
        versions: bot.versions.map((v) => ({
          version: v.version,
          supportedLanguages: v.supportedLanguages,
          intents: v.intents.map((i) => (i.entities ? { name: i.name, slots: Object.fromEntries(i.entities.map((e) => [e.name, { name: e.name, type: e.type }])) } : { name: i.name })),
        })),
      })),
    },
  };
}
