import * as pulumi from "@pulumi/pulumi";
import { buildBotList } from "../../../service/src/bots/botList";
import { type BotDefinition } from "../../../service/src/bots/definition";
import { formatIssue, validateBotSet } from "../../../service/src/bots/load";
import { DEFAULT_CREDENTIAL_CONFIG_KEYS, type CredentialConfigKeys } from "./credentials";
import { toKeyed, type KeyedBots } from "./model";
import { BotListProvider } from "./provider";

/**
 * One provider object for every BotList: Pulumi serializes a provider once per object, and the instance holds
 * no state until the dynamic-provider host configures it.
 */
const provider = new BotListProvider();

export interface BotListArgs {
  /** Id of the Bot Connector integration the bots are registered on (`Integration.id`). */
  integrationId: pulumi.Input<string>;
  /**
   * Loaded and validated bot definitions (`loadBotDefinitions(dir).map(b => b.definition)`); the registered list
   * is `buildBotList(definitions)`, exactly what `npm run bot-list` and `npm run synth` print.
   */
  definitions: readonly BotDefinition[];
  /**
   * Genesys Cloud region of the org (as the genesyscloud provider names it, e.g. `eu-central-1`).
   * Default: the `credentialConfigKeys.region` stack config key, then `GENESYSCLOUD_REGION`, read at deploy time.
   */
  region?: pulumi.Input<string>;
  /** Platform API base URL instead of the region's (tests, proxies). Default: from the region. */
  apiBaseUrl?: pulumi.Input<string>;
  /** Login (OAuth) base URL instead of the region's. Default: from the region, or `apiBaseUrl`. */
  loginBaseUrl?: pulumi.Input<string>;
  /**
   * Stack config keys holding the deploying OAuth client's credentials, read when the resource runs (never
   * stored in state). Default: the genesyscloud provider's own keys (`genesyscloud:oauthclientId`,
   * `genesyscloud:oauthclientSecret`, `genesyscloud:awsRegion`), then its environment variables
   * (`GENESYSCLOUD_OAUTHCLIENT_ID`, `GENESYSCLOUD_OAUTHCLIENT_SECRET`, `GENESYSCLOUD_REGION`).
   */
  credentialConfigKeys?: Partial<CredentialConfigKeys>;
}

/**
 * The bot list of a Bot Connector integration (`PUT/GET /api/v2/integrations/botconnector/{id}/bots`), which no
 * Genesys provider resource manages. Create and update put the list (keeping bots other owners registered on
 * the same integration), refresh reads it back so drift shows up, delete removes this resource's bots.
 * Replacing the integration replaces the list.
 */
export class BotList extends pulumi.dynamic.Resource {
  declare readonly integrationId: pulumi.Output<string>;
  /** Bot id → versions → intents → slots, as registered. */
  declare readonly bots: pulumi.Output<KeyedBots>;
  declare readonly managedBotIds: pulumi.Output<string[]>;
  /** What the last deployment changed, one line per bot, version, intent or slot. */
  declare readonly lastChanges: pulumi.Output<string[]>;

  constructor(name: string, args: BotListArgs, opts?: pulumi.CustomResourceOptions) {
    if (args.definitions.length === 0) throw new Error(`BotList ${name}: at least one bot definition is required`);
    const issues = validateBotSet(args.definitions.map((definition) => ({ file: `(${definition.id} ${definition.version})`, definition })));
    if (issues.length > 0) throw new Error(`BotList ${name}: the bot definitions do not fit one Genesys bot list:\n${issues.map((i) => "  " + formatIssue(i)).join("\n")}`);
    super(
      provider,
      name,
      {
        integrationId: args.integrationId,
        bots: toKeyed(buildBotList(args.definitions)),
        region: args.region,
        apiBaseUrl: args.apiBaseUrl,
        loginBaseUrl: args.loginBaseUrl,
        credentialConfigKeys: { ...DEFAULT_CREDENTIAL_CONFIG_KEYS, ...args.credentialConfigKeys },
        managedBotIds: undefined,
        lastChanges: undefined,
      },
      opts,
      "genesys",
      "BotList",
    );
  }
}
