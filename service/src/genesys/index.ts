/**
 * The Genesys Cloud Platform API pieces shared by the deployment tooling (bot list, doctor) and the endpoint
 * service (hand-over context in participant data): regions, client-credentials tokens, and a retrying client.
 */
export { GENESYS_REGIONS, GENESYS_REGION_DOMAINS, isGenesysRegion, platformUrls, type GenesysRegion, type PlatformUrls } from "./regions";
export { GenesysApiError, GenesysAuthError, GenesysNetworkError, errorTexts, type GenesysErrorBody } from "./errors";
export { DEFAULT_RETRY_POLICY, isRetryableStatus, parseRetryAfter, retryDelayMs, type RetryPolicy } from "./retry";
export { ClientCredentialsTokenProvider, type AccessTokenSource, type ClientCredentials, type TokenProviderOptions } from "./tokenProvider";
export { GenesysPlatformClient, listAll, type PlatformApi, type PlatformClientOptions, type RequestOptions } from "./platformClient";
