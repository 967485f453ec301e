/**
 * Authentication as the agent sees it: the sample agent verifies the bearer token or the HMAC signature with the
 * documented recipe; a wrong secret, a replayed call and a stale timestamp are refused; no secret reaches the
 * service's logs or answers.
 */
import { createHmac } from "node:crypto";
import { signatureHeaders } from "../../service/src/upstream/client";
import { verifySignature } from "../fixtures/upstreamAgent";
import { texts, turnBody } from "../service/harness";
import { atOrdersAgent, DIRECT_BOT, DIRECT_TOKEN, ORDERS_SECRET, startUpstreamSetup, type UpstreamSetup } from "./harness";

describe("the agents' checks with the right secrets", () => {
  let setup: UpstreamSetup;
  beforeAll(async () => {
    setup = await startUpstreamSetup();
  });
  afterAll(() => setup.close());

  test("HMAC: timestamp and v1 signature of timestamp.body, verified by the agent; no bearer token sent", async () => {
    const before = Math.floor(Date.now() / 1000);
    await atOrdersAgent(setup.svc);
    const after = Math.floor(Date.now() / 1000);
    const call = setup.orders.calls[0]!;
    expect(call.refused).toBeUndefined();
    expect(call.headers["x-va-timestamp"]).toMatch(/^\d{10}$/);
    // The time of signing, in seconds: between the test's readings of the clock around the call.
    expect(Number(call.headers["x-va-timestamp"])).toBeGreaterThanOrEqual(before);
    expect(Number(call.headers["x-va-timestamp"])).toBeLessThanOrEqual(after);
    expect(call.headers["x-va-signature"]).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(call.headers.authorization).toBeUndefined();
  });

  test("bearer: the token in the Authorization header, no signature", async () => {
    await setup.svc.post(turnBody({ ...DIRECT_BOT, inputMessage: { type: "Text", text: "hi" } }));
    const call = setup.direct.calls[0]!;
    expect(call.refused).toBeUndefined();
    expect(call.headers.authorization).toBe(`Bearer ${DIRECT_TOKEN}`);
    expect(call.headers["x-va-signature"]).toBeUndefined();
  });

  test("a replayed call (same timestamp, body and signature) is refused by the agent", async () => {
    const { chat } = await atOrdersAgent(setup.svc);
    await chat.say("A-22222");
    const original = setup.orders.accepted.at(-1)!;
    const body = JSON.stringify(original.body);
    const replay = await fetch(setup.orders.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-va-timestamp": String(original.headers["x-va-timestamp"]),
        "x-va-signature": String(original.headers["x-va-signature"]),
        "idempotency-key": String(original.headers["idempotency-key"]),
      },
      body,
    });
    expect(replay.status).toBe(401);
    expect(setup.orders.calls.at(-1)!.refused).toBe("replayed");
  });

  test("the documented recipe: the signature the service sends verifies, and one changed byte does not", () => {
    const body = JSON.stringify({ hello: "wörld" });
    const headers = signatureHeaders(ORDERS_SECRET, body, 1_700_000_000);
    const expected = createHmac("sha256", ORDERS_SECRET).update(`1700000000.${body}`).digest("hex");
    expect(headers).toEqual({ "x-va-timestamp": "1700000000", "x-va-signature": `v1=${expected}` });
    expect(verifySignature(ORDERS_SECRET, headers, body, 1_700_000_100)).toBeUndefined();
    expect(verifySignature(ORDERS_SECRET, headers, body.replace("ö", "o"), 1_700_000_100)).toBe("bad signature");
    expect(verifySignature("another-secret-0123456789", headers, body, 1_700_000_100)).toBe("bad signature");
    expect(verifySignature(ORDERS_SECRET, headers, body, 1_700_000_000 + 301)).toBe("stale timestamp");
  });

  test("a call signed outside the agent's 5-minute window is refused", async () => {
    setup.orders.clockOffsetSeconds = 600;
    const { greeting } = await atOrdersAgent(setup.svc);
    setup.orders.clockOffsetSeconds = 0;
    expect(setup.orders.calls.at(-1)!.refused).toBe("stale timestamp");
    // The orders node's onFailure path answers.
    expect(greeting).toMatchObject({ botState: "Complete", intent: "AgentRequested" });
  });

  test("no secret appears in the logs", () => {
    const logs = setup.svc.logs.raw.join("\n");
    expect(logs).not.toContain(ORDERS_SECRET);
    expect(logs).not.toContain(DIRECT_TOKEN);
  });
});

describe("the wrong secrets", () => {
  let setup: UpstreamSetup;
  beforeAll(async () => {
    setup = await startUpstreamSetup({ ORDERS_AGENT_SECRET: "not-the-agents-secret-0123456789", DIRECT_AGENT_TOKEN: "not-the-agents-token-0123456789" });
  });
  afterAll(() => setup.close());

  test("a wrong HMAC secret: the agent refuses the signature (401) and the node's onFailure path answers", async () => {
    const { greeting } = await atOrdersAgent(setup.svc);
    expect(setup.orders.calls[0]!.refused).toBe("bad signature");
    expect(setup.orders.accepted).toHaveLength(0);
    expect(greeting).toMatchObject({ botState: "Complete", intent: "AgentRequested" });
    expect(texts(greeting)).toEqual(["Our order desk is busy. Let me get you to a colleague."]);
  });

  test("a wrong bearer token: refused (401), not retried; Failed UPSTREAM_ERROR", async () => {
    const res = await setup.svc.post(turnBody({ ...DIRECT_BOT, inputMessage: { type: "Text", text: "hi" } }));
    expect(res.body).toMatchObject({ botState: "Failed", errorInfo: { errorCode: "UPSTREAM_ERROR", errorMessage: 'upstream "assistant" answered 401' } });
    expect(setup.direct.calls).toHaveLength(1);
    expect(setup.direct.calls[0]!.refused).toBe("bad token");
    expect(JSON.stringify(res.body)).not.toContain("not-the-agents-token");
  });
});
