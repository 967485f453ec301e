/**
 * Bounded sessions (docs/robustness.md): what a session keeps of the request's parameters is capped by count,
 * name and value length; the whole record by SESSION_MAX_BYTES, where the oldest transcript entries give way
 * first and otherwise the turn is answered Failed SESSION_TOO_LARGE with the session left where it was. Every
 * limit reached is counted, and logged once per session; the conversation never loses its position.
 */
import { createServer } from "node:net";
import { Conversation, startService, texts, type TestService } from "../service/harness";

async function limitCount(svc: TestService, limit: string): Promise<number> {
  const text = await (await fetch(`${svc.url}/metrics`)).text();
  return Number(new RegExp(`botconnector_limits_reached_total\\{limit="${limit}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
}

function limitLines(svc: TestService, sessionId: string) {
  return svc.logs.lines.filter((l) => l.botSessionId === sessionId && Array.isArray(l.limits));
}

function params(prefix: string, count: number, value = "v"): Record<string, string> {
  return Object.fromEntries(Array.from({ length: count }, (_, i) => [`${prefix}${i}`, value]));
}

describe("parameters a session keeps", () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startService({ SESSION_MAX_PARAMETERS: "20", SESSION_PARAMETER_MAX_CHARS: "100" });
  });
  afterAll(() => svc.close());

  test("300 new names over 30 turns: the first 20 are kept (and still update), the rest dropped; position kept; counted; logged once", async () => {
    const c = new Conversation(svc);
    const counted = await limitCount(svc, "session_parameters");
    await c.say("", { parameters: params("p", 10) });
    for (let turn = 1; turn < 30; turn++) {
      // An empty message at a question re-asks it: the conversation stays at the menu whatever the parameters do.
      const answer = await c.say("", { parameters: { ...params(`t${turn}-`, 10), p0: `updated-${turn}` } });
      expect(answer.botState).toBe("MoreData");
    }
    const stored = await svc.service.store.load(c.sessionId);
    expect(Object.keys(stored!.state.params)).toEqual([...Object.keys(params("p", 10)), ...Object.keys(params("t1-", 10))]);
    expect(stored!.state.params.p0).toBe("updated-29");
    expect(stored!.state.awaiting).toEqual({ node: "menu", attempts: 0 });
    // Turns 2 to 29 each dropped new names.
    expect(await limitCount(svc, "session_parameters")).toBe(counted + 28);
    expect(limitLines(svc, c.sessionId)).toEqual([expect.objectContaining({ level: 40, limits: ["session_parameters"] })]);
    // The conversation goes on.
    expect(texts(await c.say("track"))[0]).toMatch(/order number/);
  });

  test("a value longer than the limit and an overlong name are dropped, not cut; the others kept", async () => {
    const c = new Conversation(svc);
    const long = await limitCount(svc, "session_parameter_chars");
    const named = await limitCount(svc, "session_parameter_name");
    await c.say("", { parameters: { customerName: "Ada", note: "x".repeat(101), ["n".repeat(129)]: "v" } });
    expect((await svc.service.store.load(c.sessionId))?.state.params).toEqual({ customerName: "Ada" });
    expect(await limitCount(svc, "session_parameter_chars")).toBe(long + 1);
    expect(await limitCount(svc, "session_parameter_name")).toBe(named + 1);
  });
});

describe("the size of the whole session (SESSION_MAX_BYTES)", () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startService({ SESSION_MAX_BYTES: "8192", SESSION_PARAMETER_MAX_CHARS: "4000" });
  });
  afterAll(() => svc.close());

  test("a turn that would make it too large: Failed SESSION_TOO_LARGE, nothing saved, the next turn goes on from where it was", async () => {
    const c = new Conversation(svc);
    await c.say("");
    const before = await svc.service.store.load(c.sessionId);
    const counted = await limitCount(svc, "session_bytes");
    const big = await c.say("track", { parameters: params("big", 3, "b".repeat(4000)) });
    expect(big).toMatchObject({ botState: "Failed", errorInfo: { errorCode: "SESSION_TOO_LARGE" } });
    expect(await svc.service.store.load(c.sessionId)).toEqual(before);
    expect(await limitCount(svc, "session_bytes")).toBe(counted + 1);
    expect(texts(await c.say("track"))[0]).toMatch(/order number/);
  });
});

describe("with a transcript kept for hand-over context", () => {
  let svc: TestService;
  beforeAll(async () => {
    // Nothing listens there: hand-over writes fail after the answer, which changes no answer.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const unused = `http://127.0.0.1:${(probe.address() as { port: number }).port}`;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    svc = await startService({
      SESSION_MAX_BYTES: "8192",
      HANDOVER_CONTEXT: "participant-data",
      GENESYS_CLIENT_ID: "client",
      GENESYS_CLIENT_SECRET: "secret-0123456789",
      GENESYS_API_BASE_URL: unused,
      GENESYS_LOGIN_BASE_URL: unused,
      HANDOVER_CONTEXT_TURNS: "100",
      HANDOVER_CONTEXT_TEXT_CHARS: "4000",
    });
  });
  afterAll(() => svc.close());

  test("the oldest transcript entries give way; the turn is answered and saved; counted; logged once", async () => {
    const c = new Conversation(svc);
    const counted = await limitCount(svc, "session_transcript");
    await c.say("");
    await c.say("x".repeat(3900));
    const answer = await c.say("y".repeat(3900));
    expect(answer.botState).toBe("MoreData");
    const stored = await svc.service.store.load(c.sessionId);
    expect(stored!.state.awaiting).toEqual({ node: "menu", attempts: 2 });
    const kept = stored!.state.transcript!.map((e) => e.customer.slice(0, 1));
    expect(kept.at(-1)).toBe("y");
    expect(kept.length).toBeLessThan(3);
    expect(await limitCount(svc, "session_transcript")).toBe(counted + 1);
    await c.say("z".repeat(3900));
    expect(limitLines(svc, c.sessionId)).toHaveLength(1);
  });
});
