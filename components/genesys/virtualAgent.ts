import * as pulumi from "@pulumi/pulumi";
import { type BotDefinition } from "../../service/src/bots/definition";
import { failOnProblems, Problems } from "../aws/validation";
import { BotConnector } from "./botConnector";
import { type BotConnectorTypeSettings, type GenesysProtocol, GENESYS_PROTOCOLS } from "./botConnectorConfig";
import { BotList, type BotListArgs } from "./botList/resource";
import { describeFlow } from "./flow/fromBot";
import { InboundMessageFlow } from "./inboundMessageFlow";
import { Messenger } from "./messenger";
import { type MessengerSettings } from "./messenger/settings";
import { OAuthClient, type OAuthClientRoleArgs } from "./oauthClient";
import { flowPlanFor, type BotChoice, type FlowChoices } from "./plan";
import { Queue, type QueueArgs } from "./queue";

export const VIRTUAL_AGENT_TYPE = "virtual-agent:genesys:VirtualAgent";

export interface GenesysVirtualAgentArgs {
  /** Names of the Genesys objects (set explicitly; Architect and people find them by name). */
  names: {
    integration: string;
    flow: string;
    messenger: string;
    /** Default: the integration name plus " verify token". */
    credential?: string;
    /** Name of the service's OAuth client (with `serviceClient`). Default: the integration name plus " service". */
    serviceClient?: string;
  };
  /** HTTPS base URL of the endpoint service. */
  serviceUrl: pulumi.Input<string>;
  /**
   * `v1` (default): the Genesys Bot Connector, its bot list pushed from the definitions, Call Bot Connector in the
   * flow. `v2`: the Genesys Digital Bot Connector, which reads the bot list from the service itself (no bot-list
   * resource), Call Digital Bot Connector in the flow (docs/digital-bot-connector.md).
   */
  protocol?: GenesysProtocol;
  /** Every bot definition (v1: registered in the bot list; v2: served by the service's manifest), loaded and validated. */
  definitions: readonly BotDefinition[];
  /** The bot version the flow calls. Default: the only bot, its highest version. */
  bot?: BotChoice;
  botConnector: {
    type: BotConnectorTypeSettings;
    /** Default `verify-token`; must match the service's VERIFY_TOKEN_HEADER. */
    verifyTokenHeader?: string;
    /** Supplied verify token (secret); default: generated. */
    verifyToken?: pulumi.Input<string>;
    /** Change to rotate a generated token. */
    verifyTokenRotation?: pulumi.Input<string>;
  };
  queue: QueueArgs;
  /** Flow choices: intent actions, priority, failure message, timeouts, a Call Bot Connector template. */
  flow?: FlowChoices & { filePath?: string; forceUnlock?: boolean };
  /** Messenger settings; languages default to the bot version's. */
  messenger: Omit<MessengerSettings, "languages" | "defaultLanguage"> & Partial<Pick<MessengerSettings, "languages" | "defaultLanguage">>;
  /** An OAuth client for the service's own Platform API calls; none when omitted. */
  serviceClient?: { roles: OAuthClientRoleArgs[]; accessTokenValiditySeconds?: number };
  /** Where and how the bot list reaches the Platform API at deploy time (region, credential config keys). */
  botListApi?: Omit<BotListArgs, "integrationId" | "definitions">;
}

/**
 * Everything on the Genesys side of the virtual agent: the Bot Connector integration and its verify token,
 * the bot list, the queue, the Inbound Message flow, the Messenger and (optionally) the service's OAuth client.
 */
export class GenesysVirtualAgent extends pulumi.ComponentResource {
  readonly botConnector: BotConnector;
  /** The pushed bot list; none with the Digital Bot Connector (Genesys reads the service's manifest). */
  readonly botList: BotList | undefined;
  readonly protocol: GenesysProtocol;
  readonly queue: Queue;
  readonly flow: InboundMessageFlow;
  readonly messenger: Messenger;
  readonly serviceClient: OAuthClient | undefined;
  readonly integrationId: pulumi.Output<string>;
  /** The integration's URI: v1 the Handle Utterance URI, v2 the Bot Connector URI. */
  readonly uri: pulumi.Output<string>;
  readonly handleUtteranceUri: pulumi.Output<string>;
  readonly verifyTokenHeader: string;
  /** Secret: give it to the service as VERIFY_TOKEN. */
  readonly verifyToken: pulumi.Output<string>;
  readonly flowId: pulumi.Output<string>;
  readonly deploymentId: pulumi.Output<string>;
  readonly snippet: pulumi.Output<string>;
  readonly testPageHtml: pulumi.Output<string>;
  readonly serviceClientId: pulumi.Output<string | undefined>;
  /** Secret. */
  readonly serviceClientSecret: pulumi.Output<string | undefined>;

  constructor(name: string, args: GenesysVirtualAgentArgs, opts?: pulumi.ComponentResourceOptions) {
    const problems = new Problems();
    const protocol = args.protocol ?? "v1";
    problems.require(GENESYS_PROTOCOLS.includes(protocol), "protocol", `must be v1 (Bot Connector) or v2 (Digital Bot Connector), got "${String(protocol)}"`);
    let plan: ReturnType<typeof flowPlanFor> | undefined;
    let description: ReturnType<typeof describeFlow> | undefined;
    try {
      plan = flowPlanFor({
        flowName: args.names.flow,
        integrationName: args.names.integration,
        // Only the default of {{queue_default}}; the Flow takes the queue's name from the Queue resource.
        queueName: typeof args.queue.queueName === "string" ? args.queue.queueName : "queue",
        definitions: args.definitions,
        bot: args.bot,
        choices: { ...args.flow, protocol },
      });
      description = describeFlow(plan);
    } catch (err) {
      problems.add("definitions", (err as Error).message);
    }
    failOnProblems(VIRTUAL_AGENT_TYPE, name, problems);
    const bot = (plan as NonNullable<typeof plan>).definition;
    const flowDescription = description as NonNullable<typeof description>;

    super(VIRTUAL_AGENT_TYPE, name, {}, opts);
    const parent = { parent: this };

    this.botConnector = new BotConnector(
      `${name}-bot-connector`,
      {
        integrationName: args.names.integration,
        serviceUrl: args.serviceUrl,
        protocol,
        type: args.botConnector.type,
        verifyTokenHeader: args.botConnector.verifyTokenHeader,
        verifyToken: args.botConnector.verifyToken,
        verifyTokenRotation: args.botConnector.verifyTokenRotation,
        credentialName: args.names.credential,
      },
      parent,
    );
    this.protocol = protocol;
    // The Digital Bot Connector reads the bots from the service (GET /bots): nothing to push.
    this.botList =
      protocol === "v1"
        ? new BotList(`${name}-bot-list`, { ...args.botListApi, integrationId: this.botConnector.integrationId, definitions: args.definitions }, parent)
        : undefined;
    const botList = this.botList;
    this.queue = new Queue(`${name}-queue`, args.queue, parent);
    this.flow = new InboundMessageFlow(
      `${name}-flow`,
      {
        description: flowDescription,
        substitutions: {
          bot_integration_name: this.botConnector.integrationName,
          bot_name: botList ? botList.bots.apply((bots) => bots[bot.id]?.name ?? bot.name) : bot.name,
          queue_default: this.queue.queueName,
        },
        filePath: args.flow?.filePath,
        forceUnlock: args.flow?.forceUnlock,
        // v2: Architect reads the manifest through the integration when the flow is published.
        botList: botList ?? this.botConnector.integration,
      },
      parent,
    );
    this.messenger = new Messenger(
      `${name}-messenger`,
      {
        messengerName: args.names.messenger,
        flowId: this.flow.flowId,
        botName: bot.name,
        settings: {
          ...args.messenger,
          languages: args.messenger.languages ?? flowDescription.languages,
          defaultLanguage: args.messenger.defaultLanguage ?? flowDescription.defaultLanguage,
        },
        testPageParameters: bot.parameters,
      },
      parent,
    );
    this.serviceClient = args.serviceClient
      ? new OAuthClient(
          `${name}-service-client`,
          {
            clientName: args.names.serviceClient ?? `${args.names.integration} service`,
            roles: args.serviceClient.roles,
            accessTokenValiditySeconds: args.serviceClient.accessTokenValiditySeconds,
          },
          parent,
        )
      : undefined;

    this.integrationId = this.botConnector.integrationId;
    this.uri = this.botConnector.uri;
    this.handleUtteranceUri = this.botConnector.handleUtteranceUri;
    this.verifyTokenHeader = this.botConnector.verifyTokenHeader;
    this.verifyToken = this.botConnector.verifyToken;
    this.flowId = this.flow.flowId;
    this.deploymentId = this.messenger.deploymentId;
    this.snippet = this.messenger.snippet;
    this.testPageHtml = this.messenger.testPageHtml;
    this.serviceClientId = this.serviceClient ? this.serviceClient.clientId : pulumi.output(undefined);
    this.serviceClientSecret = this.serviceClient ? this.serviceClient.clientSecret : pulumi.output(undefined);
    this.registerOutputs({
      integrationId: this.integrationId,
      protocol,
      uri: this.uri,
      verifyToken: this.verifyToken,
      flowId: this.flowId,
      deploymentId: this.deploymentId,
      snippet: this.snippet,
      testPageHtml: this.testPageHtml,
      serviceClientId: this.serviceClientId,
      serviceClientSecret: this.serviceClientSecret,
    });
  }
}
