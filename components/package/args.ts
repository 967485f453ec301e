/**
 * The arguments the component package shows to every Pulumi language. Pulumi infers the package schema from
 * these declarations (`@pulumi/pulumi/provider/experimental`), so they keep to what its analyzer accepts:
 * interfaces of strings, numbers, booleans, arrays, string-keyed records and `pulumi.Input`, optional fields,
 * and no unions, enums or references to other components. Every JSDoc comment here becomes the description a
 * Python, Go, C# or YAML user reads in the generated SDK. Choices with a fixed set of values are plain strings
 * whose values are listed in the description and checked before anything is created (`./validate.ts`).
 *
 * Paths (`bots.directory`, `flow.callBotConnectorTemplateFile`) are relative to the consuming program's
 * directory, where `pulumi up` runs.
 */
import type * as pulumi from "@pulumi/pulumi";

/** The Genesys Bot Connector integration type's wiring in your org. Genesys does not publish these values; `npm run doctor` in this repository reads them from an org. */
export interface IntegrationType {
  /** Id of the "Genesys Bot Connector" integration type (`GET /api/v2/integrations/types`). */
  integrationTypeId: string;
  /** Key of the integration type's config property that holds the Handle Utterance URI. */
  handleUtteranceUriProperty: string;
  /** Key of the integration type's credential slot that holds the verify token. */
  credentialSlot: string;
  /** Credential type that slot accepts for a header token, for example `userDefined`. */
  credentialType: string;
}

/** Where the bot definitions are and which bot version the flow calls. */
export interface Bots {
  /** Directory of bot definition files (`*.yaml`), relative to the program's directory. Every definition is registered in the integration's bot list and built into the service image. */
  directory: string;
  /** Id of the bot the flow calls. Default: the only bot in the directory (required when there are several). */
  id?: string;
  /** Version of that bot the flow calls. Default: its highest version. */
  version?: string;
}

/** The ACD queue the flow hands conversations to. */
export interface HandoverQueue {
  /** The queue's name; the flow transfers to it by name. */
  name: string;
  /** Use an existing queue of that name (looked up, never changed) instead of creating one. Default false. */
  existing?: boolean;
}

/** What the flow does with one intent the bot completes with. */
export interface IntentAction {
  /** `transfer` (to the queue) or `disconnect`. */
  action: string;
  /** ACD priority of the transfer, 0 or more. Default: `flow.transferPriority`. */
  priority?: number;
  /** Message sent before the transfer or disconnect. */
  message?: string;
  /** Write the intent, its slots and output parameters to participant data first. Default true. */
  setParticipantData?: boolean;
}

/** Choices of the Architect Inbound Message flow. */
export interface Flow {
  /** How long the bot waits for the customer's next message, ISO 8601 (for example `PT30M`). Default `PT12H`. */
  followUpTimeout?: string;
  /** ACD priority of the flow's transfers, 0 or more. Default 0. */
  transferPriority?: number;
  /** What the flow says on the failure path before the transfer. Default: the bot's technicalProblem message. */
  failureMessage?: string;
  /** Intent name to what the flow does with it. Default: hand-over intents transfer, the others disconnect. */
  intentActions?: Record<string, IntentAction>;
  /** Prefix of the participant data attributes the flow sets from slots. Default `virtualAgent.`. */
  participantDataPrefix?: string;
  /** File (relative to the program's directory) holding a Call Bot Connector action exported from Architect, used as the template. Default: the built-in shape. */
  callBotConnectorTemplateFile?: string;
}

/** The Web Messenger configuration and deployment. */
export interface Messenger {
  /** Domains that may load the Messenger (for example `www.example.com`). Required unless `allowAllDomains`. */
  allowedDomains?: string[];
  /** Let every domain load the Messenger (tests only; refused with `hosting.production`). Default false. */
  allowAllDomains?: boolean;
  /** Messenger languages, lower-case tags such as `en-us`. Default: the bot version's languages. */
  languages?: string[];
  /** One of `languages`. Default: the bot version's default language. */
  defaultLanguage?: string;
  /** Primary colour, `#rrggbb`. Default `#1d5aa6`. */
  primaryColor?: string;
  /** Launcher button visibility: `On`, `Off` or `OnDemand`. Default `On`. */
  launcher?: string;
  /** Start the conversation (the bot's greeting) when the Messenger opens. Default true. */
  autoStart?: boolean;
  /** Let customers attach images. Default false. */
  attachments?: boolean;
  /** Name the Messenger shows for the bot. Default: the bot's name. */
  botDisplayName?: string;
  /** HTTPS URL of the bot's avatar. Default: none. */
  botAvatarUrl?: string;
}

/** A role of the service's own OAuth client: give exactly one of `name` and `id`. */
export interface ServiceClientRole {
  /** Role name as shown in Admin > Roles (looked up at deploy time). */
  name?: string;
  /** Role id (Admin > Roles, or `GET /api/v2/authorization/roles`). */
  id?: string;
  /** Division the role applies in; `*` for all. Default: the home division. */
  divisionId?: string;
}

/** The Genesys Cloud side: Bot Connector integration, bot list, queue, Inbound Message flow, Web Messenger. */
export interface Genesys {
  /** Prefix of every Genesys object's name (`<prefix> Bot Connector`, `<prefix> Inbound Message`, `<prefix> Messenger`, ...); at most 60 characters, no double quotes or braces. */
  namePrefix: string;
  /** The org's Genesys Cloud region as the genesyscloud provider names it (for example `eu-central-1`). Required with `serviceClientRoles` or `handoverContext`; otherwise the bot list reads `genesyscloud:awsRegion` (or `GENESYSCLOUD_REGION`) at deploy time. */
  region?: string;
  /** The Bot Connector integration type's wiring in the org. */
  integrationType: IntegrationType;
  /** HTTP header Genesys sends the verify token in. Default `verify-token`. */
  verifyTokenHeader?: string;
  /** A verify token to use instead of a generated one (48 letters and digits); pass it as a secret. */
  verifyToken?: pulumi.Input<string>;
  /** The bot definitions and the bot version the flow calls. */
  bots: Bots;
  /** The queue the flow hands conversations to. */
  queue: HandoverQueue;
  /** Choices of the Inbound Message flow. */
  flow?: Flow;
  /** The Web Messenger. */
  messenger: Messenger;
  /** Roles of an OAuth client for the service's own Platform API calls (its credentials reach the service as GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET). Default: no client, unless `handoverContext`. */
  serviceClientRoles?: ServiceClientRole[];
  /** On hand-over, the service writes the reason, the collected slots and a short transcript to participant data, with an OAuth client holding a least-privilege custom role created for it. Default false. */
  handoverContext?: boolean;
}

/** An existing VPC (for example a platform team's). */
export interface ExistingNetwork {
  /** Id of the VPC (for example a network stack's output). */
  vpcId: pulumi.Input<string>;
  /** Private subnets (egress through NAT or VPC endpoints) in at least two availability zones; the tasks run there. */
  privateSubnetIds: pulumi.Input<string>[];
  /** Public subnets in at least two zones, for the internet-facing load balancer of `endpoint.domainName`. */
  publicSubnetIds?: pulumi.Input<string>[];
}

/** The network the service runs in: an existing VPC, or one the component creates. */
export interface Network {
  /** Use this VPC; nothing is created. Leave out to create a VPC. */
  existing?: ExistingNetwork;
  /** Address range of the created VPC. Default `10.0.0.0/16`. */
  cidrBlock?: string;
  /** Availability zones of the created VPC, 2 or 3. Default 2. */
  availabilityZones?: number;
  /** NAT gateways of the created VPC: `perZone` (survives a zone failure) or `single` (cheaper). Default `perZone`. */
  natGateways?: string;
}

/** How the service image is obtained. */
export interface Image {
  /** Digest (`sha256:<64 hex>`) of an image a CI step already pushed to the component's ECR repository, built with the same bots. Default: build the service with Docker and push it. */
  prebuiltDigest?: string;
  /** Build the image during `pulumi preview` too (catches a broken build in pull requests; needs Docker). Default false. */
  buildOnPreview?: boolean;
  /** Let `pulumi destroy` delete the ECR repository with its images (throwaway stacks). Default false. */
  forceDelete?: boolean;
}

/** The HTTPS endpoint Genesys calls. */
export interface Endpoint {
  /** Host name Genesys calls (for example `bot.example.com`): an internet-facing load balancer with an ACM certificate. Default: API Gateway's own HTTPS URL. */
  domainName?: string;
  /** Route 53 hosted zone of `domainName`: the certificate is validated there and an alias record points at the load balancer. */
  hostedZoneId?: pulumi.Input<string>;
  /** An ACM certificate for `domainName`, instead of issuing one (then point DNS at the load balancer yourself). */
  certificateArn?: pulumi.Input<string>;
  /** The only IPv4 ranges that may reach the endpoint: the Genesys Bot Connector ranges of the org's region (`GET /api/v2/ipranges`). Needs `domainName`. Default: open (the verify token authenticates every turn). */
  allowedSourceCidrs?: string[];
}

/** Size, scaling, logs and alarms of the ECS service. */
export interface Service {
  /** Task CPU units, a Fargate size (256, 512, 1024, ...). Default 512. */
  cpu?: number;
  /** Task memory in MiB, valid for `cpu` on Fargate. Default 1024. */
  memory?: number;
  /** Tasks at start and the fewest autoscaling keeps; at least 2 with `production`. Default 1 (2 in production). */
  desiredCount?: number;
  /** Most tasks autoscaling may run. Default: the larger of 4 and twice `desiredCount`. */
  maxCount?: number;
  /** The service's LOG_LEVEL: fatal, error, warn, info, debug or trace. Default `info`. */
  logLevel?: string;
  /** The service's TURN_BUDGET_MS: the longest a turn may take before it answers Failed. Default 5000. */
  turnBudgetMs?: number;
  /** Days the service's and the API's logs are kept (a CloudWatch retention period: 1, 3, 5, 7, 14, 30, 60, 90, ... 3653). Default 30. */
  logRetentionDays?: number;
  /** SNS topic notified when an alarm fires and clears. Default: the alarms notify nobody. */
  alarmTopicArn?: pulumi.Input<string>;
}

/** The endpoint service on AWS: network, image, HTTPS endpoint, secrets, session table and ECS service. */
export interface Hosting {
  /** A production deployment: at least two tasks, load balancer and session table deletion protection, no Messenger on every domain or on localhost. Default false. */
  production?: boolean;
  /** CPU architecture of the image build and the tasks: `X86_64` or `ARM64`. Default `X86_64`. */
  cpuArchitecture?: string;
  /** The network. Default: a VPC created with two zones and a NAT gateway per zone. */
  network?: Network;
  /** The service image. Default: built from the package's service with the bots of `genesys.bots.directory`. */
  image?: Image;
  /** The HTTPS endpoint. Default: API Gateway's own HTTPS URL. */
  endpoint?: Endpoint;
  /** The ECS service. */
  service?: Service;
  /** Deletion protection of the session table (always on with `production`). Default true. */
  tableDeletionProtection?: boolean;
  /** Days a deleted secret can be restored: 0 (delete at once) or 7 to 30. Default 30. */
  secretsRecoveryWindowDays?: number;
  /** Customer managed KMS key (key ARN, not an alias) for the secrets, the session table and the image repository. Default: the AWS managed keys. */
  kmsKeyArn?: string;
  /** Tags for every taggable AWS resource. */
  tags?: Record<string, string>;
}

/** Arguments of VirtualAgent: the Genesys Cloud side and its endpoint service on AWS, wired together. */
export interface VirtualAgentArgs {
  /** The Genesys Cloud side. */
  genesys: Genesys;
  /** The endpoint service on AWS. Default: every hosting default (a new VPC, API Gateway's URL, one task). */
  hosting?: Hosting;
}

/** Arguments of GenesysVirtualAgent: the Genesys Cloud side alone, for an endpoint service hosted elsewhere. */
export interface GenesysVirtualAgentArgs {
  /** The Genesys Cloud side. */
  genesys: Genesys;
  /** HTTPS base URL of the endpoint service; Genesys calls `<serviceUrl>/botconnector/messages`. */
  serviceUrl: pulumi.Input<string>;
}

/** Arguments of HostedService: the endpoint service on AWS alone, for a Bot Connector integration managed elsewhere. */
export interface HostedServiceArgs {
  /** The integration's verify token (several comma-separated during a rotation); pass it as a secret. */
  verifyToken: pulumi.Input<string>;
  /** HTTP header the integration sends the verify token in. Default `verify-token`. */
  verifyTokenHeader?: string;
  /** Directory of the bot definition files (`*.yaml`) the service runs, relative to the program's directory. */
  botsDirectory: string;
  /** The endpoint service on AWS. Default: every hosting default. */
  hosting?: Hosting;
}
