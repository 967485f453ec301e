import { buttonInput, Conversation, startService, TOKEN, turnBody, type TestService } from "./harness";

/** The request variants Genesys (and its observed quirks) produce, and the reply's wire format. */
describe("Bot Connector protocol", () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startService();
  });
  afterAll(() => svc.close());

  test("the bot's name in botId with its id in chatBot.id", async () => {
    const res = await svc.post(turnBody({ botId: "Acme Support", chatBot: { id: "acme-support", name: "Acme Support" } }));
    expect(res.status).toBe(200);
    expect(res.body.botState).toBe("MoreData");
  });

  test("the id in botId, no chatBot; the name in any case", async () => {
    for (const botId of ["acme-support", "ACME SUPPORT"]) {
      const body = turnBody({ botId });
      delete body.chatBot;
      const res = await svc.post(body);
      expect(res.status).toBe(200);
      expect(res.body.botState).toBe("MoreData");
    }
  });

  test("only the required fields; the rest defaults", async () => {
    const res = await svc.post({ botId: "Acme Support", botVersion: "1.0", botSessionId: "minimal-1", inputMessage: { type: "Text" } });
    expect(res.status).toBe(200);
    expect(res.body.botState).toBe("MoreData");
  });

  test("upper-case enum values and unknown extra fields are accepted", async () => {
    const c = new Conversation(svc);
    await c.say("");
    const res = await svc.post(
      turnBody({
        botSessionId: c.sessionId,
        messageId: "m-1",
        somethingNew: { nested: true },
        inputMessage: {
          type: "STRUCTURED",
          text: "Return an item",
          content: [{ contentType: "BUTTONRESPONSE", buttonResponse: { type: "QUICKREPLY", text: "Return an item", payload: "menu#return" } }],
          extra: 1,
        },
      }),
    );
    expect(res.status).toBe(200);
    expect(res.body.replymessages).toEqual([{ type: "Text", text: "Which order is the return for? The number looks like A-12345." }]);
  });

  test("a ButtonResponse without payload uses its text", async () => {
    const c = new Conversation(svc);
    await c.say("");
    const res = await c.send({ type: "Structured", text: "", content: [{ contentType: "ButtonResponse", buttonResponse: { type: "QuickReply", text: "Track an order" } }] });
    expect(res.replymessages).toEqual([{ type: "Text", text: "What's your order number? It looks like A-12345." }]);
  });

  test("a Structured message without a ButtonResponse is read as text", async () => {
    const c = new Conversation(svc);
    await c.say("");
    const res = await c.send({ type: "Structured", text: "track", content: [{ contentType: "Attachment" }] });
    expect(res.replymessages).toEqual([{ type: "Text", text: "What's your order number? It looks like A-12345." }]);
  });

  test("replies use replymessages, canonical botState, no intent on MoreData, string parameters only", async () => {
    const c = new Conversation(svc);
    const first = await c.say("");
    expect(Object.keys(first).sort()).toEqual(["botState", "replymessages"]);
    const menuPayloads = await c.say("agent");
    expect(menuPayloads.botState).toBe("Complete");
    expect(menuPayloads).not.toHaveProperty("replyMessages");
    for (const v of Object.values(menuPayloads.parameters as Record<string, unknown>)) expect(typeof v).toBe("string");
    expect(typeof menuPayloads.confidence).toBe("number");
  });

  test("Architect session variables of the first turn are kept for later turns and may be updated", async () => {
    const c = new Conversation(svc, { parameters: { customerName: "Ada", customerTier: "platinum" } });
    expect((await c.say("")).replymessages).toHaveLength(3);
    const later = await svc.post(turnBody({ botSessionId: c.sessionId, inputMessage: { type: "Text", text: "banana" } }));
    expect(later.status).toBe(200);
    expect((await svc.service.store.load(c.sessionId))?.state.params).toEqual({ customerName: "Ada", customerTier: "platinum" });
    await svc.post(turnBody({ botSessionId: c.sessionId, parameters: { customerTier: "gold" }, inputMessage: { type: "Text", text: "kiwi" } }));
    expect((await svc.service.store.load(c.sessionId))?.state.params).toEqual({ customerName: "Ada", customerTier: "gold" });
  });

  test("a retried request (same inin-correlation-id and input) gets the same answer without a second step", async () => {
    const c = new Conversation(svc);
    await c.say("");
    const body = turnBody({ botSessionId: c.sessionId, inputMessage: { type: "Text", text: "banana" } });
    const headers = { "inin-correlation-id": "corr-retry-1" };
    const a = await svc.post(body, headers);
    const b = await svc.post(body, headers);
    expect(b.body).toEqual(a.body);
    // Two misses would have been counted without the replay; one more miss does not fail the session yet.
    const third = await svc.post({ ...body, inputMessage: { type: "Text", text: "kiwi" } }, { "inin-correlation-id": "corr-retry-2" });
    expect(third.body.botState).toBe("MoreData");
  });

  test("the same text with a new correlation id is a new turn", async () => {
    const c = new Conversation(svc);
    await c.say("");
    const body = turnBody({ botSessionId: c.sessionId, inputMessage: { type: "Text", text: "banana" } });
    await svc.post(body, { "inin-correlation-id": "x-1" });
    await svc.post(body, { "inin-correlation-id": "x-2" });
    const third = await svc.post(body, { "inin-correlation-id": "x-3" });
    expect(third.body).toMatchObject({ botState: "Complete", intent: "Handover" });
  });

  test("an unknown bot or version is a Failed turn with errorInfo, never a 5xx", async () => {
    const unknownBot = await svc.post(turnBody({ botId: "Nobody", chatBot: { id: "nobody", name: "Nobody" } }));
    expect(unknownBot.status).toBe(200);
    expect(unknownBot.body).toMatchObject({ botState: "Failed", errorInfo: { errorCode: "UNKNOWN_BOT" } });
    const unknownVersion = await svc.post(turnBody({ botVersion: "9.9" }));
    expect(unknownVersion.status).toBe(200);
    expect(unknownVersion.body).toMatchObject({ botState: "Failed", errorInfo: { errorCode: "UNKNOWN_BOT_VERSION" } });
    expect((unknownVersion.body.errorInfo as { errorMessage: string }).errorMessage).toMatch(/no version "9\.9".*1\.0/);
  });

  test("a click on a button of a finished session starts a new conversation instead of failing", async () => {
    const c = new Conversation(svc);
    await c.say("");
    await c.say("agent");
    const again = await c.send(buttonInput("Track an order", "menu#order"));
    expect(again.botState).toBe("MoreData");
  });

  test("health, readiness and metrics", async () => {
    expect(await (await fetch(svc.url + "/healthz")).json()).toEqual({ status: "ok" });
    const ready = await fetch(svc.url + "/readyz");
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready", bots: 1, sessionStore: "memory" });
    const metrics = await (await fetch(svc.url + "/metrics")).text();
    expect(metrics).toMatch(/botconnector_turns_total\{bot="acme-support",version="1.0",outcome="MoreData"\} \d+/);
    expect(metrics).toMatch(/botconnector_turns_total\{bot="unknown",version="unknown",outcome="unknown_bot"\} 2/);
    expect(metrics).toMatch(/botconnector_turn_duration_seconds_bucket\{le="0.005",bot="acme-support",outcome="MoreData"\}/);
    expect(metrics).toContain("process_cpu_user_seconds_total");
    expect(metrics).not.toContain(TOKEN);
  });
});
