import * as genesyscloud from "@pulumi/genesyscloud";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { checkInteger, failOnProblems, isKnown, Problems } from "../aws/validation";
import { connectorUri, type GenesysProtocol, GENESYS_PROTOCOLS, HEADER_NAME, integrationProperties, typeSettingsProblems, type BotConnectorTypeSettings } from "./botConnectorConfig";

export const BOT_CONNECTOR_TYPE = "virtual-agent:genesys:BotConnector";

export interface BotConnectorArgs {
  /** The integration's name; Architect selects the integration by it. */
  integrationName: pulumi.Input<string>;
  /** Notes shown on the integration. Default: a line naming the service URL's purpose. */
  notes?: pulumi.Input<string>;
  /** HTTPS base URL of the endpoint service; the integration's URI is this plus `/botconnector/messages` (v1) or `/digitalbotconnector` (v2). */
  serviceUrl: pulumi.Input<string>;
  /**
   * `v1` (default): the Genesys Bot Connector, whose Handle Utterance URI receives each turn. `v2`: the Genesys Digital
   * Bot Connector, whose Bot Connector URI is the base of the service's `/bots` and `/messages` routes.
   */
  protocol?: GenesysProtocol;
  /** The integration type's unconfirmed wiring (type id, the protocol's URI property key, credential slot and type). */
  type: BotConnectorTypeSettings;
  /**
   * Header Genesys sends the verify token in (the credential field's name). Must equal the service's
   * `VERIFY_TOKEN_HEADER`. Default `verify-token`.
   */
  verifyTokenHeader?: string;
  /** A verify token to use (treated as secret). Default: a generated one (RandomPassword). */
  verifyToken?: pulumi.Input<string>;
  /** Length of the generated token, 32 to 128 (default 48). */
  verifyTokenLength?: number;
  /** Change this value to generate a new token (a rotation); only with a generated token. */
  verifyTokenRotation?: pulumi.Input<string>;
  /** Name of the integration credential. Default: the integration name plus " verify token". */
  credentialName?: pulumi.Input<string>;
}

/**
 * The Genesys Bot Connector (v1) or Digital Bot Connector (v2) integration, enabled and pointing at the service, with
 * its verify token (v2 calls it the connection secret) held in an integration credential: Genesys sends each
 * credential field as an HTTP header on every call, of either protocol.
 */
export class BotConnector extends pulumi.ComponentResource {
  readonly integration: genesyscloud.Integration;
  readonly credential: genesyscloud.IntegrationCredential;
  readonly integrationId: pulumi.Output<string>;
  readonly integrationName: pulumi.Output<string>;
  readonly protocol: GenesysProtocol;
  /** The URI the integration holds: v1 the Handle Utterance URI, v2 the Bot Connector URI (a base). */
  readonly uri: pulumi.Output<string>;
  /** The same as `uri` (its v1 name). */
  readonly handleUtteranceUri: pulumi.Output<string>;
  readonly verifyTokenHeader: string;
  /** Secret. */
  readonly verifyToken: pulumi.Output<string>;

  constructor(name: string, args: BotConnectorArgs, opts?: pulumi.ComponentResourceOptions) {
    const problems = new Problems();
    const protocol = args.protocol ?? "v1";
    problems.require(GENESYS_PROTOCOLS.includes(protocol), "protocol", `must be v1 (Bot Connector) or v2 (Digital Bot Connector), got "${String(protocol)}"`);
    for (const p of typeSettingsProblems(args.type, protocol)) problems.add(`type.${p.field}`, p.reason);
    const header = args.verifyTokenHeader ?? "verify-token";
    problems.require(HEADER_NAME.test(header), "verifyTokenHeader", `"${header}" is not a valid HTTP header name`);
    checkInteger(problems, "verifyTokenLength", args.verifyTokenLength, 32, 128);
    problems.require(
      args.verifyToken === undefined || (args.verifyTokenLength === undefined && args.verifyTokenRotation === undefined),
      "verifyToken",
      "a supplied token cannot be combined with verifyTokenLength or verifyTokenRotation (those shape the generated token)",
    );
    if (isKnown(args.serviceUrl)) {
      try {
        connectorUri(args.serviceUrl, protocol);
      } catch (err) {
        problems.add("serviceUrl", (err as Error).message);
      }
    }
    if (isKnown(args.integrationName)) problems.require(args.integrationName.trim() !== "", "integrationName", "must not be empty");
    failOnProblems(BOT_CONNECTOR_TYPE, name, problems);

    super(BOT_CONNECTOR_TYPE, name, {}, opts);

    let token: pulumi.Output<string>;
    if (args.verifyToken !== undefined) {
      token = pulumi.secret(args.verifyToken);
    } else {
      const password = new random.RandomPassword(
        `${name}-verify-token`,
        {
          length: args.verifyTokenLength ?? 48,
          // Letters and digits only: the token travels as an HTTP header value and in VERIFY_TOKEN lists.
          special: false,
          ...(args.verifyTokenRotation !== undefined ? { keepers: { rotation: args.verifyTokenRotation } } : {}),
        },
        { parent: this },
      );
      token = pulumi.secret(password.result);
    }
    this.verifyToken = token;
    this.verifyTokenHeader = header;

    this.credential = new genesyscloud.IntegrationCredential(
      `${name}-credential`,
      {
        name: args.credentialName ?? pulumi.interpolate`${args.integrationName} verify token`,
        credentialTypeName: args.type.credentialType,
        fields: pulumi.secret(token.apply((value) => ({ [header]: value }))),
      },
      { parent: this },
    );

    this.protocol = protocol;
    this.uri = pulumi.output(args.serviceUrl).apply((url) => connectorUri(url, protocol));
    this.handleUtteranceUri = this.uri;
    this.integration = new genesyscloud.Integration(
      `${name}-integration`,
      {
        integrationType: args.type.integrationTypeId,
        intendedState: "ENABLED",
        config: {
          name: args.integrationName,
          notes: args.notes ?? "Virtual agent endpoint (managed by Pulumi)",
          properties: this.uri.apply((uri) => integrationProperties(args.type, uri, protocol)),
          credentials: { [args.type.credentialSlot]: this.credential.id },
        },
      },
      { parent: this },
    );
    this.integrationId = this.integration.id;
    // Architect resolves the integration by the name Genesys holds, so downstream names come from the resource.
    this.integrationName = pulumi
      .all([this.integration.config, pulumi.output(args.integrationName)])
      .apply(([config, fallback]) => config?.name ?? fallback);
    this.registerOutputs({
      integrationId: this.integrationId,
      integrationName: this.integrationName,
      protocol,
      uri: this.uri,
      verifyTokenHeader: this.verifyTokenHeader,
      verifyToken: this.verifyToken,
    });
  }
}
