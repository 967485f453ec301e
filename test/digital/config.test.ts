/** GENESYS_PROTOCOL and the Digital Bot Connector's settings: defaults, limits, and one message per mistake. */
import { ConfigError, loadConfig } from "../../service/src/config";

const base = { VERIFY_TOKEN: "a-verify-token-of-some-length" };
const v2 = {
  ...base,
  GENESYS_PROTOCOL: "v2",
  GENESYS_CLIENT_ID: "client",
  GENESYS_CLIENT_SECRET: "secret-of-the-client",
  GENESYS_REGION: "eu-central-1",
};

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe("GENESYS_PROTOCOL", () => {
  test("v1 by default, without the Digital Bot Connector", () => {
    const config = loadConfig(base);
    expect(config.genesysProtocol).toBe("v1");
    expect(config.digitalBotConnector).toBeUndefined();
  });

  test("v2 reads the OAuth client, the region's hosts and the defaults", () => {
    const config = loadConfig({ ...v2, GENESYS_PROTOCOL: " V2 " });
    expect(config.genesysProtocol).toBe("v2");
    expect(config.digitalBotConnector).toEqual({
      provider: "Genesys virtual agent",
      replyWindowMs: 3000,
      laterBudgetMs: 60_000,
      deliveryTimeoutMs: 300_000,
      maxDeferred: 1000,
      deliveryConcurrency: 8,
      api: { clientId: "client", clientSecret: "secret-of-the-client", apiBaseUrl: "https://api.mypurecloud.de", loginBaseUrl: "https://login.mypurecloud.de" },
    });
  });

  test("an unknown protocol is named with both choices", () => {
    expect(problems({ ...base, GENESYS_PROTOCOL: "v3" })).toEqual(['GENESYS_PROTOCOL must be v1 (Bot Connector) or v2 (Digital Bot Connector), got "v3"']);
  });

  test("v2 without the service's OAuth client says what it is for", () => {
    expect(problems({ ...base, GENESYS_PROTOCOL: "v2" })).toEqual([
      "GENESYS_CLIENT_ID is not set: GENESYS_PROTOCOL=v2 sends replies that come later through the service's Genesys OAuth client",
      "GENESYS_CLIENT_SECRET is not set: GENESYS_PROTOCOL=v2 needs the OAuth client's secret",
      "GENESYS_REGION is not set: GENESYS_PROTOCOL=v2 calls the org's region (or set GENESYS_API_BASE_URL and GENESYS_LOGIN_BASE_URL)",
    ]);
  });

  test("with hand-over context as well, the client's problems are reported once", () => {
    const found = problems({ ...base, GENESYS_PROTOCOL: "v2", HANDOVER_CONTEXT: "participant-data", GENESYS_REGION: "eu-central-1" });
    expect(found.filter((p) => p.startsWith("GENESYS_CLIENT_ID"))).toHaveLength(1);
  });

  test.each([
    [{ DBC_BOT_PROVIDER: "In-house\u0007LLM" }, /^DBC_BOT_PROVIDER must be displayable characters only/],
    [{ DBC_BOT_PROVIDER: "x".repeat(101) }, /^DBC_BOT_PROVIDER must be 1 to 100 characters/],
    [{ DBC_REPLY_WINDOW_MS: "60000" }, 'DBC_REPLY_WINDOW_MS must be an integer from 100 to 59000, got "60000"'],
    [{ DBC_REPLY_WINDOW_MS: "5000", DBC_LATER_BUDGET_MS: "4000" }, "DBC_LATER_BUDGET_MS (4000) must be longer than DBC_REPLY_WINDOW_MS (5000)"],
    [{ DBC_MAX_DEFERRED: "0" }, 'DBC_MAX_DEFERRED must be an integer from 1 to 100000, got "0"'],
  ])("%j is refused", (env, message) => {
    const found = problems({ ...v2, ...env });
    expect(found).toHaveLength(1);
    expect(found[0]).toEqual(typeof message === "string" ? message : expect.stringMatching(message));
  });
});
