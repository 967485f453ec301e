/**
 * The bot list's calls to Genesys Cloud (`GET`/`PUT /api/v2/integrations/botconnector/{integrationId}/bots`)
 * and what the resource's lifecycle does with them. Retries (429 with Retry-After, 5xx) and the token refresh
 * on 401 come from the shared Platform API client; this module turns a Genesys 4xx into an error that names
 * the bot, version or intent that was rejected.
 */
import { type BotList } from "../../../service/src/bots/botList";
import { GenesysApiError, errorTexts, type PlatformApi } from "../../../service/src/genesys";
import { mergeBotLists, normalizeBotList, pickBots, withoutBots } from "./model";

const botsPath = (integrationId: string) => `/api/v2/integrations/botconnector/${encodeURIComponent(integrationId)}/bots`;

/** Genesys refused a bot list; the message says which item and why. */
export class BotListRejectedError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly apiError: GenesysApiError,
  ) {
    super(message, { cause: apiError });
    this.name = "BotListRejectedError";
  }
}

/** The current list, or undefined when the integration does not exist (404). */
export async function getBotList(api: PlatformApi, integrationId: string): Promise<BotList | undefined> {
  try {
    return normalizeBotList(await api.request<BotList>("GET", botsPath(integrationId)));
  } catch (err) {
    if (err instanceof GenesysApiError && err.status === 404) return undefined;
    throw explainFailure(err, integrationId, undefined, "read");
  }
}

/** Replaces the integration's whole list (Genesys answers 204). */
export async function putBotList(api: PlatformApi, integrationId: string, list: BotList): Promise<void> {
  try {
    await api.request("PUT", botsPath(integrationId), { body: list });
  } catch (err) {
    throw explainFailure(err, integrationId, list, "register");
  }
}

export interface ApplyRequest {
  integrationId: string;
  /** The bots this resource wants registered. */
  desired: BotList;
  /** Bot ids this resource registered before (removed when no longer desired). */
  previouslyManaged: readonly string[];
}

/**
 * Create and update: read the current list, keep bots owned by others, put ours, and return the list of
 * our bots as Genesys now holds it.
 */
export async function applyBotList(api: PlatformApi, request: ApplyRequest): Promise<BotList> {
  const current = await getBotList(api, request.integrationId);
  if (current === undefined) {
    throw new Error(
      `cannot register bots: Bot Connector integration ${request.integrationId} does not exist in this Genesys Cloud org (404)`,
    );
  }
  const merged = mergeBotLists(current, request.desired, request.previouslyManaged);
  await putBotList(api, request.integrationId, merged);
  return pickBots(merged, request.desired.chatBots.map((b) => b.id));
}

/** Refresh: our bots as Genesys holds them now, or undefined when the integration is gone. */
export async function readManagedBots(api: PlatformApi, integrationId: string, managedIds: readonly string[]): Promise<BotList | undefined> {
  const current = await getBotList(api, integrationId);
  return current === undefined ? undefined : pickBots(current, managedIds);
}

/** Delete: leaves the integration with no bots of ours (other bots stay); nothing to do if it is gone. */
export async function removeManagedBots(api: PlatformApi, integrationId: string, managedIds: readonly string[]): Promise<void> {
  const current = await getBotList(api, integrationId);
  if (current === undefined) return;
  const remaining = withoutBots(current, managedIds);
  if (remaining.chatBots.length === current.chatBots.length) return;
  await putBotList(api, integrationId, remaining);
}

/** `chatBots[1].versions[0].intents[3].name` → the ids and names behind those indexes in the list we sent. */
export function describeField(field: string, sent: BotList): string | undefined {
  const m = /chatBots\[(\d+)\](?:\.versions\[(\d+)\])?(?:\.intents\[(\d+)\])?(?:\.slots\[([^\]]+)\])?(\.[A-Za-z.]+)?/.exec(field);
  if (!m) return undefined;
  const bot = sent.chatBots[Number(m[1])];
  if (!bot) return undefined;
  const parts = [`bot "${bot.id}"`];
  const version = m[2] === undefined ? undefined : bot.versions[Number(m[2])];
  if (version) parts.push(`version "${version.version}"`);
  const intent = m[3] === undefined || !version ? undefined : version.intents[Number(m[3])];
  if (intent) parts.push(`intent "${intent.name}"`);
  if (m[4] !== undefined) parts.push(`slot "${m[4]}"`);
  const property = m[5]?.replace(/^\./, "");
  return parts.join(" ") + (property ? ` (${property})` : "");
}

function explainFailure(err: unknown, integrationId: string, sent: BotList | undefined, action: "read" | "register"): unknown {
  if (!(err instanceof GenesysApiError) || err.status >= 500 || err.status === 429) return err;
  const verb = action === "read" ? "read the bot list of" : "register the bot list on";
  if (err.status === 401 || err.status === 403) {
    const permission = action === "read" ? "integration:botconnector:view" : "integration:botconnector:edit";
    return new BotListRejectedError(
      `Genesys Cloud refused to ${verb} integration ${integrationId} (${err.status}${err.code ? ` ${err.code}` : ""}): ` +
        `the deploying OAuth client needs the permission ${permission}. ${err.message}`,
      err.status,
      err,
    );
  }
  const texts = errorTexts(err.body);
  const located = sent
    ? [...new Set(texts.map((t) => {
        const where = describeField(t, sent);
        const reason = t.includes(":") ? t.slice(t.indexOf(":") + 1).trim() : t;
        return where ? `${where}: ${reason}` : undefined;
      }).filter((x): x is string => x !== undefined))]
    : [];
  const what = sent ? ` (bots ${sent.chatBots.map((b) => `${b.id} [${b.versions.map((v) => v.version).join(", ")}]`).join(", ") || "none"})` : "";
  const reasons = located.length > 0 ? located.map((l) => `\n  - ${l}`).join("") : `\n  - ${texts[0] ?? err.message}`;
  return new BotListRejectedError(`Genesys Cloud rejected the request to ${verb} integration ${integrationId}${what} with ${err.status}${err.code ? ` ${err.code}` : ""}:${reasons}`, err.status, err);
}
