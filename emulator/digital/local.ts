/**
 * `npm start` with the Digital Bot Connector (LOCAL_PROTOCOL=v2): the emulator's Platform API starts first, with an
 * OAuth client made up for this run, because the service needs its URL and credentials to send replies that come
 * later; once the service listens, the emulator reads the manifest from it, as Genesys does when a flow is
 * published.
 */
import { randomBytes } from "node:crypto";
import { DIGITAL_BASE_PATH } from "../../service/src/protocol/v2/types";
import { type BotConnectorEndpoint } from "../botConnector/caller";
import { fetchManifest, type DigitalManifest } from "./manifest";
import { EmulatorPlatform } from "./platform";

export const LOCAL_PROTOCOLS = ["v1", "v2"] as const;
export type LocalProtocol = (typeof LOCAL_PROTOCOLS)[number];

/**
 * The stack's config values that make synth render the protocol's flow, whatever protocol the stack file names.
 * Locally nothing is created in Genesys: the integration's URI property key only has to be present.
 */
export function protocolSynthOverrides(protocol: LocalProtocol, config: Record<string, unknown>): Record<string, unknown> {
  const key = protocol === "v2" ? "virtual-agent:genesysBotConnectorUriProperty" : "virtual-agent:genesysHandleUtteranceUriProperty";
  return { "virtual-agent:genesysProtocol": protocol, [key]: config[key] || "uri" };
}

export interface LocalPlatform {
  platform: EmulatorPlatform;
  /** The service's environment for v2: the protocol, its OAuth client and the Platform API's hosts. */
  serviceEnv: Record<string, string>;
}

export async function startLocalPlatform(host: string, port: number): Promise<LocalPlatform> {
  const client = { clientId: `local-${randomBytes(6).toString("hex")}`, clientSecret: randomBytes(24).toString("base64url") };
  const platform = await EmulatorPlatform.start({ host, port, client });
  return {
    platform,
    serviceEnv: {
      GENESYS_PROTOCOL: "v2",
      GENESYS_CLIENT_ID: client.clientId,
      GENESYS_CLIENT_SECRET: client.clientSecret,
      GENESYS_API_BASE_URL: platform.url,
      GENESYS_LOGIN_BASE_URL: platform.url,
    },
  };
}

/** The integration's Bot Connector URI for a service URL, and the manifest read through it. */
export async function connectDigital(serviceUrl: string, credentials: Record<string, string>): Promise<{ endpoint: BotConnectorEndpoint; manifest: DigitalManifest }> {
  const endpoint = { url: serviceUrl + DIGITAL_BASE_PATH, credentials };
  return { endpoint, manifest: await fetchManifest(endpoint) };
}
