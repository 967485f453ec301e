/**
 * The upstream contract over real HTTP: the service, the fixture bots and the sample agent (which checks every
 * call against the published request schema and its auth). Every reply kind, what the request carries, rich
 * content, buttons, interrupts, retried Genesys requests.
 */
import { type UpstreamRequest } from "../../service/src/upstream/contract";
import { buttonInput, buttons, Conversation, texts, turnBody } from "../service/harness";
import { atOrdersAgent, DIRECT_BOT, metricsText, ORDERS_BOT, startUpstreamSetup, type UpstreamSetup } from "./harness";

let setup: UpstreamSetup;
beforeAll(async () => {
  setup = await startUpstreamSetup();
});
afterEach(() => {
  setup.orders.reset();
  setup.direct.reset();
});
afterAll(() => setup.close());

const lastRequest = (calls: typeof setup.orders.calls): UpstreamRequest => calls[calls.length - 1]?.body as UpstreamRequest;

describe("what the agent receives", () => {
  test("entering the agent: session, conversation, language, input, parameters, variables, what it may answer", async () => {
    const { greeting } = await atOrdersAgent(setup.svc, { parameters: { customerName: "Ada" } });
    expect(setup.orders.calls).toHaveLength(1);
    const call = setup.orders.calls[0]!;
    expect(call.refused).toBeUndefined();
    expect(call.headers["idempotency-key"]).toBe(call.body?.requestId);
    expect(call.headers["content-type"]).toMatch(/^application\/json/);
    expect(call.body).toMatchObject({
      version: 1,
      event: "start",
      bot: { id: "acme-orders", version: "1.0" },
      node: "orders-agent",
      genesysConversationId: "7c1e5d90-3a44-4b7f-8f0e-2d6a9b8c4e21",
      language: "en-us",
      turn: 2,
      input: { type: "text", text: "track" },
      parameters: { customerName: "Ada" },
      variables: { topic: "orders" },
      allowed: {
        actions: ["continue", "complete", "handover", "return"],
        intents: {
          OrderStatus: { handover: false, slots: { orderNumber: "String", orderStatus: "String", itemCount: "Integer" } },
          AgentRequested: { handover: true, slots: { reason: "String" } },
        },
        variables: ["orderNumber", "orderStatus"],
        parameters: ["lastTopic"],
      },
      limits: { textLength: 4000, quickRepliesPerMessage: 10, cardsPerCarousel: 10, messages: 10 },
    });
    expect(Object.keys(call.body!.allowed.intents)).not.toContain("Goodbye");
    expect(greeting.botState).toBe("MoreData");
    expect(texts(greeting)).toEqual(["Hi Ada, I'm the orders agent.", "What's your order number? It looks like A-12345."]);
  });

  test("the customer's next message goes to the agent as a message; its own button arrives with its payload", async () => {
    const { chat, greeting } = await atOrdersAgent(setup.svc);
    const again = await chat.say("where is my parcel?");
    expect(lastRequest(setup.orders.calls)).toMatchObject({ event: "message", turn: 3, input: { type: "text", text: "where is my parcel?" } });
    expect(texts(again)).toContain("Sorry, I need an order number.");
    // The agent's buttons are tagged with its node, like a question's, and untagged on the way back.
    expect(buttons(greeting)).toEqual({ "Talk to a human": "orders-agent#human", "Main menu": "orders-agent#back" });
    await chat.click(greeting, "Main menu");
    expect(lastRequest(setup.orders.calls).input).toEqual({ type: "button", text: "Main menu", payload: "back" });
  });

  test("a request id is stable for one logical call and differs for another input", async () => {
    const { chat } = await atOrdersAgent(setup.svc);
    await chat.say("hello");
    const ids = setup.orders.calls.map((c) => c.body?.requestId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });
});

describe("every reply kind", () => {
  test("continue: rich content (text, quick replies, card, carousel) reaches Genesys; the session waits for the agent", async () => {
    setup.direct.enqueue({
      kind: "reply",
      reply: () => ({
        action: "continue",
        messages: [
          { text: "Here is what I found:", quickReplies: [{ label: "More", payload: "more" }] },
          { card: { title: "Order A-10001", description: "Delivered", image: "https://img.example.com/a.png", defaultAction: { type: "link", label: "Open", url: "https://track.example.com/1" }, actions: [{ type: "postback", label: "Return it", payload: "return:A-10001" }] } },
          { carousel: [1, 2, 3].map((n) => ({ title: `Item ${n}`, actions: [{ type: "postback", label: `Pick ${n}`, payload: `pick-${n}` }] })) },
        ],
      }),
    });
    const chat = new Conversation(setup.svc, DIRECT_BOT);
    const first = await chat.say("show my orders");
    expect(first.botState).toBe("MoreData");
    expect(first.intent).toBeUndefined();
    expect(texts(first)).toEqual(["Here is what I found:", "Order A-10001"]);
    const messages = first.replymessages as Array<{ type: string; content?: Array<Record<string, unknown>> }>;
    expect(messages.map((m) => m.type)).toEqual(["Structured", "Structured", "Structured"]);
    const carousel = messages[2]!.content![0] as { contentType: string; carousel: { cards: Array<{ title: string }> } };
    expect(carousel.contentType).toBe("Carousel");
    expect(carousel.carousel.cards.map((c) => c.title)).toEqual(["Item 1", "Item 2", "Item 3"]);
    expect(messages[1]!.content![0]).toEqual({
      contentType: "Card",
      card: {
        title: "Order A-10001",
        description: "Delivered",
        image: "https://img.example.com/a.png",
        defaultAction: { type: "Link", text: "Open", url: "https://track.example.com/1" },
        actions: [{ type: "Postback", text: "Return it", payload: "assistant#return:A-10001" }],
      },
    });
    expect(buttons(first)).toEqual({ More: "assistant#more", "Return it": "assistant#return:A-10001", "Pick 1": "assistant#pick-1", "Pick 2": "assistant#pick-2", "Pick 3": "assistant#pick-3" });
    setup.direct.enqueue({ kind: "reply", reply: (r) => ({ action: "continue", messages: [{ text: `You picked ${r.input.payload}` }] }) });
    const picked = await chat.click(first, "Pick 2");
    expect(texts(picked)).toEqual(["You picked pick-2"]);
  });

  test("complete: a declared intent with slots in their Genesys formats, parameters, and variables kept", async () => {
    const { chat } = await atOrdersAgent(setup.svc);
    const done = await chat.say("it's A-12345");
    expect(done).toMatchObject({
      botState: "Complete",
      intent: "OrderStatus",
      slotValues: { orderNumber: "A-12345", orderStatus: "shipped", itemCount: 2 },
      parameters: { lastTopic: "order" },
    });
    expect(texts(done)).toEqual(["Order A-12345"]);
    const stored = await setup.svc.service.store.load(chat.sessionId);
    expect(stored?.state).toMatchObject({ ended: "Complete", vars: { topic: "orders", orderNumber: "A-12345", orderStatus: "shipped" } });
  });

  test("handover with a hand-over intent: Complete with the intent, its slots and handoverReason", async () => {
    const { chat, greeting } = await atOrdersAgent(setup.svc);
    const done = await chat.click(greeting, "Talk to a human");
    expect(done).toMatchObject({
      botState: "Complete",
      intent: "AgentRequested",
      slotValues: { reason: "asked the orders agent" },
      parameters: { handoverReason: "customer asked the orders agent for a human" },
    });
    expect(texts(done)).toEqual(["Let me get a colleague."]);
  });

  test("handover without an intent: Complete with the bot's default hand-over intent, so Architect takes its path", async () => {
    setup.direct.enqueue({ kind: "reply", reply: () => ({ action: "handover", reason: "out of my depth", messages: [{ text: "A colleague will take over." }] }) });
    const res = await setup.svc.post(turnBody({ ...DIRECT_BOT, inputMessage: { type: "Text", text: "complicated" } }));
    expect(res.body).toMatchObject({ botState: "Complete", intent: "AgentRequested", parameters: { handoverReason: "out of my depth" } });
    expect(res.body.errorInfo).toBeUndefined();
    expect(texts(res.body)).toEqual(["A colleague will take over."]);
  });

  test("return: the bot's own nodes continue at next, with the variables the agent set", async () => {
    const { chat } = await atOrdersAgent(setup.svc);
    const back = await chat.say("menu");
    expect(back.botState).toBe("MoreData");
    expect(texts(back)).toEqual(["Back to the main menu.", "Order unknown is unknown.", "What can I help you with?"]);
    // Now the bot's menu question waits: its buttons carry the question's tag, and the agent is not called.
    expect(buttons(back)).toEqual({ "Track an order": "menu#orders", "Nothing, thanks": "menu#done" });
    const calls = setup.orders.calls.length;
    const bye = await chat.click(back, "Nothing, thanks");
    expect(bye).toMatchObject({ botState: "Complete", intent: "Goodbye" });
    expect(setup.orders.calls).toHaveLength(calls);
  });

  test("an agent's text is literal: template syntax in it is not evaluated", async () => {
    setup.direct.enqueue({ kind: "reply", reply: () => ({ action: "continue", messages: [{ text: "Your vars: {{vars.orderNumber}} {{params.x}}" }] }) });
    const res = await setup.svc.post(turnBody({ ...DIRECT_BOT, inputMessage: { type: "Text", text: "hi" } }));
    expect(texts(res.body)).toEqual(["Your vars: {{vars.orderNumber}} {{params.x}}"]);
  });
});

describe("the bot keeps control where it should", () => {
  test("an interrupt word reaches the bot's interrupt, not the agent", async () => {
    const { chat } = await atOrdersAgent(setup.svc);
    const calls = setup.orders.calls.length;
    const done = await chat.say("agent");
    expect(done).toMatchObject({ botState: "Complete", intent: "AgentRequested", parameters: { handoverReason: "customer asked for an agent" } });
    expect(setup.orders.calls).toHaveLength(calls);
  });

  test("a longer message containing an interrupt word is the agent's", async () => {
    const { chat } = await atOrdersAgent(setup.svc);
    await chat.say("my agent said A-00042");
    expect(lastRequest(setup.orders.calls).input.text).toBe("my agent said A-00042");
  });

  test("a button of an earlier question reaches the agent as its label", async () => {
    const chat = new Conversation(setup.svc, ORDERS_BOT);
    const menu = await chat.say("");
    await chat.click(menu, "Track an order");
    await chat.send(buttonInput("Nothing, thanks", buttons(menu)["Nothing, thanks"]!));
    expect(lastRequest(setup.orders.calls).input).toEqual({ type: "text", text: "Nothing, thanks" });
  });

  test("a retried Genesys request (same correlation id and input) gets the stored answer without calling the agent again", async () => {
    const body = turnBody({ ...DIRECT_BOT, inputMessage: { type: "Text", text: "once" } });
    const first = await setup.svc.post(body, { "inin-correlation-id": "corr-upstream-1" });
    const again = await setup.svc.post(body, { "inin-correlation-id": "corr-upstream-1" });
    expect(again.body).toEqual(first.body);
    expect(setup.direct.calls).toHaveLength(1);
  });

  test("the language reaches the agent; metrics count the calls by agent and outcome", async () => {
    await setup.svc.post(turnBody({ ...DIRECT_BOT, languageCode: "en-GB", inputMessage: { type: "Text", text: "hi" } }));
    expect(lastRequest(setup.direct.calls).language).toBe("en-us");
    const metrics = await metricsText(setup.svc);
    expect(metrics).toMatch(/botconnector_upstream_calls_total\{upstream="acme-direct\/assistant",outcome="ok"\} \d+/);
    expect(metrics).toMatch(/botconnector_upstream_call_duration_seconds_count\{upstream="acme-orders\/orders",outcome="ok"\} \d+/);
    expect(metrics).toMatch(/botconnector_upstream_circuit_state\{upstream="acme-orders\/orders"\} 0/);
  });
});
