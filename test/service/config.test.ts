import path from "node:path";
import { ConfigError, loadConfig } from "../../service/src/config";

const TOKEN = "a-long-enough-token-123456";

describe("service configuration", () => {
  test("defaults from the architecture contract", () => {
    const c = loadConfig({ VERIFY_TOKEN: TOKEN }, "/repo");
    expect(c).toMatchObject({
      port: 8080,
      logLevel: "info",
      verifyTokens: [TOKEN],
      verifyTokenHeader: "verify-token",
      botsDir: path.join("/repo", "service", "bots"),
      sessionStore: "memory",
      turnBudgetMs: 5000,
      logCustomerText: false,
      localMode: false,
      generatedToken: false,
    });
  });

  test("several tokens during a rotation; the header name is lower-cased", () => {
    const c = loadConfig({ VERIFY_TOKEN: ` ${TOKEN} , second-token-abcdefghijk,`, VERIFY_TOKEN_HEADER: "X-Verify-Token" });
    expect(c.verifyTokens).toEqual([TOKEN, "second-token-abcdefghijk"]);
    expect(c.verifyTokenHeader).toBe("x-verify-token");
  });

  test("refuses to start without VERIFY_TOKEN, and says why", () => {
    expect(() => loadConfig({})).toThrow(ConfigError);
    expect(() => loadConfig({})).toThrow(/VERIFY_TOKEN is not set/);
  });

  test("local mode generates a token of its own", () => {
    const a = loadConfig({ LOCAL_MODE: "true" });
    const b = loadConfig({ LOCAL_MODE: "1" });
    expect(a.generatedToken).toBe(true);
    expect(a.verifyTokens[0]).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(a.verifyTokens[0]).not.toBe(b.verifyTokens[0]);
  });

  test("lists every problem at once, never echoing a token", () => {
    let error: ConfigError | undefined;
    try {
      loadConfig({ VERIFY_TOKEN: "short", PORT: "http", TURN_BUDGET_MS: "10", SESSION_STORE: "redis", LOG_LEVEL: "loud", VERIFY_TOKEN_HEADER: "bad header" });
    } catch (err) {
      error = err as ConfigError;
    }
    expect(error?.problems).toEqual([
      "VERIFY_TOKEN: token #1 is shorter than 16 characters; use a long random token",
      'VERIFY_TOKEN_HEADER "bad header" is not a valid HTTP header name',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "loud"',
      'SESSION_STORE must be "memory" or "dynamodb", got "redis"',
      'PORT must be an integer from 0 to 65535, got "http"',
      'TURN_BUDGET_MS must be an integer from 100 to 60000, got "10"',
    ]);
    expect(error?.message).not.toContain("short,");
  });

  test("the DynamoDB store needs a table", () => {
    expect(() => loadConfig({ VERIFY_TOKEN: TOKEN, SESSION_STORE: "dynamodb" })).toThrow(/SESSION_TABLE must name the DynamoDB table/);
    expect(loadConfig({ VERIFY_TOKEN: TOKEN, SESSION_STORE: "DynamoDB", SESSION_TABLE: "sessions" })).toMatchObject({ sessionStore: "dynamodb", sessionTable: "sessions" });
  });
});
