/**
 * Agents' URLs and secrets come from the environment, checked when the service starts: a missing or unusable
 * variable stops the start with every problem named (never a secret's value); bots without agents need nothing.
 */
import pino from "pino";
import { createService } from "../../service/src/app";
import { ConfigError, loadConfig } from "../../service/src/config";
import { resolveUpstreams, UPSTREAM_DEFAULTS } from "../../service/src/upstream/endpoints";
import { loadBotDefinitions } from "../../service/src/bots/load";
import { SAMPLE_BOTS, TOKEN } from "../service/harness";
import { DIRECT_TOKEN, ORDERS_SECRET, UPSTREAM_BOTS } from "./harness";

const definitions = loadBotDefinitions(UPSTREAM_BOTS).map((b) => b.definition);
const GOOD_ENV = {
  ORDERS_AGENT_URL: "https://orders.internal.example.com/bot",
  ORDERS_AGENT_SECRET: ORDERS_SECRET,
  DIRECT_AGENT_URL: "http://127.0.0.1:9/agent",
  DIRECT_AGENT_TOKEN: DIRECT_TOKEN,
};

function startWith(env: Record<string, string>) {
  const config = loadConfig({ VERIFY_TOKEN: TOKEN, BOTS_DIR: UPSTREAM_BOTS, ...env });
  return createService(config, { logger: pino({ level: "silent" }) });
}

describe("upstream agents from the environment", () => {
  test("resolved per bot version and agent, with the documented defaults", () => {
    const { endpoints, problems } = resolveUpstreams(definitions, GOOD_ENV);
    expect(problems).toEqual([]);
    const direct = [...endpoints.values()].find((e) => e.key === "acme-direct/assistant")!;
    expect(direct).toMatchObject({ name: "assistant", timeoutMs: 5000, maxAttempts: UPSTREAM_DEFAULTS.maxAttempts, openMs: UPSTREAM_DEFAULTS.openSeconds * 1000 });
    expect(direct.auth).toEqual({ type: "bearer", token: DIRECT_TOKEN });
    const orders = [...endpoints.values()].find((e) => e.key === "acme-orders/orders")!;
    expect(orders).toMatchObject({ timeoutMs: 2000, maxAttempts: 2, failureThreshold: 3, openMs: 1000, auth: { type: "hmac", secret: ORDERS_SECRET } });
    expect(orders.url.href).toBe("https://orders.internal.example.com/bot");
  });

  test("the service refuses to start without them, naming every variable, bot and agent", () => {
    let error: ConfigError | undefined;
    try {
      startWith({});
    } catch (err) {
      error = err as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.problems).toEqual([
      'DIRECT_AGENT_URL is not set: it holds the URL of bot "acme-direct" version "1.0", upstream "assistant"',
      'DIRECT_AGENT_TOKEN is not set: it holds the bearer token of bot "acme-direct" version "1.0", upstream "assistant"',
      'ORDERS_AGENT_URL is not set: it holds the URL of bot "acme-orders" version "1.0", upstream "orders"',
      'ORDERS_AGENT_SECRET is not set: it holds the HMAC secret of bot "acme-orders" version "1.0", upstream "orders"',
    ]);
  });

  test.each([
    ["plain http to another host", { ORDERS_AGENT_URL: "http://orders.example.com/bot" }, /ORDERS_AGENT_URL must be an https URL \(plain http only to a loopback host\), got http:\/\/orders.example.com/],
    ["not a URL", { ORDERS_AGENT_URL: "orders agent" }, /ORDERS_AGENT_URL is not a URL/],
    ["credentials in the URL", { ORDERS_AGENT_URL: "https://user:pass@orders.example.com/" }, /ORDERS_AGENT_URL must not carry credentials/],
    ["a short secret", { ORDERS_AGENT_SECRET: "tiny" }, /ORDERS_AGENT_SECRET is shorter than 16 characters/],
  ])("refuses %s", (_name, patch, problem) => {
    let error: ConfigError | undefined;
    try {
      startWith({ ...GOOD_ENV, ...patch });
    } catch (err) {
      error = err as ConfigError;
    }
    expect(error?.message).toMatch(problem);
    expect(error?.message).not.toContain("tiny");
    expect(error?.message).not.toContain("pass@");
  });

  test("bots without agents need no agent environment: the sample bots start as before", async () => {
    const service = createService(loadConfig({ VERIFY_TOKEN: TOKEN, BOTS_DIR: SAMPLE_BOTS }), { logger: pino({ level: "silent" }) });
    expect(service.upstreams).toBeUndefined();
    await service.close();
  });

  test("with the environment set, the service starts with a client for the agents", async () => {
    const service = startWith(GOOD_ENV);
    expect(service.upstreams?.circuitState("acme-orders/orders")).toBe("closed");
    expect(service.upstreams?.circuitState("acme-direct/assistant")).toBe("closed");
    await service.close();
  });
});
