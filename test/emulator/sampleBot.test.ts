import { startService, TOKEN, type TestService } from "../service/harness";
import { TURN_ROUTE } from "../../service/src/server";
import { type EmulatorEvent } from "../../emulator/events";
import { Chat, shown, startEmulator, type RunningEmulator } from "./harness";

const QUEUE = "Acme Virtual Agent DEV Hand-over";

/** The dev stack's rendered flow, played by the emulator against the real service over HTTP. */
describe("emulator × service: every path of the sample bot", () => {
  let svc: TestService;
  let emu: RunningEmulator;
  // The service's clock is fixed so "tomorrow" is 2026-11-25.
  const now = new Date("2026-11-24T10:00:00Z");

  beforeAll(async () => {
    svc = await startService({}, { now: () => now });
    emu = await startEmulator({ url: svc.url + TURN_ROUTE, credentials: { "verify-token": TOKEN } });
  });
  afterAll(async () => {
    await emu?.close();
    await svc?.close();
  });

  const start = (body: Record<string, unknown> = {}) => Chat.start(emu.url, body);
  const ended = (chat: Chat) => chat.events.filter((e) => e.type === "ended").map((e) => (e as Extract<EmulatorEvent, { type: "ended" }>).reason);

  test("order status: calls the service as Genesys does, completes with OrderStatus and disconnects with participant data", async () => {
    const chat = await start({ participantData: { customerName: "Ada", customerTier: "gold" } });
    expect(shown(chat.events)).toEqual(["Hi Ada! I'm Ava, Acme's virtual assistant.", "As a gold member you get priority with our team.", "What can I help you with?"]);
    expect(chat.status).toBe("waiting");
    await chat.click("Track an order");
    expect(shown(await chat.say("A-12345"))).toEqual(["Order A-12345", "Is there anything else I can help you with?"]);
    await chat.say("no thanks");
    expect(chat.flow("complete")).toEqual([
      { kind: "complete", action: "Call Bot Connector", intent: "OrderStatus", slots: { orderNumber: "A-12345", orderStatus: "shipped" }, parameters: { lastTopic: "order" } },
    ]);
    expect(chat.flow("participantData")[0]?.attributes).toEqual({
      "virtualAgent.intent": "OrderStatus",
      "virtualAgent.orderNumber": "A-12345",
      "virtualAgent.orderStatus": "shipped",
      "virtualAgent.lastTopic": "order",
    });
    expect(chat.flow("disconnect")).toEqual([{ kind: "disconnect", action: "Disconnect (OrderStatus)" }]);
    expect(ended(chat)).toEqual(["disconnect"]);

    const calls = chat.calls();
    expect(calls).toHaveLength(4);
    const [first, click, last] = calls.map((c) => c.request);
    expect(first).toEqual({
      botId: "Acme Support",
      botVersion: "1.0",
      botSessionId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      genesysConversationId: chat.id,
      inputMessage: { type: "Text", text: "" },
      languageCode: "en-us",
      botSessionTimeout: 4320,
      chatBot: { id: "acme-support", name: "Acme Support" },
      parameters: { customerName: "Ada", customerTier: "gold" },
    });
    expect(click?.inputMessage).toEqual({
      type: "Structured",
      text: "Track an order",
      content: [{ contentType: "ButtonResponse", buttonResponse: { type: "QuickReply", text: "Track an order", payload: "menu#order" } }],
    });
    expect(last?.inputMessage).toEqual({ type: "Text", text: "A-12345" });
    // One bot session for the whole MoreData loop; session variables on its first turn only.
    expect(new Set(calls.map((c) => c.request.botSessionId)).size).toBe(1);
    expect(chat.flow("botSessionStarted")[0]?.botSessionId).toBe(first?.botSessionId);
    expect(click?.parameters).toBeUndefined();
    // Credential header sent (masked in the log), a fresh correlation id per call.
    expect(calls.every((c) => c.headers["verify-token"] === "********")).toBe(true);
    expect(new Set(calls.map((c) => c.correlationId)).size).toBe(4);
    expect(JSON.stringify(chat.events)).not.toContain(TOKEN);
  });

  test("order status: a wrong number is asked again, an order ending in 0 is delayed", async () => {
    const chat = await start();
    await chat.say("where is my order");
    expect(shown(await chat.say("my order from last week"))[0]).toMatch(/doesn't look like an order number/);
    await chat.say("a12340");
    await chat.say("nope");
    expect(chat.flow("complete")[0]?.slots).toEqual({ orderNumber: "a12340", orderStatus: "delayed" });
  });

  test("return: every question type, a carousel card button, skipped comment; typed slots bound and written as participant data", async () => {
    const chat = await start();
    await chat.click("Return an item");
    const reason = await chat.say("A-55555");
    expect(shown(reason)).toEqual(["Why are you returning it?"]);
    await chat.click("Wrong size");
    expect(shown(await chat.say("a few"))).toEqual(["Please give a number between 1 and 20."]);
    const refund = await chat.say("2 items");
    const carousel = refund.find((e) => e.type === "message" && e.message.content?.[0]?.contentType === "Carousel");
    expect(carousel).toBeDefined();
    expect(shown(refund)).toEqual(["How would you like your refund?", "Back to my card", "Store credit"]);
    await chat.click("Take store credit");
    expect(chat.calls().at(-1)?.request.inputMessage).toEqual({
      type: "Structured",
      text: "Take store credit",
      content: [{ contentType: "ButtonResponse", buttonResponse: { type: "Button", text: "Take store credit", payload: "refund-method#credit" } }],
    });
    await chat.say("tomorrow");
    expect(shown(await chat.say("ada at example"))).toEqual(["That doesn't look like an email address."]);
    expect(shown(await chat.say("ada@example.com"))[0]).toMatch(/Anything our returns team should know/);
    const confirm = await chat.click("Skip");
    expect(shown(confirm)[0]).toBe("I'll book a pickup of 2 item(s) from order A-55555 on 2026-11-25 and email the label to ada@example.com. Shall I go ahead?");
    const done = await chat.click("Yes");
    expect(shown(done)).toEqual(["Done! The label is on its way to ada@example.com."]);
    expect(chat.flow("complete")[0]).toMatchObject({
      intent: "ReturnCreated",
      slots: { orderNumber: "A-55555", returnReason: "wrong-size", itemCount: 2, refundToStoreCredit: true, pickupDate: "2026-11-25T00:00:00.000Z", labelEmail: "ada@example.com" },
      parameters: { lastTopic: "return" },
    });
    expect(chat.flow("participantData")[0]?.attributes).toEqual({
      "virtualAgent.intent": "ReturnCreated",
      "virtualAgent.orderNumber": "A-55555",
      "virtualAgent.returnReason": "wrong-size",
      "virtualAgent.itemCount": "2",
      "virtualAgent.refundToStoreCredit": "true",
      "virtualAgent.pickupDate": "2026-11-25T00:00:00.000Z",
      "virtualAgent.labelEmail": "ada@example.com",
      // The comment was skipped: the slot is NOT_SET, so the flow writes "".
      "virtualAgent.comment": "",
      "virtualAgent.lastTopic": "return",
    });
    expect(ended(chat)).toEqual(["disconnect"]);
  });

  test("return: a comment is kept; declining goes back to the menu; goodbye completes and disconnects", async () => {
    const chat = await start();
    for (const text of ["return", "A-10001", "damaged", "1", "card", "2026-12-01", "ada@example.com"]) await chat.say(text);
    expect(shown(await chat.say("The box is heavy"))[0]).toMatch(/on 2026-12-01/);
    expect(shown(await chat.say("no"))).toEqual(["No problem, I haven't booked anything.", "What can I help you with?"]);
    expect(chat.status).toBe("waiting");
    const bye = await chat.click("Nothing, thanks");
    expect(shown(bye)).toEqual(["Thanks for chatting with Acme. Have a great day!"]);
    expect(chat.flow("complete")[0]).toMatchObject({ intent: "Goodbye", slots: {} });
    expect(chat.flow("disconnect")).toEqual([{ kind: "disconnect", action: "Disconnect (Goodbye)" }]);
  });

  test("asking for an agent by word: AgentRequested path transfers to the queue with the participant data", async () => {
    const chat = await start();
    await chat.say("track");
    const done = await chat.say("I want to talk to a person");
    expect(shown(done)).toEqual(["Sure, I'm connecting you with a colleague now."]);
    expect(chat.flow("complete")[0]).toMatchObject({ intent: "AgentRequested", slots: { reason: "customer request", topic: "order" } });
    expect(chat.flow("transfer")).toEqual([
      {
        kind: "transfer",
        action: "Transfer to ACD (AgentRequested)",
        queue: QUEUE,
        priority: 0,
        participantData: {
          "virtualAgent.intent": "AgentRequested",
          "virtualAgent.reason": "customer request",
          "virtualAgent.topic": "order",
          "virtualAgent.handoverReason": "customer asked for an agent",
        },
      },
    ]);
    // The flow declares an output variable for every parameter the bot returns (handoverReason included).
    expect(chat.events.filter((e) => e.type === "warning")).toEqual([]);
    expect(ended(chat)).toEqual(["transfer"]);
  });

  test("three misses at the menu: a designed hand-over, never the failure path: Handover intent, reason in participant data, transfer", async () => {
    const chat = await start();
    await chat.say("banana");
    await chat.say("pineapple");
    const handedOver = await chat.say("kiwi");
    // One message, the bot's own: no false "technical problem" from the flow.
    expect(shown(handedOver)).toEqual(["I'm having trouble understanding. Let me get you to a colleague."]);
    expect(chat.flow("failure")).toEqual([]);
    expect(chat.flow("complete")).toEqual([
      { kind: "complete", action: "Call Bot Connector", intent: "Handover", slots: {}, parameters: { handoverReason: "menu not understood after 3 attempts" } },
    ]);
    expect(chat.flow("transfer")[0]).toMatchObject({
      action: "Transfer to ACD (Handover)",
      queue: QUEUE,
      participantData: { "virtualAgent.intent": "Handover", "virtualAgent.handoverReason": "menu not understood after 3 attempts" },
    });
  });

  test("German, from greeting through a no-match hand-over: not one English word, the reason for the agent", async () => {
    const chat = await start({ language: "de-de" });
    for (const text of ["lila", "Elefanten"]) await chat.say(text);
    await chat.say("tanzen");
    expect(shown(chat.events)).toEqual([
      "Hallo und willkommen! Ich bin Ava, die virtuelle Assistentin von Acme.",
      "Wobei kann ich Ihnen helfen?",
      "Entschuldigung, das habe ich nicht verstanden. Bitte wählen Sie eine Option.",
      "Entschuldigung, das habe ich nicht verstanden. Bitte wählen Sie eine Option.",
      "Ich habe Schwierigkeiten, Sie zu verstehen. Ich verbinde Sie mit einem Kollegen.",
    ]);
    expect(chat.flow("transfer")[0]?.participantData).toMatchObject({ "virtualAgent.intent": "Handover", "virtualAgent.handoverReason": "menu not understood after 3 attempts" });
  });

  test("a quick reply from an earlier question is still sent, and the bot recognises it as stale", async () => {
    const chat = await start();
    await chat.click("Return an item");
    expect(shown(await chat.click("Track an order"))).toEqual(["That button belongs to an earlier question.", "Which order is the return for? The number looks like A-12345."]);
  });

  test("German: the flow's language goes to the bot lower-case; German prompts and answers", async () => {
    const chat = await start({ language: "de-DE" });
    expect(shown(chat.events)).toEqual(["Hallo und willkommen! Ich bin Ava, die virtuelle Assistentin von Acme.", "Wobei kann ich Ihnen helfen?"]);
    for (const text of ["Rückgabe", "A-20002", "kaputt", "3", "Gutschein", "morgen", "ada@example.com"]) await chat.say(text);
    expect(shown(await chat.say("überspringen"))[0]).toMatch(/^Ich buche die Abholung von 3 Artikel/);
    expect(shown(await chat.say("ja"))).toEqual(["Erledigt! Das Etikett ist unterwegs an ada@example.com."]);
    expect(chat.calls().every((c) => c.request.languageCode === "de-de")).toBe(true);
    expect(chat.flow("complete")[0]?.slots).toMatchObject({ itemCount: 3, refundToStoreCredit: true });
  });
});
