/**
 * How the Genesys side and the AWS hosting are wired together, as pure functions: the arguments of the
 * VirtualAgent composition, their validation, and the hosting's arguments completed with the Genesys
 * side's outputs (verify token, its header, the service's OAuth client). The composition calls these; the
 * stack program and the tests use them too.
 */
import type * as pulumi from "@pulumi/pulumi";
import { type HostedServiceArgs, validateHostedServiceArgs } from "./aws/hostedService";
import { type ServiceSecretsArgs } from "./aws/secrets";
import { Problems } from "./aws/validation";
import { type GenesysVirtualAgentArgs } from "./genesys/virtualAgent";
import { isGenesysRegion } from "../service/src/genesys/regions";
import { DIGITAL_ENDPOINTS } from "../service/src/protocol/v2/types";
import { type GenesysProtocol } from "./genesys/botConnectorConfig";
import { replyWindowFor } from "./genesys/flow/callDigitalBotConnector";
import { DEFAULT_BOT_RESPONSE_TIMEOUT } from "./genesys/flow/description";

/** The environment the service's own Genesys OAuth client reaches the container under (secrets, then plain). */
export const SERVICE_CLIENT_ENV = {
  clientId: "GENESYS_CLIENT_ID",
  clientSecret: "GENESYS_CLIENT_SECRET",
  region: "GENESYS_REGION",
} as const;

/** The service's switch for writing hand-over context to participant data (service/src/handover). */
export const HANDOVER_CONTEXT_ENV = { name: "HANDOVER_CONTEXT", participantData: "participant-data" } as const;

/** The service's protocol switch: v2 serves the Digital Bot Connector's routes and sends replies that come later. */
export const GENESYS_PROTOCOL_ENV = { name: "GENESYS_PROTOCOL", digital: "v2", replyWindow: "DBC_REPLY_WINDOW_MS" } as const;



type HostedServiceSettings = NonNullable<HostedServiceArgs["service"]>;

/** The hosting as the composition takes it: everything the Genesys side decides is wired in, not given. */
export interface VirtualAgentHostingArgs extends Omit<HostedServiceArgs, "secrets" | "service"> {
  /** Further secrets and their protection; `verifyToken` (and the service client's credentials) come from the Genesys side. */
  secrets?: Omit<ServiceSecretsArgs, "verifyToken" | "tags">;
  /** The service: size, scaling, logs, alarms, environment; `verifyTokenHeader` comes from the Genesys side. */
  service?: Omit<HostedServiceSettings, "verifyTokenHeader">;
}

export interface VirtualAgentArgs {
  /** The Genesys Cloud side (integration, bot list, queue, flow, Messenger, optional service OAuth client); its service URL is the hosting's. */
  genesys: Omit<GenesysVirtualAgentArgs, "serviceUrl">;
  /** The AWS hosting of the endpoint service; its verify token, token header and Genesys credentials come from the Genesys side. */
  hosting: VirtualAgentHostingArgs;
  /**
   * The org's Genesys Cloud region (e.g. `eu-central-1`), given to the service as `GENESYS_REGION` together with
   * its OAuth client's credentials. Required with `genesys.serviceClient`. Default: `genesys.botListApi.region`
   * when that is a plain string.
   */
  genesysRegion?: string;
  /**
   * The service writes the hand-over reason, collected slots and a short transcript to the customer's participant
   * data when it hands over (`HANDOVER_CONTEXT=participant-data`). Needs `genesys.serviceClient`, whose roles should
   * include `handoverContextRole(...)`. Default false.
   */
  handoverContext?: boolean;
}

/** What the service learns from the composition besides the Genesys outputs. */
export interface ServiceFeatures {
  /** The org's region, for the service's OAuth client. */
  region: string | undefined;
  handoverContext: boolean;
  /** The Genesys protocol: v2 turns on the service's Digital Bot Connector and forwards its routes. Default v1. */
  protocol?: GenesysProtocol;
  /** v2: the service's reply window (DBC_REPLY_WINDOW_MS), from the flow's Bot Response Timeout. */
  replyWindowMs?: number;
}

/** What the Genesys side gives the hosting. */
export interface GenesysOutputsForHosting {
  /** Secret. */
  verifyToken: pulumi.Input<string>;
  verifyTokenHeader: string;
  /** The service's OAuth client, when the stack creates one. */
  serviceClient?: { clientId: pulumi.Input<string>; clientSecret: pulumi.Input<string> };
}

/** The region the service's OAuth client calls, when one is configured. */
export function serviceClientRegion(args: VirtualAgentArgs): string | undefined {
  const fromBotList = args.genesys.botListApi?.region;
  return args.genesysRegion ?? (typeof fromBotList === "string" ? fromBotList : undefined);
}

/** The features the composition's arguments turn on in the service. */
export function serviceFeatures(args: VirtualAgentArgs): ServiceFeatures {
  const protocol = args.genesys.protocol ?? "v1";
  return {
    region: serviceClientRegion(args),
    handoverContext: args.handoverContext ?? false,
    protocol,
    ...(protocol === "v2" ? { replyWindowMs: replyWindowFor(args.genesys.flow?.botResponseTimeout ?? DEFAULT_BOT_RESPONSE_TIMEOUT) } : {}),
  };
}

/** The hosting's arguments completed with the Genesys side's outputs. */
export function wireHosting(hosting: VirtualAgentHostingArgs, genesys: GenesysOutputsForHosting, features: ServiceFeatures): HostedServiceArgs {
  const client = genesys.serviceClient;
  const region = features.region;
  const digital = features.protocol === "v2";
  return {
    ...hosting,
    // The front door forwards exactly the protocol's routes.
    ...(digital ? { endpoint: { ...hosting.endpoint, routes: DIGITAL_ENDPOINTS } } : {}),
    secrets: {
      ...hosting.secrets,
      verifyToken: genesys.verifyToken,
      additional: {
        ...hosting.secrets?.additional,
        ...(client ? { [SERVICE_CLIENT_ENV.clientId]: client.clientId, [SERVICE_CLIENT_ENV.clientSecret]: client.clientSecret } : {}),
      },
    },
    service: {
      ...hosting.service,
      verifyTokenHeader: genesys.verifyTokenHeader,
      environment: {
        ...hosting.service?.environment,
        ...(client && region ? { [SERVICE_CLIENT_ENV.region]: region } : {}),
        ...(features.handoverContext ? { [HANDOVER_CONTEXT_ENV.name]: HANDOVER_CONTEXT_ENV.participantData } : {}),
        ...(digital ? { [GENESYS_PROTOCOL_ENV.name]: GENESYS_PROTOCOL_ENV.digital } : {}),
        ...(digital && features.replyWindowMs !== undefined ? { [GENESYS_PROTOCOL_ENV.replyWindow]: String(features.replyWindowMs) } : {}),
      },
    },
  };
}

/** Every problem of the composed arguments, before anything is created (paths start with `genesys.` or `hosting.`). */
export function validateVirtualAgentArgs(args: VirtualAgentArgs): Problems {
  const problems = new Problems();
  const withClient = args.genesys.serviceClient !== undefined;
  const features = serviceFeatures(args);
  const region = features.region;
  if (features.handoverContext && !withClient) {
    problems.add("handoverContext", "needs genesys.serviceClient (with handoverContextRole(...) among its roles): the service writes participant data with that client");
  }
  problems.require(
    args.hosting.service?.environment?.[HANDOVER_CONTEXT_ENV.name] === undefined,
    `hosting.service.environment.${HANDOVER_CONTEXT_ENV.name}`,
    "comes from handoverContext; leave it out",
  );
  problems.require(args.hosting.service?.environment?.[GENESYS_PROTOCOL_ENV.name] === undefined, `hosting.service.environment.${GENESYS_PROTOCOL_ENV.name}`, "comes from genesys.protocol; leave it out");
  problems.require(args.hosting.endpoint?.routes === undefined, "hosting.endpoint.routes", "come from genesys.protocol; leave them out");
  if (features.protocol === "v2" && !withClient) {
    problems.add("genesys.serviceClient", "is required with genesys.protocol v2: the service sends replies that come later with that client (include digitalRepliesRole(...) among its roles)");
  }
  if (withClient) {
    if (region === undefined) problems.add("genesysRegion", "is required with genesys.serviceClient: the service's OAuth client needs the org's region");
    else problems.require(isGenesysRegion(region), "genesysRegion", `"${region}" is not a Genesys Cloud region`);
    for (const envName of [SERVICE_CLIENT_ENV.clientId, SERVICE_CLIENT_ENV.clientSecret]) {
      problems.require(args.hosting.secrets?.additional?.[envName] === undefined, `hosting.secrets.additional.${envName}`, "comes from genesys.serviceClient; leave it out");
    }
    problems.require(args.hosting.service?.environment?.[SERVICE_CLIENT_ENV.region] === undefined, `hosting.service.environment.${SERVICE_CLIENT_ENV.region}`, "comes from genesysRegion; leave it out");
  }
  // The hosting's own rules, with the wired values standing in (their shape is all that is checked).
  const wired = wireHosting(
    args.hosting,
    {
      verifyToken: "planned",
      verifyTokenHeader: args.genesys.botConnector.verifyTokenHeader ?? "verify-token",
      ...(withClient ? { serviceClient: { clientId: "planned", clientSecret: "planned" } } : {}),
    },
    features,
  );
  for (const p of validateHostedServiceArgs(wired).list) problems.add(`hosting.${p.propertyPath}`, p.reason);
  return problems;
}
