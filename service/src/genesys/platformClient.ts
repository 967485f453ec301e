import { GenesysApiError, GenesysNetworkError } from "./errors";
import { platformUrls } from "./regions";
import { DEFAULT_RETRY_POLICY, isRetryableStatus, parseRetryAfter, retryDelayMs, sleep, type RetryPolicy } from "./retry";
import { ClientCredentialsTokenProvider, combineSignals, readErrorBody, type AccessTokenSource, type ClientCredentials } from "./tokenProvider";

export interface RequestOptions {
  /** JSON request body. */
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined>;
  signal?: AbortSignal;
}

/** The part of the Platform API client that callers use; easy to stand in for in tests of callers. */
export interface PlatformApi {
  /** Sends one request; resolves with the parsed JSON body (undefined for 204), throws GenesysApiError otherwise. */
  request<T = unknown>(method: string, path: string, options?: RequestOptions): Promise<T>;
}

export interface PlatformClientOptions {
  /** Region as the Terraform provider names it; sets both hosts unless they are given. */
  region?: string;
  /** Overrides the API host (tests point it at the local fake). */
  apiBaseUrl?: string;
  /** Overrides the login host. */
  loginBaseUrl?: string;
  credentials?: ClientCredentials;
  /** A token source to share (for example one provider for several clients); built from credentials otherwise. */
  tokens?: AccessTokenSource;
  retry?: Partial<RetryPolicy>;
  /** Timeout of one HTTP attempt (default 30 s). */
  timeoutMs?: number;
  userAgent?: string;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** Clock (ms since the epoch) for token renewal and Retry-After dates; tests move it. */
  now?: () => number;
  /** Called before each retry, for logs and metrics; never receives secrets. */
  onRetry?: (event: { method: string; path: string; attempt: number; status?: number; delayMs: number }) => void;
}

/**
 * A small Genesys Cloud Platform API client: bearer tokens from the client-credentials grant, JSON in and
 * out, retries with backoff on 429 (honouring Retry-After) and 5xx, one token refresh on 401, and errors
 * that name the call and what Genesys said but never a credential.
 */
export class GenesysPlatformClient implements PlatformApi {
  readonly apiBaseUrl: string;
  readonly loginBaseUrl: string;
  private readonly tokens: AccessTokenSource;
  private readonly policy: RetryPolicy;
  private readonly fetchImpl: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: PlatformClientOptions) {
    const regional = options.region ? platformUrls(options.region) : undefined;
    const apiBaseUrl = options.apiBaseUrl ?? regional?.apiBaseUrl;
    const loginBaseUrl = options.loginBaseUrl ?? regional?.loginBaseUrl ?? apiBaseUrl;
    if (!apiBaseUrl || !loginBaseUrl) throw new Error("a Genesys Cloud region or an API base URL is required");
    this.apiBaseUrl = apiBaseUrl;
    this.loginBaseUrl = loginBaseUrl;
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.fetchImpl = options.fetch ?? fetch;
    this.sleep = options.sleep ?? sleep;
    if (options.tokens) this.tokens = options.tokens;
    else if (options.credentials) {
      this.tokens = new ClientCredentialsTokenProvider({
        loginBaseUrl,
        credentials: options.credentials,
        retry: options.retry,
        fetch: options.fetch,
        sleep: options.sleep,
        now: options.now,
      });
    } else throw new Error("Genesys Cloud client credentials or a token source are required");
  }

  async request<T = unknown>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const url = new URL(path, this.apiBaseUrl);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    let refreshedAfter401 = false;
    for (let attempt = 1; ; attempt++) {
      const token = await this.tokens.getToken(options.signal);
      let response: Response;
      try {
        response = await this.fetchImpl(url, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            accept: "application/json",
            ...(options.body === undefined ? {} : { "content-type": "application/json" }),
            ...(this.options.userAgent ? { "user-agent": this.options.userAgent } : {}),
          },
          body: options.body === undefined ? undefined : JSON.stringify(options.body),
          signal: combineSignals(options.signal, this.options.timeoutMs ?? 30_000),
        });
      } catch (err) {
        if (options.signal?.aborted || attempt >= this.policy.maxAttempts) {
          throw new GenesysNetworkError(`${method} ${path}: cannot reach ${this.apiBaseUrl}: ${(err as Error).message}`, { cause: err });
        }
        await this.wait(method, path, attempt, undefined, retryDelayMs(attempt, this.policy));
        continue;
      }
      if (response.status === 401 && !refreshedAfter401) {
        // A token can expire or be revoked before its announced lifetime: fetch a new one, once.
        refreshedAfter401 = true;
        await response.body?.cancel();
        this.tokens.invalidate(token);
        attempt--;
        continue;
      }
      if (isRetryableStatus(response.status) && attempt < this.policy.maxAttempts) {
        await response.body?.cancel();
        const delay = retryDelayMs(attempt, this.policy, parseRetryAfter(response.headers.get("retry-after"), this.options.now?.()));
        await this.wait(method, path, attempt, response.status, delay);
        continue;
      }
      if (!response.ok) {
        throw new GenesysApiError(
          method,
          path,
          response.status,
          await readErrorBody(response),
          response.headers.get("inin-correlation-id") ?? undefined,
          response.headers.get("retry-after") ?? undefined,
        );
      }
      if (response.status === 204) return undefined as T;
      const text = await response.text();
      return (text === "" ? undefined : JSON.parse(text)) as T;
    }
  }

  private async wait(method: string, path: string, attempt: number, status: number | undefined, delayMs: number): Promise<void> {
    this.options.onRetry?.({ method, path, attempt, status, delayMs });
    await this.sleep(delayMs);
  }
}

/** Pages through a Genesys listing (`entities`, `pageCount`) and returns every entity. */
export async function listAll<T>(api: PlatformApi, path: string, query: Record<string, string | number> = {}, pageSize = 100): Promise<T[]> {
  const all: T[] = [];
  for (let pageNumber = 1; ; pageNumber++) {
    const page = await api.request<{ entities?: T[]; pageCount?: number }>("GET", path, { query: { ...query, pageSize, pageNumber } });
    all.push(...(page?.entities ?? []));
    if (!page?.pageCount || pageNumber >= page.pageCount) return all;
  }
}
