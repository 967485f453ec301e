/**
 * The Bot Connector integration's settings that no public source confirms, as explicit inputs, and the pure
 * functions that turn them into the integration's config. `npm run doctor -- <stack>` checks them against a
 * live org (the integration type's config schema and credentials section).
 */
import { TURN_ROUTE } from "../../service/src/protocol/types";


/**
 * How this org's Genesys Bot Connector integration type is wired. None of these values is published by
 * Genesys; read them from your org (`npm run doctor -- <stack>` does and explains mismatches), or install the
 * integration once in the UI and copy them from `GET /api/v2/integrations/{id}/config/current`.
 */
export interface BotConnectorTypeSettings {
  /** Id of the "Genesys Bot Connector" integration type (`GET /api/v2/integrations/types`). */
  integrationTypeId: string;
  /** Key in the type's config properties schema that holds the "Bot Connector Handle Utterance URI". */
  handleUtteranceUriProperty: string;
  /** Key of the credential slot in the type's `credentials` section. */
  credentialSlot: string;
  /** Credential type accepted by that slot for a header token, e.g. `userDefined` (see the slot's `credentialTypes`). */
  credentialType: string;
}

/** The path of the service's Handle Utterance endpoint (ARCHITECTURE.md: `POST /botconnector/messages`). */
export const HANDLE_UTTERANCE_PATH = TURN_ROUTE;

export { HEADER_NAME } from "../../service/src/config";

export function typeSettingsProblems(s: BotConnectorTypeSettings): Array<{ field: keyof BotConnectorTypeSettings; reason: string }> {
  const problems: Array<{ field: keyof BotConnectorTypeSettings; reason: string }> = [];
  for (const field of ["integrationTypeId", "handleUtteranceUriProperty", "credentialSlot", "credentialType"] as const) {
    const value = s[field];
    if (typeof value !== "string" || value.trim() === "") problems.push({ field, reason: "is required (no public source confirms it; see npm run doctor)" });
    else if (value.trim() !== value) problems.push({ field, reason: "has leading or trailing whitespace" });
  }
  return problems;
}

/**
 * `https://host[/base]` + `/botconnector/messages`. Genesys calls the URI over the internet, so it must be
 * HTTPS with a host; a trailing slash of the base is ignored.
 */
export function handleUtteranceUri(serviceUrl: string): string {
  let url: URL;
  try {
    url = new URL(serviceUrl);
  } catch {
    throw new Error(`serviceUrl "${serviceUrl}" is not a URL; expected the service's HTTPS base URL such as https://va.example.com`);
  }
  if (url.protocol !== "https:") throw new Error(`serviceUrl "${serviceUrl}" must use https: Genesys sends the verify token with every call`);
  if (url.search || url.hash) throw new Error(`serviceUrl "${serviceUrl}" must not have a query or fragment`);
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}${HANDLE_UTTERANCE_PATH}`;
}

/** The integration's `config.properties` JSON: only the Handle Utterance URI, under the configured key. */
export function integrationProperties(settings: BotConnectorTypeSettings, uri: string): string {
  return JSON.stringify({ [settings.handleUtteranceUriProperty]: uri });
}
