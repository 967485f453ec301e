/**
 * The components the package offers to every Pulumi language. Each takes the plain arguments of ./args.ts,
 * turns them into the TypeScript components' arguments (./mapping.ts, which checks everything first) and builds
 * the same resources the TypeScript program does.
 *
 * Pulumi names a package component `<package>:index:<class name>`, with the package name from package.json
 * (`virtual-agent`). VirtualAgent keeps the type the stack program has always registered and creates the same
 * children, so a stack that moves from this repository's program to the package keeps its state. The Genesys
 * side and the hosting alone are new types around the existing components; the inner component is aliased to
 * where a program that created it directly had it, so such a program can move to the package without
 * replacements.
 *
 * Only Output properties belong on these classes: the schema lists every property as an output. They are
 * `declare`d (the schema reads the declarations) and set together from one object, which is also what the
 * component registers.
 */
import * as pulumi from "@pulumi/pulumi";
import { HostedService as HostedServiceComponent } from "../aws/hostedService";
import { GenesysVirtualAgent as GenesysSideComponent } from "../genesys/virtualAgent";
import { composeVirtualAgent, type OwnProperties, VIRTUAL_AGENT_STACK_TYPE, virtualAgentOutputs } from "../virtualAgent";
import type * as plain from "./args";
import { prepareGenesysVirtualAgent, prepareHostedService, prepareVirtualAgent } from "./mapping";

/** The package name (components/package.json), which Pulumi makes the first part of every type token. */
export const PACKAGE_NAME = "virtual-agent";

export const PACKAGE_TYPES = {
  VirtualAgent: VIRTUAL_AGENT_STACK_TYPE,
  GenesysVirtualAgent: `${PACKAGE_NAME}:index:GenesysVirtualAgent`,
  HostedService: `${PACKAGE_NAME}:index:HostedService`,
} as const;

/** The inner component takes the place a direct user gave it: no parent of its own, or the caller's. */
function directUseAlias(opts: pulumi.ComponentResourceOptions | undefined): pulumi.Alias[] {
  return [{ parent: opts?.parent ?? pulumi.rootStackResource }];
}

/**
 * A virtual agent in front of Genesys Cloud Web Messaging: the Genesys Bot Connector integration with its verify
 * token, the bot list derived from the bot definitions, the hand-over queue, the Architect Inbound Message flow
 * and the Web Messenger, and the Bot Connector endpoint service on AWS (ECR image, ECS Fargate behind HTTPS,
 * DynamoDB sessions, Secrets Manager, logs, alarms, autoscaling), wired together.
 */
export class VirtualAgent extends pulumi.ComponentResource {
  /** HTTPS base URL of the endpoint service. */
  declare readonly serviceUrl: pulumi.Output<string>;
  /** The URL Genesys calls for every turn. */
  declare readonly handleUtteranceUri: pulumi.Output<string>;
  /** Id of the Bot Connector integration. */
  declare readonly integrationId: pulumi.Output<string>;
  /** Id of the Inbound Message flow. */
  declare readonly flowId: pulumi.Output<string>;
  /** Id of the Messenger deployment. */
  declare readonly deploymentId: pulumi.Output<string>;
  /** The Messenger's script snippet for web pages. */
  declare readonly snippet: pulumi.Output<string>;
  /** A test page that loads the Messenger. */
  declare readonly testPageHtml: pulumi.Output<string>;
  /** Id of the hand-over queue. */
  declare readonly queueId: pulumi.Output<string>;
  /** Name of the DynamoDB session table. */
  declare readonly sessionTableName: pulumi.Output<string>;
  /** Name of the service's CloudWatch log group. */
  declare readonly logGroupName: pulumi.Output<string>;
  /** The digest-pinned image the service runs. */
  declare readonly imageRef: pulumi.Output<string>;

  constructor(name: string, args: plain.VirtualAgentArgs, opts?: pulumi.ComponentResourceOptions) {
    const composition = prepareVirtualAgent(PACKAGE_TYPES.VirtualAgent, name, args);
    super(PACKAGE_TYPES.VirtualAgent, name, {}, opts);
    const outputs: OwnProperties<VirtualAgent> = virtualAgentOutputs(composeVirtualAgent(this, name, composition));
    Object.assign(this, outputs);
    this.registerOutputs(outputs);
  }
}

/**
 * The Genesys Cloud side of the virtual agent alone, for an endpoint service hosted elsewhere: the Bot Connector
 * integration and its verify token, the bot list, the hand-over queue, the Inbound Message flow, the Web
 * Messenger and, when asked for, the service's own OAuth client. Give the service `verifyToken` as VERIFY_TOKEN
 * and `verifyTokenHeader` as VERIFY_TOKEN_HEADER.
 */
export class GenesysVirtualAgent extends pulumi.ComponentResource {
  /** Id of the Bot Connector integration. */
  declare readonly integrationId: pulumi.Output<string>;
  /** The URL Genesys calls for every turn. */
  declare readonly handleUtteranceUri: pulumi.Output<string>;
  /** The verify token (secret): the service's VERIFY_TOKEN. */
  declare readonly verifyToken: pulumi.Output<string>;
  /** The header it is sent in: the service's VERIFY_TOKEN_HEADER. */
  declare readonly verifyTokenHeader: pulumi.Output<string>;
  /** Id of the Inbound Message flow. */
  declare readonly flowId: pulumi.Output<string>;
  /** Id of the Messenger deployment. */
  declare readonly deploymentId: pulumi.Output<string>;
  /** The Messenger's script snippet for web pages. */
  declare readonly snippet: pulumi.Output<string>;
  /** A test page that loads the Messenger. */
  declare readonly testPageHtml: pulumi.Output<string>;
  /** Id of the hand-over queue. */
  declare readonly queueId: pulumi.Output<string>;
  /** Client id of the service's OAuth client (GENESYS_CLIENT_ID), when one is created. */
  declare readonly serviceClientId: pulumi.Output<string | undefined>;
  /** Its secret (GENESYS_CLIENT_SECRET), when one is created. */
  declare readonly serviceClientSecret: pulumi.Output<string | undefined>;

  constructor(name: string, args: plain.GenesysVirtualAgentArgs, opts?: pulumi.ComponentResourceOptions) {
    const side = prepareGenesysVirtualAgent(PACKAGE_TYPES.GenesysVirtualAgent, name, args);
    super(PACKAGE_TYPES.GenesysVirtualAgent, name, {}, opts);
    const genesys = new GenesysSideComponent(name, side, { parent: this, aliases: directUseAlias(opts) });
    const outputs: OwnProperties<GenesysVirtualAgent> = {
      integrationId: genesys.integrationId,
      handleUtteranceUri: genesys.handleUtteranceUri,
      verifyToken: genesys.verifyToken,
      verifyTokenHeader: pulumi.output(genesys.verifyTokenHeader),
      flowId: genesys.flowId,
      deploymentId: genesys.deploymentId,
      snippet: genesys.snippet,
      testPageHtml: genesys.testPageHtml,
      queueId: genesys.queue.queueId,
      serviceClientId: genesys.serviceClientId,
      serviceClientSecret: genesys.serviceClientSecret,
    };
    Object.assign(this, outputs);
    this.registerOutputs(outputs);
  }
}

/**
 * The Bot Connector endpoint service on AWS alone, for an integration managed elsewhere: the ECR image built
 * with your bot definitions, ECS Fargate behind HTTPS (a custom domain with an ACM certificate, or API
 * Gateway's URL), the DynamoDB session table, the verify token in Secrets Manager, logs, alarms, autoscaling.
 */
export class HostedService extends pulumi.ComponentResource {
  /** HTTPS base URL of the endpoint; the integration's Handle Utterance URI is this plus `/botconnector/messages`. */
  declare readonly url: pulumi.Output<string>;
  /** `custom-domain` (load balancer with a certificate) or `api-gateway` (API Gateway's URL). */
  declare readonly endpointMode: pulumi.Output<string>;
  /** Name of the DynamoDB session table. */
  declare readonly tableName: pulumi.Output<string>;
  /** Name of the service's CloudWatch log group. */
  declare readonly logGroupName: pulumi.Output<string>;
  /** The digest-pinned image the service runs. */
  declare readonly imageRef: pulumi.Output<string>;
  /** The ECR repository (push a prebuilt image here for `hosting.image.prebuiltDigest`). */
  declare readonly repositoryUrl: pulumi.Output<string>;
  /** Name of the ECS cluster. */
  declare readonly clusterName: pulumi.Output<string>;
  /** Name of the ECS service. */
  declare readonly serviceName: pulumi.Output<string>;

  constructor(name: string, args: plain.HostedServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    const hostingArgs = prepareHostedService(PACKAGE_TYPES.HostedService, name, args);
    super(PACKAGE_TYPES.HostedService, name, {}, opts);
    const hosting = new HostedServiceComponent(name, hostingArgs, { parent: this, aliases: directUseAlias(opts) });
    const outputs: OwnProperties<HostedService> = {
      url: hosting.url,
      endpointMode: pulumi.output(hosting.endpoint.mode),
      tableName: hosting.tableName,
      logGroupName: hosting.logGroupName,
      imageRef: hosting.imageRef,
      repositoryUrl: hosting.image.repositoryUrl,
      clusterName: hosting.service.clusterName,
      serviceName: hosting.service.serviceName,
    };
    Object.assign(this, outputs);
    this.registerOutputs(outputs);
  }
}
