/**
 * The dynamic provider behind the BotList resource. Pulumi serializes an instance of this class into the
 * resource's state (`__provider`) and runs it in the dynamic-provider host during `up`, `refresh` and
 * `destroy`, so:
 * - it captures no credential: `configure` receives the stack config at run time, and the environment is
 *   the fallback (see credentials.ts);
 * - the request logic lives in requests.ts and model.ts, plain functions tested on their own;
 * - state written by this version must stay readable by later ones (delete runs the code stored in state).
 */
import { type dynamic } from "@pulumi/pulumi";
import { GenesysPlatformClient } from "../../../service/src/genesys/platformClient";
import { resolveRuntimeCredentials, type ConfigReader, type CredentialConfigKeys } from "./credentials";
import { diffBots, fromKeyed, toKeyed, type KeyedBots } from "./model";
import { applyBotList, readManagedBots, removeManagedBots } from "./requests";

/** What the resource stores: its inputs, plus the ids of the bots it registered and the last change list. */
export interface BotListState {
  integrationId: string;
  /** Bot id → versions → intents → slots; keyed so previews name what changes. */
  bots: KeyedBots;
  region?: string;
  apiBaseUrl?: string;
  loginBaseUrl?: string;
  credentialConfigKeys: CredentialConfigKeys;
  /** Ids of the bots this resource put on the integration (removed again on delete). */
  managedBotIds?: string[];
  /** What the last create or update changed, one line per bot, version, intent or slot. */
  lastChanges?: string[];
}

/** The engine's placeholder for values not known during preview. */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export class BotListProvider implements dynamic.ResourceProvider {
  private config: ConfigReader | undefined;

  async configure(req: dynamic.ConfigureRequest): Promise<void> {
    this.config = req.config;
  }

  async check(_olds: BotListState, news: BotListState): Promise<dynamic.CheckResult<BotListState>> {
    const failures: dynamic.CheckFailure[] = [];
    if (typeof news.integrationId !== "string" || news.integrationId.trim() === "") {
      failures.push({ property: "integrationId", reason: "the Bot Connector integration id is required" });
    }
    if (!news.bots || typeof news.bots !== "object" || Object.keys(news.bots).length === 0) {
      failures.push({ property: "bots", reason: "at least one bot is required" });
    }
    return { inputs: news, failures };
  }

  async diff(_id: string, olds: BotListState, news: BotListState): Promise<dynamic.DiffResult> {
    const replaces = olds.integrationId !== news.integrationId ? ["integrationId"] : [];
    const endpointChanged = olds.region !== news.region || olds.apiBaseUrl !== news.apiBaseUrl || olds.loginBaseUrl !== news.loginBaseUrl;
    const botsUnknown = JSON.stringify(news.bots ?? {}).includes(UNKNOWN);
    const changed = botsUnknown || diffBots(olds.bots ?? {}, news.bots ?? {}).length > 0;
    return { changes: replaces.length > 0 || endpointChanged || changed, replaces, deleteBeforeReplace: false };
  }

  async create(inputs: BotListState): Promise<dynamic.CreateResult<BotListState>> {
    const applied = await applyBotList(this.client(inputs), {
      integrationId: inputs.integrationId,
      desired: fromKeyed(inputs.bots),
      previouslyManaged: [],
    });
    const bots = toKeyed(applied);
    return {
      id: inputs.integrationId,
      outs: { ...inputs, bots, managedBotIds: Object.keys(bots).sort(), lastChanges: diffBots({}, bots) },
    };
  }

  async read(id: string, props: BotListState): Promise<dynamic.ReadResult<BotListState>> {
    const managed = managedIds(props);
    const live = await readManagedBots(this.client(props), props.integrationId, managed);
    // The integration is gone: so is everything this resource registered.
    if (live === undefined) return {};
    return { id, props: { ...props, bots: toKeyed(live) } };
  }

  async update(_id: string, olds: BotListState, news: BotListState): Promise<dynamic.UpdateResult<BotListState>> {
    const applied = await applyBotList(this.client(news), {
      integrationId: news.integrationId,
      desired: fromKeyed(news.bots),
      previouslyManaged: managedIds(olds),
    });
    const bots = toKeyed(applied);
    return { outs: { ...news, bots, managedBotIds: Object.keys(bots).sort(), lastChanges: diffBots(olds.bots ?? {}, bots) } };
  }

  async delete(_id: string, props: BotListState): Promise<void> {
    await removeManagedBots(this.client(props), props.integrationId, managedIds(props));
  }

  private client(props: BotListState): GenesysPlatformClient {
    const credentials = resolveRuntimeCredentials(props.credentialConfigKeys, this.config, process.env);
    const region = props.region ?? credentials.region;
    if (!props.apiBaseUrl && !region) {
      throw new Error(
        `the Genesys bot list does not know the org's region: set it on the resource, or run pulumi config set ${props.credentialConfigKeys.region} <region> (or GENESYSCLOUD_REGION)`,
      );
    }
    return new GenesysPlatformClient({
      region: props.apiBaseUrl ? undefined : region,
      apiBaseUrl: props.apiBaseUrl,
      loginBaseUrl: props.loginBaseUrl,
      credentials: { clientId: credentials.clientId, clientSecret: credentials.clientSecret },
      userAgent: "virtual-agent-bot-list",
    });
  }
}

/** Every bot id this resource may have registered (state from earlier versions may lack managedBotIds). */
function managedIds(state: BotListState): string[] {
  return [...new Set([...(state.managedBotIds ?? []), ...Object.keys(state.bots ?? {})])].sort();
}
