/**
 * Where the bot list finds Genesys Cloud credentials when it runs (in `pulumi up`/`refresh`/`destroy`, inside
 * the dynamic-provider host): the stack config keys the genesyscloud provider itself reads, then the
 * provider's environment variables. Nothing here ends up in Pulumi state; only the key names do.
 */

/** Names of the stack config keys to read (values never enter state). */
export interface CredentialConfigKeys {
  /** Default `genesyscloud:oauthclientId`. */
  clientId: string;
  /** Default `genesyscloud:oauthclientSecret` (set it with `--secret`). */
  clientSecret: string;
  /** Default `genesyscloud:awsRegion`. */
  region: string;
}

export const DEFAULT_CREDENTIAL_CONFIG_KEYS: CredentialConfigKeys = {
  clientId: "genesyscloud:oauthclientId",
  clientSecret: "genesyscloud:oauthclientSecret",
  region: "genesyscloud:awsRegion",
};

/** The environment variables the Genesys Cloud Terraform provider reads, used as the fallback. */
export const CREDENTIAL_ENV = {
  clientId: "GENESYSCLOUD_OAUTHCLIENT_ID",
  clientSecret: "GENESYSCLOUD_OAUTHCLIENT_SECRET",
  region: "GENESYSCLOUD_REGION",
} as const;

export interface ConfigReader {
  get(key: string): string | undefined;
}

export interface RuntimeCredentials {
  clientId: string;
  clientSecret: string;
  region: string | undefined;
}

/** Reads credentials from stack config (when the engine passed it) or the environment; explains what is missing. */
export function resolveRuntimeCredentials(keys: CredentialConfigKeys, config: ConfigReader | undefined, env: NodeJS.ProcessEnv): RuntimeCredentials {
  const read = (key: string, envName: string): string | undefined => {
    const fromConfig = config?.get(key);
    if (fromConfig !== undefined && fromConfig.trim() !== "") return fromConfig.trim();
    const fromEnv = env[envName];
    return fromEnv !== undefined && fromEnv.trim() !== "" ? fromEnv.trim() : undefined;
  };
  const clientId = read(keys.clientId, CREDENTIAL_ENV.clientId);
  const clientSecret = read(keys.clientSecret, CREDENTIAL_ENV.clientSecret);
  const missing: string[] = [];
  if (!clientId) missing.push(`pulumi config set ${keys.clientId} <client id>   (or ${CREDENTIAL_ENV.clientId})`);
  if (!clientSecret) missing.push(`pulumi config set --secret ${keys.clientSecret} <client secret>   (or ${CREDENTIAL_ENV.clientSecret})`);
  if (!clientId || !clientSecret) {
    throw new Error(
      "the Genesys bot list needs the deploying OAuth client (client credentials) when it runs; set:\n" + missing.map((m) => `  ${m}`).join("\n"),
    );
  }
  return { clientId, clientSecret, region: read(keys.region, CREDENTIAL_ENV.region) };
}
