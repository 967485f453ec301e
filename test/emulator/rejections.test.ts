import { createServer } from "node:net";
import { type ResponseRule } from "../../emulator/botConnector/rules";
import { type EmulatorEvent } from "../../emulator/events";
import { Chat, flowEvents, request, shown, startEmulator, startFakeBot, type FakeBot, type RunningEmulator } from "./harness";

const APOLOGY = "Sorry, I'm having a technical problem. Let me get you to a colleague.";
const QUEUE = "Acme Virtual Agent DEV Hand-over";

const text = (t: string) => ({ type: "Text", text: t });
const card = (title: string, actions: Array<Record<string, string>>) => ({ title, actions });
const postback = (t: string, payload: string) => ({ type: "Postback", text: t, payload });
const structured = (...content: unknown[]) => ({ type: "Structured", content });

/** The emulator against a deliberately misbehaving bot: whatever Genesys would reject takes the failure path. */
describe("emulator × misbehaving bot", () => {
  let bot: FakeBot;
  let emu: RunningEmulator;

  beforeAll(async () => {
    bot = await startFakeBot();
    emu = await startEmulator({ url: bot.url, credentials: { "x-api-key": "fake-bot-key-0123456789" } }, { botResponseTimeoutMs: 400, followUpTimeoutMs: 200 });
  });
  afterAll(async () => {
    await emu?.close();
    await bot?.close();
  });

  /** The conversation's failure, after checking that the failure path ran: the apology, then the transfer. */
  async function failedWith(body: unknown) {
    bot.answer({ body });
    const chat = await Chat.start(emu.url);
    expect(chat.status).toBe("ended");
    const failures = chat.flow("failure");
    expect(failures).toHaveLength(1);
    expect(shown(chat.events)).toEqual([APOLOGY]);
    expect(chat.flow("transfer")).toEqual([expect.objectContaining({ action: "Transfer to ACD (failure)", queue: QUEUE })]);
    return { chat, failure: failures[0] as NonNullable<(typeof failures)[0]> };
  }

  const invalid: Array<[string, unknown, ResponseRule, string]> = [
    ["an unknown botState", { botState: "Thinking", replymessages: [text("hi")] }, "botState", "botState"],
    ["no botState at all", { replymessages: [text("hi")] }, "shape", "botState"],
    ["Complete without an intent", { botState: "Complete", replymessages: [text("done")] }, "completeIntent", "intent"],
    ["Complete with an intent not in the bot list", { botState: "Complete", intent: "Refund", replymessages: [text("done")] }, "completeIntent", "intent"],
    ["a slot the intent does not declare", { botState: "Complete", intent: "OrderStatus", slotValues: { orderNumber: "A-1", trackingUrl: "https://x" } }, "slots", "slotValues.trackingUrl"],
    ["slots for an intent without slots", { botState: "Complete", intent: "Goodbye", slotValues: { mood: "happy" } }, "slots", "slotValues.mood"],
    ["a slot value that is not of the slot's type", { botState: "Complete", intent: "ReturnCreated", slotValues: { itemCount: "two" } }, "slotValue", "slotValues.itemCount"],
    ["a Datetime slot that is no date", { botState: "Complete", intent: "ReturnCreated", slotValues: { pickupDate: "2026-02-30" } }, "slotValue", "slotValues.pickupDate"],
    ["non-string parameters", { botState: "Complete", intent: "Goodbye", parameters: { lastTopic: 5 } }, "parameters", "parameters.lastTopic"],
    [
      "a carousel of 11 cards",
      { botState: "MoreData", replymessages: [structured({ contentType: "Carousel", carousel: { cards: Array.from({ length: 11 }, (_, i) => card(`Card ${i}`, [postback("Pick", `p${i}`)])) } })] },
      "carouselCards",
      "replymessages[0].content[0].carousel.cards",
    ],
    [
      "a carousel with repeated payloads",
      { botState: "MoreData", replymessages: [structured({ contentType: "Carousel", carousel: { cards: [card("A", [postback("Pick A", "same")]), card("B", [postback("Pick B", "same")])] } })] },
      "carouselPayloads",
      "replymessages[0].content[0].carousel.cards[1].actions[0]",
    ],
    [
      "a card with the same button twice",
      { botState: "MoreData", replymessages: [structured({ contentType: "Card", card: card("A", [postback("Go", "go"), postback("Go", "go")]) })] },
      "cardButtons",
      "replymessages[0].content[0].card.actions[1]",
    ],
    ["a quick reply without payload", { botState: "MoreData", replymessages: [structured({ contentType: "QuickReply", quickReply: { text: "Yes" } })] }, "shape", "replymessages[0].content[0].quickReply.payload"],
    ["a content type Bot Connector does not document", { botState: "MoreData", replymessages: [structured({ contentType: "DatePicker", datePicker: {} })] }, "shape", "replymessages[0].content[0].contentType"],
    ["a Structured message without content", { botState: "MoreData", replymessages: [{ type: "Structured", text: "Pick one" }] }, "shape", "replymessages[0].content"],
    ["a link button without url", { botState: "MoreData", replymessages: [structured({ contentType: "Card", card: card("A", [{ type: "Link", text: "Open" }]) })] }, "shape", "replymessages[0].content[0].card.actions[0].url"],
    ["a body that is a list", [{ botState: "MoreData" }], "json", "(body)"],
  ];

  test.each(invalid.map(([name, body, rule, path]) => ({ name, body, rule, path })))("rejects $name (rule $rule) and takes the failure path", async ({ body, rule, path }) => {
    const { failure } = await failedWith(body);
    expect(failure.errorType).toBe("ServiceProviderInvalidResponse");
    expect(failure.problems).toContainEqual(expect.objectContaining({ rule, path, source: expect.stringMatching(/^genesys-bot-connector\.md#/) }));
    expect(failure.errorMessage).toContain(path);
  });

  test("the same intent with unchanged slots more than three times in a row fails the session (v1 loop guard)", async () => {
    bot.answer({ body: { botState: "MoreData", intent: "OrderStatus", slotValues: { orderNumber: "A-1" }, replymessages: [text("Tell me more")] } });
    const chat = await Chat.start(emu.url);
    await chat.say("one");
    await chat.say("two");
    expect(chat.flow("failure")).toEqual([]);
    await chat.say("three");
    const [failure] = chat.flow("failure");
    expect(failure).toMatchObject({ errorType: "ServiceProviderInvalidResponse", errorMessage: expect.stringMatching(/^NoMatchError/) });
    expect(failure?.problems?.[0]?.rule).toBe("loopGuard");
    expect(chat.calls()).toHaveLength(4);
  });

  test("a changing slot value resets the loop guard", async () => {
    bot.answer((req) => ({ body: { botState: "MoreData", intent: "OrderStatus", slotValues: { orderNumber: (req.body.inputMessage as { text: string }).text }, replymessages: [text("ok")] } }));
    const chat = await Chat.start(emu.url);
    for (const t of ["a", "b", "c", "d"]) await chat.say(t);
    expect(chat.flow("failure")).toEqual([]);
    expect(chat.status).toBe("waiting");
  });

  test("HTTP 500 takes the failure path as ServiceProviderErrorResponse", async () => {
    bot.answer({ status: 500, body: { error: "boom" } });
    const chat = await Chat.start(emu.url);
    expect(chat.flow("failure")[0]).toMatchObject({ errorType: "ServiceProviderErrorResponse", errorMessage: expect.stringContaining("HTTP 500") });
    expect(shown(chat.events)).toEqual([APOLOGY]);
  });

  test("HTTP 403 (a wrong verify token) takes the failure path as ServiceProviderErrorResponse", async () => {
    bot.answer({ status: 403, body: { error: "forbidden" } });
    const chat = await Chat.start(emu.url);
    expect(chat.flow("failure")[0]).toMatchObject({ errorType: "ServiceProviderErrorResponse", errorMessage: expect.stringContaining("HTTP 403") });
  });

  test("no answer within the bot response timeout takes the failure path as ServiceProviderTimeout", async () => {
    bot.answer({ delayMs: 1500, body: { botState: "MoreData", replymessages: [text("too late")] } });
    const started = Date.now();
    const chat = await Chat.start(emu.url);
    expect(Date.now() - started).toBeLessThan(1400);
    expect(chat.flow("failure")[0]).toMatchObject({ errorType: "ServiceProviderTimeout", errorMessage: "no answer within 400 ms" });
    expect(shown(chat.events)).toEqual([APOLOGY]);
  });

  test("a body that is not JSON takes the failure path as ServiceProviderInvalidResponse", async () => {
    bot.answer({ raw: "<html>Bad gateway</html>" });
    const chat = await Chat.start(emu.url);
    expect(chat.flow("failure")[0]).toMatchObject({ errorType: "ServiceProviderInvalidResponse", errorMessage: expect.stringContaining("not JSON") });
  });

  test("an endpoint nobody listens on takes the failure path as ServiceProviderErrorResponse", async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, "127.0.0.1", () => {
        const { port: p } = probe.address() as { port: number };
        probe.close(() => resolve(p));
      });
    });
    const other = await startEmulator({ url: `http://127.0.0.1:${port}/botconnector/messages`, credentials: {} });
    try {
      const chat = await Chat.start(other.url);
      expect(chat.flow("failure")[0]).toMatchObject({ errorType: "ServiceProviderErrorResponse", errorMessage: expect.stringContaining("ECONNREFUSED") });
    } finally {
      await other.close();
    }
  });

  test("no customer answer within the follow-up timeout takes the failure path", async () => {
    bot.answer({ body: { botState: "MoreData", replymessages: [text("Anything else?")] } });
    const chat = await Chat.start(emu.url);
    expect(chat.status).toBe("waiting");
    await new Promise((r) => setTimeout(r, 400));
    const state = (await request(`${emu.url}/api/conversations/${chat.id}`, "GET")).body as { status: string; events: EmulatorEvent[] };
    expect(state.status).toBe("ended");
    expect(flowEvents(state.events, "failure")).toEqual([expect.objectContaining({ errorType: "FollowUpResponseTimeout" })]);
    expect(shown(state.events)).toEqual(["Anything else?", APOLOGY]);
  });

  test("accepted with warnings: upper-case botState, camel-case replyMessages; valid alternative slot encodings are bound", async () => {
    bot.answer(
      { body: { botState: "MOREDATA", replymessages: [text("Which order?")] } },
      {
        body: {
          botState: "Complete",
          intent: "ReturnCreated",
          replyMessages: [text("never shown")],
          slotValues: { itemCount: "3", refundToStoreCredit: "TRUE", pickupDate: "2026-11-25T10:00:00+02:00" },
        },
      },
    );
    const chat = await Chat.start(emu.url);
    expect(shown(chat.events)).toEqual(["Which order?"]);
    const done = await chat.say("A-1");
    const warnings = chat.events.filter((e) => e.type === "warning").map((e) => (e as { message: string }).message);
    expect(warnings).toEqual([expect.stringContaining('botState "MOREDATA"'), expect.stringContaining("replyMessages (camel case)")]);
    expect(shown(done)).toEqual([]);
    expect(chat.flow("complete")[0]?.slots).toEqual({ itemCount: 3, refundToStoreCredit: true, pickupDate: "2026-11-25T08:00:00.000Z" });
  });

  test("every credential field goes as a header of that name; the endpoint URL is used as configured", async () => {
    bot.answer({ body: { botState: "Complete", intent: "Goodbye" } });
    const before = bot.requests.length;
    const chat = await Chat.start(emu.url);
    const received = bot.requests.slice(before);
    expect(received).toHaveLength(1);
    expect(received[0]?.headers["x-api-key"]).toBe("fake-bot-key-0123456789");
    expect(received[0]?.headers["inin-correlation-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(received[0]?.headers["content-type"]).toBe("application/json");
    expect(received[0]?.body).toMatchObject({ botId: "Acme Support", chatBot: { id: "acme-support", name: "Acme Support" }, genesysConversationId: chat.id });
    expect(chat.flow("disconnect")).toEqual([{ kind: "disconnect", action: "Disconnect (Goodbye)" }]);
  });
});
