import {
  ClientCredentialsTokenProvider,
  GenesysApiError,
  GenesysAuthError,
  GenesysNetworkError,
  GenesysPlatformClient,
  parseRetryAfter,
  platformUrls,
  retryDelayMs,
} from "../../service/src/genesys";
import { FakeGenesysPlatform } from "../fakes/genesysPlatform";

const SECRET = "s3cret-value-that-must-never-leak";

describe("regions", () => {
  it("maps a region to its API and login hosts, without case", () => {
    expect(platformUrls("eu-central-1")).toEqual({ apiBaseUrl: "https://api.mypurecloud.de", loginBaseUrl: "https://login.mypurecloud.de" });
    expect(platformUrls("US-EAST-1").apiBaseUrl).toBe("https://api.mypurecloud.com");
    expect(platformUrls("ap-southeast-2").loginBaseUrl).toBe("https://login.mypurecloud.com.au");
  });

  it("names the valid regions when one is unknown", () => {
    expect(() => platformUrls("eu-north-9")).toThrow(/unknown Genesys Cloud region "eu-north-9"; expected one of us-east-1, .*eu-central-1/);
  });
});

describe("retry timing", () => {
  it("reads Retry-After as seconds or as an HTTP date", () => {
    const now = Date.parse("2026-11-24T10:00:00Z");
    expect(parseRetryAfter("3", now)).toBe(3000);
    expect(parseRetryAfter("Tue, 24 Nov 2026 10:00:05 GMT", now)).toBe(5000);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter("soon")).toBeUndefined();
  });

  it("honours Retry-After up to the cap and otherwise backs off exponentially with jitter", () => {
    const policy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(retryDelayMs(1, policy, 700)).toBe(700);
    expect(retryDelayMs(1, policy, 5000)).toBe(1000);
    expect(retryDelayMs(1, policy, undefined, () => 0)).toBe(50);
    expect(retryDelayMs(3, policy, undefined, () => 1)).toBe(400);
    expect(retryDelayMs(10, policy, undefined, () => 1)).toBe(1000);
  });
});

describe("GenesysPlatformClient against the fake Platform API", () => {
  let fake: FakeGenesysPlatform;
  const delays: number[] = [];
  const sleep = async (ms: number) => {
    delays.push(ms);
  };
  const client = (secret = SECRET) =>
    new GenesysPlatformClient({ apiBaseUrl: fake.url, credentials: { clientId: "deployer", clientSecret: secret }, sleep, retry: { baseDelayMs: 10 } });

  beforeAll(async () => {
    fake = await FakeGenesysPlatform.start();
    fake.addClient({ clientId: "deployer", clientSecret: SECRET });
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    delays.length = 0;
    fake.clearFaults();
  });

  it("fetches one token and reuses it across calls", async () => {
    const api = client();
    const before = fake.tokensIssued;
    await api.request("GET", "/api/v2/tokens/me");
    await api.request("GET", "/api/v2/integrations/types");
    expect(fake.tokensIssued - before).toBe(1);
  });

  it("shares one token request between concurrent callers", async () => {
    const api = client();
    const before = fake.tokensIssued;
    await Promise.all([1, 2, 3, 4].map(() => api.request("GET", "/api/v2/tokens/me")));
    expect(fake.tokensIssued - before).toBe(1);
  });

  it("fetches a new token once when Genesys answers 401 (expired or revoked token)", async () => {
    const api = client();
    await api.request("GET", "/api/v2/tokens/me");
    const before = fake.tokensIssued;
    fake.expireAllTokens();
    const me = await api.request<{ OAuthClient: { id: string } }>("GET", "/api/v2/tokens/me");
    expect(me.OAuthClient.id).toBe("deployer");
    expect(fake.tokensIssued - before).toBe(1);
  });

  it("gives up after one refresh when 401 persists, naming the call", async () => {
    const api = client();
    fake.injectFault({ path: "/api/v2/tokens/me", status: 401, times: 2 });
    await expect(api.request("GET", "/api/v2/tokens/me")).rejects.toThrow(/GET \/api\/v2\/tokens\/me failed with 401/);
  });

  it("retries 429 honouring Retry-After, then succeeds", async () => {
    const api = client();
    fake.injectFault({ path: "/api/v2/integrations/types", status: 429, retryAfter: 2, times: 2 });
    await api.request("GET", "/api/v2/integrations/types");
    expect(delays).toEqual([2000, 2000]);
  });

  it("retries 5xx with backoff and reports the last error when they persist", async () => {
    const api = client();
    fake.injectFault({ path: "/api/v2/integrations/types", status: 503, times: 10 });
    const err = await api.request("GET", "/api/v2/integrations/types").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GenesysApiError);
    expect((err as GenesysApiError).status).toBe(503);
    expect(delays).toHaveLength(4); // five attempts in all
  });

  it("turns a 4xx into an error with Genesys's code and message", async () => {
    const api = client();
    const err = (await api.request("GET", "/api/v2/integrations/types/nope").catch((e: unknown) => e)) as GenesysApiError;
    expect(err).toBeInstanceOf(GenesysApiError);
    expect(err.status).toBe(404);
    expect(err.code).toBe("not.found");
    expect(err.message).toMatch(/GET \/api\/v2\/integrations\/types\/nope failed with 404: not.found: integration type nope not found/);
    expect(delays).toEqual([]);
  });

  it("refuses wrong credentials with an explanation that does not contain the secret", async () => {
    const err = (await client("wrong-secret-value-xyz").request("GET", "/api/v2/tokens/me").catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(GenesysAuthError);
    expect(err.message).toMatch(/refused the client credentials of OAuth client deployer .*401: client authentication failed/);
    expect(err.message).not.toContain("wrong-secret-value-xyz");
  });

  it("never puts the secret or the bearer token into error messages", async () => {
    const api = client();
    const errors: string[] = [];
    fake.injectFault({ path: "/api/v2/oauth/clients", status: 400, body: { message: "bad", code: "bad.request" } });
    await api.request("GET", "/api/v2/oauth/clients/x").catch((e: Error) => errors.push(e.message, String(e.stack)));
    await api.request("GET", "/api/v2/integrations/types/missing").catch((e: Error) => errors.push(e.message));
    expect(errors.join("\n")).not.toContain(SECRET);
    expect(errors.join("\n")).not.toMatch(/Bearer|Basic /);
  });

  it("reports an unreachable host as a network error after its retries", async () => {
    const api = new GenesysPlatformClient({ apiBaseUrl: "http://127.0.0.1:9", credentials: { clientId: "a", clientSecret: "b" }, sleep, retry: { maxAttempts: 2 } });
    await expect(api.request("GET", "/api/v2/tokens/me")).rejects.toBeInstanceOf(GenesysNetworkError);
  });
});

describe("ClientCredentialsTokenProvider", () => {
  it("renews before expiry: at most half the lifetime, and the margin before it", async () => {
    let now = 1_000_000;
    let issued = 0;
    const fetchStub = (async () => {
      issued++;
      return new Response(JSON.stringify({ access_token: `t${issued}`, expires_in: 600 }), { status: 200 });
    }) as unknown as typeof fetch;
    const tokens = new ClientCredentialsTokenProvider({
      loginBaseUrl: "https://login.example",
      credentials: { clientId: "id", clientSecret: "secret" },
      fetch: fetchStub,
      now: () => now,
      refreshMarginMs: 60_000,
    });
    expect(await tokens.getToken()).toBe("t1");
    now += 530_000; // 70 s before expiry: still valid beyond the margin
    expect(await tokens.getToken()).toBe("t1");
    now += 20_000; // 50 s before expiry: inside the margin
    expect(await tokens.getToken()).toBe("t2");
  });

  it("requires both halves of the credentials", () => {
    expect(() => new ClientCredentialsTokenProvider({ loginBaseUrl: "https://x", credentials: { clientId: "id", clientSecret: "" } })).toThrow(/client id and the client secret/);
  });
});

describe("extending the fake with plugins", () => {
  it("adds routes that share the fake's token and permission checks", async () => {
    const attributes = new Map<string, Record<string, string>>();
    const fake = await FakeGenesysPlatform.start({
      plugins: [
        (app, f) => {
          app.patch<{ Params: { conversationId: string; participantId: string }; Body: { attributes: Record<string, string> } }>(
            "/api/v2/conversations/messages/:conversationId/participants/:participantId/attributes",
            async (request, reply) => {
              // The permission name is illustrative; an extension should use the one Genesys documents for the route.
              if (!f.authorize(request, reply, "conversation:participant:wrapup")) return reply;
              attributes.set(request.params.participantId, { ...attributes.get(request.params.participantId), ...request.body.attributes });
              return reply.code(202).send();
            },
          );
        },
      ],
    });
    try {
      fake.addClient({ clientId: "service", clientSecret: "service-secret" });
      const api = new GenesysPlatformClient({ apiBaseUrl: fake.url, credentials: { clientId: "service", clientSecret: "service-secret" } });
      await api.request("PATCH", "/api/v2/conversations/messages/c-1/participants/p-1/attributes", { body: { attributes: { "virtualAgent.intent": "AgentRequested" } } });
      expect(attributes.get("p-1")).toEqual({ "virtualAgent.intent": "AgentRequested" });
      fake.addRole({ id: "none", name: "None", permissions: [] });
      fake.addClient({ clientId: "other", clientSecret: "other-secret", roleIds: ["none"] });
      const other = new GenesysPlatformClient({ apiBaseUrl: fake.url, credentials: { clientId: "other", clientSecret: "other-secret" } });
      await expect(other.request("PATCH", "/api/v2/conversations/messages/c-1/participants/p-1/attributes", { body: { attributes: {} } })).rejects.toThrow(/403: missing.permissions/);
    } finally {
      await fake.close();
    }
  });
});
