/**
 * The Bot Connector integration's settings that no public source confirms, as explicit inputs, and the pure
 * functions that turn them into the integration's config. `npm run doctor -- <stack>` checks them against a
 * live org (the integration type's config schema and credentials section).
 */
import { TURN_ROUTE } from "../../service/src/protocol/types";
import { DIGITAL_BASE_PATH } from "../../service/src/protocol/v2/types";


/** The Genesys protocol a stack speaks: v1 the Bot Connector, v2 the Digital Bot Connector. */
export type GenesysProtocol = "v1" | "v2";
export const GENESYS_PROTOCOLS: readonly GenesysProtocol[] = ["v1", "v2"];

/**
 * How this org's Bot Connector (v1) or Digital Bot Connector (v2) integration type is wired. None of these values
 * is published by Genesys; read them from your org (`npm run doctor -- <stack>` does and explains mismatches), or
 * install the integration once in the UI and copy them from `GET /api/v2/integrations/{id}/config/current`.
 */
export interface BotConnectorTypeSettings {
  /** Id of the integration type (`GET /api/v2/integrations/types`): "Genesys Bot Connector" (v1) or "Genesys Digital Bot Connector" (v2). */
  integrationTypeId: string;
  /** v1: key in the type's config properties schema that holds the "Bot Connector Handle Utterance URI". */
  handleUtteranceUriProperty?: string;
  /** v2: key in the type's config properties schema that holds the "Bot Connector URI" (the base URL). */
  botConnectorUriProperty?: string;
  /** Key of the credential slot in the type's `credentials` section. */
  credentialSlot: string;
  /** Credential type accepted by that slot for a header token, e.g. `userDefined` (see the slot's `credentialTypes`). */
  credentialType: string;
}

/** The path of the service's Handle Utterance endpoint (ARCHITECTURE.md: `POST /botconnector/messages`). */
export const HANDLE_UTTERANCE_PATH = TURN_ROUTE;
/** The base path of the Digital Bot Connector's routes; Genesys appends `/bots`, `/bots/{botId}` and `/messages`. */
export const DIGITAL_BOT_CONNECTOR_PATH = DIGITAL_BASE_PATH;

export { HEADER_NAME } from "../../service/src/config";

/** The config property that holds the URI, per protocol. */
export function uriPropertyField(protocol: GenesysProtocol): "handleUtteranceUriProperty" | "botConnectorUriProperty" {
  return protocol === "v2" ? "botConnectorUriProperty" : "handleUtteranceUriProperty";
}

export function typeSettingsProblems(s: BotConnectorTypeSettings, protocol: GenesysProtocol = "v1"): Array<{ field: keyof BotConnectorTypeSettings; reason: string }> {
  const problems: Array<{ field: keyof BotConnectorTypeSettings; reason: string }> = [];
  for (const field of ["integrationTypeId", uriPropertyField(protocol), "credentialSlot", "credentialType"] as const) {
    const value = s[field];
    if (typeof value !== "string" || value.trim() === "") problems.push({ field, reason: "is required (no public source confirms it; see npm run doctor)" });
    else if (value.trim() !== value) problems.push({ field, reason: "has leading or trailing whitespace" });
  }
  return problems;
}

/**
 * `https://host[/base]` + `path`. Genesys calls the URI over the internet, so it must be HTTPS with a host; a
 * trailing slash of the base is ignored.
 */
function endpointUri(serviceUrl: string, path: string): string {
  let url: URL;
  try {
    url = new URL(serviceUrl);
  } catch {
    throw new Error(`serviceUrl "${serviceUrl}" is not a URL; expected the service's HTTPS base URL such as https://va.example.com`);
  }
  if (url.protocol !== "https:") throw new Error(`serviceUrl "${serviceUrl}" must use https: Genesys sends the verify token with every call`);
  if (url.search || url.hash) throw new Error(`serviceUrl "${serviceUrl}" must not have a query or fragment`);
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}${path}`;
}

/** v1: the service URL + `/botconnector/messages`. */
export function handleUtteranceUri(serviceUrl: string): string {
  return endpointUri(serviceUrl, HANDLE_UTTERANCE_PATH);
}

/** v2: the service URL + `/digitalbotconnector` (a base: Genesys appends each route). */
export function digitalBotConnectorUri(serviceUrl: string): string {
  return endpointUri(serviceUrl, DIGITAL_BOT_CONNECTOR_PATH);
}

/** The integration's URI for the protocol. */
export function connectorUri(serviceUrl: string, protocol: GenesysProtocol): string {
  return protocol === "v2" ? digitalBotConnectorUri(serviceUrl) : handleUtteranceUri(serviceUrl);
}

/** The integration's `config.properties` JSON: only the URI, under the protocol's configured key. */
export function integrationProperties(settings: BotConnectorTypeSettings, uri: string, protocol: GenesysProtocol = "v1"): string {
  return JSON.stringify({ [settings[uriPropertyField(protocol)] as string]: uri });
}
