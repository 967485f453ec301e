/**
 * The service with the upstream fixture bots (test/fixtures/bots) and two sample agents: "orders" (HMAC, behind
 * the bot's own menu, with an onFailure node) and "assistant" (bearer, the whole conversation, no onFailure).
 */
import path from "node:path";
import { SampleUpstreamAgent } from "../fixtures/upstreamAgent";
import { Conversation, startService, type TestService } from "../service/harness";
import { type ServiceOverrides } from "../../service/src/app";

export const UPSTREAM_BOTS = path.join(__dirname, "..", "fixtures", "bots");
export const ORDERS_SECRET = "orders-agent-hmac-secret-0123456789";
export const DIRECT_TOKEN = "direct-agent-bearer-token-0123456789";

export const ORDERS_BOT = { botId: "Acme Orders", botVersion: "1.0", chatBot: { id: "acme-orders", name: "Acme Orders" } };
export const DIRECT_BOT = { botId: "Acme Direct", botVersion: "1.0", chatBot: { id: "acme-direct", name: "Acme Direct" } };

export interface UpstreamSetup {
  svc: TestService;
  orders: SampleUpstreamAgent;
  direct: SampleUpstreamAgent;
  close(): Promise<void>;
}

export async function startUpstreamSetup(env: Record<string, string> = {}, overrides: ServiceOverrides = {}): Promise<UpstreamSetup> {
  const orders = await SampleUpstreamAgent.start({ type: "hmac", secret: ORDERS_SECRET });
  const direct = await SampleUpstreamAgent.start({ type: "bearer", token: DIRECT_TOKEN });
  const svc = await startService(
    {
      BOTS_DIR: UPSTREAM_BOTS,
      ORDERS_AGENT_URL: orders.url,
      ORDERS_AGENT_SECRET: ORDERS_SECRET,
      DIRECT_AGENT_URL: direct.url,
      DIRECT_AGENT_TOKEN: DIRECT_TOKEN,
      ...env,
    },
    overrides,
  );
  return {
    svc,
    orders,
    direct,
    async close() {
      await svc.close();
      await orders.close();
      await direct.close();
    },
  };
}

/** A conversation with the orders bot that has reached its agent (the agent greeted the customer). */
export async function atOrdersAgent(svc: TestService, extra: Record<string, unknown> = {}): Promise<{ chat: Conversation; greeting: Record<string, unknown> }> {
  const chat = new Conversation(svc, { ...ORDERS_BOT, ...extra });
  await chat.say("");
  const greeting = await chat.say("track");
  return { chat, greeting };
}

export async function metricsText(svc: TestService): Promise<string> {
  return (await fetch(svc.url + "/metrics")).text();
}
