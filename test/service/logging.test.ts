import { bindLogger, createLogger } from "../../service/src/observability/logger";
import { FaultyStore } from "./faultyStore";
import { Conversation, LogCapture, startService, TOKEN, turnBody, type TestService } from "./harness";

const SECRET_TEXT = "my card number is 4111 1111 1111 1111";

describe("logs", () => {
  let svc: TestService;
  const store = new FaultyStore();
  beforeAll(async () => {
    svc = await startService({}, { store });
  });
  afterAll(() => svc.close());

  test("every line of a turn carries the conversation, session, correlation, bot and version", async () => {
    const c = new Conversation(svc);
    await svc.post(turnBody({ botSessionId: c.sessionId }), { "inin-correlation-id": "corr-log-1" });
    store.down = true;
    await svc.post(turnBody({ botSessionId: c.sessionId }), { "inin-correlation-id": "corr-log-2" });
    store.down = false;
    const lines = svc.logs.lines.filter((l) => l.correlationId === "corr-log-1" || l.correlationId === "corr-log-2");
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(["turn", "session store load failed"]));
    for (const line of lines) {
      expect(line).toMatchObject({
        genesysConversationId: "7c1e5d90-3a44-4b7f-8f0e-2d6a9b8c4e21",
        botSessionId: c.sessionId,
        botId: "acme-support",
        botVersion: "1.0",
      });
    }
    const turn = lines.find((l) => l.msg === "turn" && l.correlationId === "corr-log-1");
    expect(turn).toMatchObject({ outcome: "MoreData", event: "started", botState: "MoreData", turn: 1 });
    expect(typeof turn?.latencyMs).toBe("number");
  });

  test("customer text and the token never appear unless text logging is enabled", async () => {
    const c = new Conversation(svc);
    await c.say("");
    await c.say(SECRET_TEXT);
    const all = svc.logs.raw.join("\n");
    expect(all).not.toContain("4111");
    expect(all).not.toContain(TOKEN);
  });
});

describe("logs with LOG_CUSTOMER_TEXT", () => {
  test("include what the customer wrote", async () => {
    const svc = await startService({ LOG_CUSTOMER_TEXT: "true" });
    try {
      const c = new Conversation(svc);
      await c.say("");
      await c.say("track my parcel");
      expect(svc.logs.lines.some((l) => l.customerText === "track my parcel")).toBe(true);
      expect(svc.logs.raw.join("\n")).not.toContain(TOKEN);
    } finally {
      await svc.close();
    }
  });
});

describe("the per-turn summary line", () => {
  test("has the shape of the logger's own lines: level label, ISO time, service, bindings, message", () => {
    const capture = new LogCapture();
    const logger = createLogger("info", capture);
    const log = bindLogger(logger, { botSessionId: "s-1" });
    log.info({ a: 1 }, "ordinary");
    log.summary({ outcome: "MoreData", intent: undefined, text: 'quote " and \\ backslash' }, "turn");
    const [ordinary, summary] = capture.lines;
    expect(Object.keys(summary ?? {}).slice(0, 3)).toEqual(Object.keys(ordinary ?? {}).slice(0, 3));
    expect(summary).toMatchObject({ level: "info", service: "botconnector", botSessionId: "s-1", outcome: "MoreData", text: 'quote " and \\ backslash', msg: "turn" });
    expect(ordinary).toMatchObject({ level: "info", service: "botconnector", botSessionId: "s-1", a: 1, msg: "ordinary" });
    expect(Date.parse(summary?.time as string)).not.toBeNaN();
    expect(summary).not.toHaveProperty("intent");
  });

  test("is dropped below the logger's level", () => {
    const capture = new LogCapture();
    bindLogger(createLogger("warn", capture), {}).summary({ outcome: "MoreData" }, "turn");
    expect(capture.lines).toEqual([]);
  });
});
