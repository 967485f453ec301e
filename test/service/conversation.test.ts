import { Conversation, startService, texts, type TestService } from "./harness";

/** Every path of the sample bot, over real HTTP, as Genesys would drive it. */
describe("sample bot conversations", () => {
  let svc: TestService;
  // Fixed clock so date answers ("tomorrow", "2026-12-01") are deterministic.
  const now = new Date("2026-11-24T10:00:00Z");

  beforeAll(async () => {
    svc = await startService({}, { now: () => now });
  });
  afterAll(() => svc.close());

  test("welcome with the customer's name and tier, then the menu as quick replies", async () => {
    const c = new Conversation(svc, { parameters: { customerName: "Ada", customerTier: "gold" } });
    const first = await c.say("");
    expect(first.botState).toBe("MoreData");
    expect(first.intent).toBeUndefined();
    expect(texts(first)).toEqual([
      "Hi Ada! I'm Ava, Acme's virtual assistant.",
      "As a gold member you get priority with our team.",
      "What can I help you with?",
    ]);
    const menu = (first.replymessages as Array<Record<string, unknown>>)[2] as { type: string; content: Array<{ contentType: string; quickReply: { text: string; action: string } }> };
    expect(menu.type).toBe("Structured");
    expect(menu.content.map((q) => q.quickReply.text)).toEqual(["Track an order", "Return an item", "Talk to an agent", "Nothing, thanks"]);
    expect(menu.content.every((q) => q.contentType === "QuickReply" && q.quickReply.action === "Message")).toBe(true);
  });

  test("standard tier gets no priority note and the default name", async () => {
    const c = new Conversation(svc, { parameters: { customerTier: "standard" } });
    expect(texts(await c.say(""))).toEqual(["Hi there! I'm Ava, Acme's virtual assistant.", "What can I help you with?"]);
  });

  test("order status: shipped order ends Complete with OrderStatus and its slots", async () => {
    const c = new Conversation(svc);
    const menu = await c.say("");
    const ask = await c.click(menu, "Track an order");
    expect(texts(ask)).toEqual(["What's your order number? It looks like A-12345."]);
    const shown = await c.say("A-12345");
    expect(texts(shown)).toEqual(["Order A-12345", "Is there anything else I can help you with?"]);
    const done = await c.say("no");
    expect(done.botState).toBe("Complete");
    expect(done.intent).toBe("OrderStatus");
    expect(done.slotValues).toEqual({ orderNumber: "A-12345", orderStatus: "shipped" });
    expect(done.parameters).toEqual({ lastTopic: "order" });
    const card = (shown.replymessages as Array<{ content: Array<{ contentType: string; card: Record<string, unknown> }> }>)[0]?.content[0];
    expect(card?.contentType).toBe("Card");
    expect(card?.card).toMatchObject({
      description: "Status: shipped",
      image: "https://assets.example.com/acme/parcel.png",
      defaultAction: { type: "Link", url: "https://track.example.com/acme" },
      actions: [{ type: "Link", text: "Track parcel" }, { type: "Postback", text: "Start a return" }],
    });
  });

  test("order status: an order ending in 0 is delayed; a wrong number is re-asked", async () => {
    const c = new Conversation(svc);
    await c.say("");
    await c.say("where is my order");
    const retry = await c.say("my order from last week");
    expect(retry.botState).toBe("MoreData");
    expect(texts(retry)[0]).toMatch(/doesn't look like an order number/);
    await c.say("a12340");
    const done = await c.say("no thanks");
    expect(done.slotValues).toEqual({ orderNumber: "a12340", orderStatus: "delayed" });
  });

  test("the first message can already answer the menu", async () => {
    const c = new Conversation(svc);
    const first = await c.say("I want to return something");
    expect(texts(first).at(-1)).toBe("Which order is the return for? The number looks like A-12345.");
  });

  test("return: every question type, a carousel choice, optional comment skipped, Complete with typed slots", async () => {
    const c = new Conversation(svc);
    const menu = await c.say("");
    await c.click(menu, "Return an item");
    const reason = await c.say("A-55555");
    const count = await c.click(reason, "Wrong size");
    expect(texts(count)).toEqual(["How many items are you sending back?"]);
    const notNumber = await c.say("a few");
    expect(texts(notNumber)).toEqual(["Please give a number between 1 and 20."]);
    const refund = await c.say("2 items");
    const carousel = (refund.replymessages as Array<{ content?: Array<{ contentType: string; carousel?: { cards: unknown[] } }> }>)[1];
    expect(carousel?.content?.[0]?.contentType).toBe("Carousel");
    expect(carousel?.content?.[0]?.carousel?.cards).toHaveLength(2);
    const pickup = await c.click(refund, "Take store credit");
    expect(texts(pickup)[0]).toMatch(/When should our courier pick it up/);
    const email = await c.say("tomorrow");
    expect(texts(email)[0]).toMatch(/email address/);
    const badEmail = await c.say("ada at example");
    expect(texts(badEmail)).toEqual(["That doesn't look like an email address."]);
    const comment = await c.say("ada@example.com");
    expect(texts(comment)[0]).toMatch(/Anything our returns team should know/);
    const confirm = await c.click(comment, "Skip");
    expect(texts(confirm)[0]).toBe(
      "I'll book a pickup of 2 item(s) from order A-55555 on 2026-11-25 and email the label to ada@example.com. Shall I go ahead?",
    );
    const done = await c.click(confirm, "Yes");
    expect(done.botState).toBe("Complete");
    expect(done.intent).toBe("ReturnCreated");
    expect(done.slotValues).toEqual({
      orderNumber: "A-55555",
      returnReason: "wrong-size",
      itemCount: 2,
      refundToStoreCredit: true,
      pickupDate: "2026-11-25T00:00:00",
      labelEmail: "ada@example.com",
    });
    expect(done.parameters).toEqual({ lastTopic: "return" });
    expect(texts(done)).toEqual(["Done! The label is on its way to ada@example.com."]);
  });

  test("return: a comment is kept, a refusal goes back to the menu", async () => {
    const c = new Conversation(svc);
    await c.say("return");
    await c.say("A-10001");
    await c.say("damaged");
    await c.say("1");
    await c.say("card");
    await c.say("2026-12-01");
    await c.say("ada@example.com");
    const confirm = await c.say("The box is heavy");
    expect(texts(confirm)[0]).toMatch(/on 2026-12-01/);
    const back = await c.say("no");
    expect(texts(back)).toEqual(["No problem, I haven't booked anything.", "What can I help you with?"]);
    expect(back.botState).toBe("MoreData");
  });

  test("a pickup date out of range is re-asked", async () => {
    const c = new Conversation(svc);
    await c.say("return");
    await c.say("A-10001");
    await c.say("damaged");
    await c.say("1");
    await c.say("credit");
    const retry = await c.say("2027-06-01");
    expect(texts(retry)).toEqual(["Please pick a day between tomorrow and two weeks from now."]);
  });

  test("asking for an agent anywhere completes with the hand-over intent", async () => {
    const c = new Conversation(svc);
    await c.say("");
    await c.say("track");
    const done = await c.say("I want to talk to a person");
    expect(done.botState).toBe("Complete");
    expect(done.intent).toBe("AgentRequested");
    expect(done.slotValues).toEqual({ reason: "customer request", topic: "order" });
    expect(done.parameters).toEqual({ handoverReason: "customer asked for an agent" });
  });

  test("three misses at the menu hand over with the Handover intent and the reason (never Failed)", async () => {
    const c = new Conversation(svc);
    await c.say("");
    await c.say("banana");
    await c.say("pineapple");
    const handedOver = await c.say("kiwi");
    expect(handedOver).toMatchObject({ botState: "Complete", intent: "Handover", parameters: { handoverReason: "menu not understood after 3 attempts" } });
    expect(handedOver.errorInfo).toBeUndefined();
    expect(texts(handedOver)).toEqual(["I'm having trouble understanding. Let me get you to a colleague."]);
  });

  test("a stale button from an earlier question is recognised and the current question asked again", async () => {
    const c = new Conversation(svc);
    const menu = await c.say("");
    await c.click(menu, "Return an item");
    const stale = await c.click(menu, "Track an order");
    expect(stale.botState).toBe("MoreData");
    expect(texts(stale)).toEqual(["That button belongs to an earlier question.", "Which order is the return for? The number looks like A-12345."]);
  });

  test("the card's postback starts a return even after the session moved on (interrupt payload)", async () => {
    const c = new Conversation(svc);
    await c.say("");
    await c.say("return");
    const wrong = await c.send({
      type: "Structured",
      text: "Start a return",
      content: [{ contentType: "ButtonResponse", buttonResponse: { type: "Button", text: "Start a return", payload: "_#start-return" } }],
    });
    expect(texts(wrong)).toEqual(["Which order is the return for? The number looks like A-12345."]);
  });

  test("goodbye", async () => {
    const c = new Conversation(svc);
    const menu = await c.say("");
    const bye = await c.click(menu, "Nothing, thanks");
    expect(bye).toMatchObject({ botState: "Complete", intent: "Goodbye" });
    expect(bye.slotValues).toBeUndefined();
  });

  test("German: prompts in German, German answers understood", async () => {
    const c = new Conversation(svc, { languageCode: "de-de" });
    const first = await c.say("");
    expect(texts(first)).toEqual(["Hallo und willkommen! Ich bin Ava, die virtuelle Assistentin von Acme.", "Wobei kann ich Ihnen helfen?"]);
    await c.say("Rückgabe");
    await c.say("A-20002");
    await c.say("kaputt");
    await c.say("3");
    await c.say("Gutschein");
    await c.say("morgen");
    await c.say("ada@example.com");
    const confirm = await c.say("überspringen");
    expect(texts(confirm)[0]).toMatch(/^Ich buche die Abholung von 3 Artikel/);
    const done = await c.say("ja");
    expect(done.slotValues).toMatchObject({ itemCount: 3, refundToStoreCredit: true, pickupDate: "2026-11-25T00:00:00" });
    expect(texts(done)).toEqual(["Erledigt! Das Etikett ist unterwegs an ada@example.com."]);
  });

  test("a language the bot does not speak falls back to the default; a close one matches", async () => {
    const fr = new Conversation(svc, { languageCode: "fr-fr" });
    expect(texts(await fr.say("")).at(-1)).toBe("What can I help you with?");
    const de = new Conversation(svc, { languageCode: "de" });
    expect(texts(await de.say("")).at(-1)).toBe("Wobei kann ich Ihnen helfen?");
  });
});
