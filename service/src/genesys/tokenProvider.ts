import { GenesysAuthError, GenesysNetworkError, type GenesysErrorBody } from "./errors";
import { DEFAULT_RETRY_POLICY, isRetryableStatus, parseRetryAfter, retryDelayMs, sleep, type RetryPolicy } from "./retry";

/** An OAuth client of the org using the client-credentials grant. */
export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

export interface TokenProviderOptions {
  /** `https://login.<domain>` (see platformUrls), or the fake's URL in tests. */
  loginBaseUrl: string;
  credentials: ClientCredentials;
  /** Renew this long before the token expires (default 5 minutes, at most half the token's lifetime). */
  refreshMarginMs?: number;
  /** Timeout of one token request (default 10 s). */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  fetch?: typeof fetch;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface AccessTokenSource {
  /** A token valid for at least the refresh margin; fetched once and shared by concurrent callers. */
  getToken(signal?: AbortSignal): Promise<string>;
  /** Drops `token` (the one a 401 came back for) so the next getToken fetches a fresh one. */
  invalidate(token: string): void;
}

interface CachedToken {
  value: string;
  renewAt: number;
}

/**
 * Client-credentials tokens from the Genesys login host, cached until shortly before they expire. Secrets
 * travel only in the Basic authorization header of the token request; no error message or log line
 * produced here contains them.
 */
export class ClientCredentialsTokenProvider implements AccessTokenSource {
  private cached: CachedToken | undefined;
  private pending: Promise<CachedToken> | undefined;
  private readonly policy: RetryPolicy;
  private readonly fetchImpl: typeof fetch;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: TokenProviderOptions) {
    if (!options.credentials.clientId || !options.credentials.clientSecret) {
      throw new GenesysAuthError("Genesys Cloud client credentials are incomplete: both the client id and the client secret are needed", undefined);
    }
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.fetchImpl = options.fetch ?? fetch;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? sleep;
  }

  async getToken(signal?: AbortSignal): Promise<string> {
    if (this.cached && this.now() < this.cached.renewAt) return this.cached.value;
    this.pending ??= this.fetchToken(signal).finally(() => {
      this.pending = undefined;
    });
    this.cached = await this.pending;
    return this.cached.value;
  }

  invalidate(token: string): void {
    if (this.cached?.value === token) this.cached = undefined;
  }

  private async fetchToken(signal?: AbortSignal): Promise<CachedToken> {
    const { clientId, clientSecret } = this.options.credentials;
    const url = new URL("/oauth/token", this.options.loginBaseUrl).toString();
    const authorization = "Basic " + Buffer.from(`${clientId}:${clientSecret}`, "utf8").toString("base64");
    for (let attempt = 1; ; attempt++) {
      let response: Response;
      try {
        response = await this.fetchImpl(url, {
          method: "POST",
          headers: { authorization, "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
          body: "grant_type=client_credentials",
          signal: combineSignals(signal, this.options.timeoutMs ?? 10_000),
        });
      } catch (err) {
        if (signal?.aborted || attempt >= this.policy.maxAttempts) {
          throw new GenesysNetworkError(`cannot reach the Genesys Cloud login host ${this.options.loginBaseUrl}: ${(err as Error).message}`, { cause: err });
        }
        await this.sleep(retryDelayMs(attempt, this.policy));
        continue;
      }
      if (response.ok) {
        const body = (await response.json()) as { access_token?: unknown; expires_in?: unknown };
        if (typeof body.access_token !== "string" || body.access_token === "") {
          throw new GenesysAuthError("the Genesys Cloud login host answered without an access token", response.status);
        }
        const lifetimeMs = (typeof body.expires_in === "number" && body.expires_in > 0 ? body.expires_in : 3600) * 1000;
        const margin = Math.min(this.options.refreshMarginMs ?? 5 * 60_000, lifetimeMs / 2);
        return { value: body.access_token, renewAt: this.now() + lifetimeMs - margin };
      }
      if (isRetryableStatus(response.status) && attempt < this.policy.maxAttempts) {
        await response.body?.cancel();
        await this.sleep(retryDelayMs(attempt, this.policy, parseRetryAfter(response.headers.get("retry-after"), this.now())));
        continue;
      }
      const detail = await readErrorBody(response);
      const reason = detail?.error_description ?? detail?.description ?? detail?.message ?? detail?.error ?? "";
      throw new GenesysAuthError(
        `Genesys Cloud refused the client credentials of OAuth client ${clientId} at ${this.options.loginBaseUrl} (${response.status}${reason ? `: ${reason}` : ""}). ` +
          "Check the client id and secret, that the client uses the Client Credentials grant and is active, and that the region is the org's region.",
        response.status,
      );
    }
  }
}

export async function readErrorBody(response: Response): Promise<GenesysErrorBody | undefined> {
  const text = await response.text().catch(() => "");
  if (text === "") return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === "object" ? (parsed as GenesysErrorBody) : { message: String(parsed) };
  } catch {
    return { message: text.slice(0, 500) };
  }
}

/** The caller's signal (if any) combined with a per-request timeout. */
export function combineSignals(signal: AbortSignal | undefined, timeoutMs: number): AbortSignal {
  const timeout = AbortSignal.timeout(timeoutMs);
  return signal ? AbortSignal.any([signal, timeout]) : timeout;
}
