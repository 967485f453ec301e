/** The conversation engine on the sample bot: every path, in both languages, and the protocol edge cases. */
import { runTurn } from "../../service/src/engine/engine";
import { loadSampleBot, runnable } from "../bots/fixtures";
import { Chat, NOW, turnRequest } from "./chat";

const bot = runnable(loadSampleBot());
const MENU = ["Track an order", "Return an item", "Talk to an agent", "Nothing, thanks"];

function chat(options: ConstructorParameters<typeof Chat>[1] = {}) {
  const c = new Chat(bot, options);
  c.send("");
  return c;
}

/** Walks the return path up to the question that follows `stop`. */
function returnUpTo(stop: "return-order-number" | "return-reason" | "item-count" | "refund-method" | "pickup-date" | "label-email" | "return-comment") {
  const c = chat();
  const steps: Array<[string, () => unknown]> = [
    ["return-order-number", () => c.click("Return an item")],
    ["return-reason", () => c.send("A-12345")],
    ["item-count", () => c.click("Wrong size")],
    ["refund-method", () => c.send("2")],
    ["pickup-date", () => c.click("Take store credit")],
    ["label-email", () => c.send("tomorrow")],
    ["return-comment", () => c.send("ada@example.com")],
  ];
  for (const [node, act] of steps) {
    act();
    expect(c.state?.awaiting?.node).toBe(node);
    if (node === stop) break;
  }
  return c;
}

describe("engine on the sample bot", () => {
  describe("start", () => {
    it("greets and asks the menu question with its options as tagged quick replies", () => {
      const c = new Chat(bot);
      const out = c.send("");
      expect(out.event).toBe("started");
      expect(out.response.botState).toBe("MoreData");
      expect(c.texts).toEqual(["Hi there! I'm Ava, Acme's virtual assistant.", "What can I help you with?"]);
      expect(c.buttonLabels).toEqual(MENU);
      expect(c.button("Track an order").payload).toBe("menu#order");
      expect(out.state).toMatchObject({ v: 1, botId: "acme-support", botVersion: "1.0", language: "en-us", turns: 1, awaiting: { node: "menu", attempts: 0 } });
      expect(out.state.genesysConversationId).toBe("conversation-1");
    });

    it("uses Architect parameters in templates and conditions", () => {
      const c = chat({ parameters: { customerName: "Ada", customerTier: "gold" } });
      expect(c.texts).toEqual(["Hi Ada! I'm Ava, Acme's virtual assistant.", "As a gold member you get priority with our team.", "What can I help you with?"]);
      expect(c.state?.params).toEqual({ customerName: "Ada", customerTier: "gold" });
      const standard = chat({ parameters: { customerTier: "standard" } });
      expect(standard.texts).not.toContainEqual(expect.stringMatching(/priority/));
    });

    it("lets the first turn's text answer the first question", () => {
      const c = new Chat(bot);
      c.send("Where is my order?");
      expect(c.state?.vars.topic).toBe("order");
      expect(c.texts).toEqual(["Hi there! I'm Ava, Acme's virtual assistant.", "What's your order number? It looks like A-12345."]);
      expect(c.state?.awaiting).toEqual({ node: "order-number", attempts: 0 });
    });

    it("asks normally when the first turn's text does not answer the first question, without counting a miss", () => {
      const c = new Chat(bot);
      c.send("Menu");
      expect(c.state?.awaiting).toEqual({ node: "menu", attempts: 0 });
      expect(c.texts).toContain("What can I help you with?");
    });

    it("lets the first turn's text trigger an interrupt", () => {
      const c = new Chat(bot);
      const out = c.send("I want to talk to an agent");
      expect(out.event).toBe("interrupted");
      expect(out.response).toMatchObject({ botState: "Complete", intent: "AgentRequested", slotValues: { reason: "customer request", topic: "none" } });
      expect(c.texts).toEqual(["Sure, I'm connecting you with a colleague now."]);
    });
  });

  describe("re-prompts and ways out", () => {
    it("re-prompts with the retry prompt and the options, counting the miss", () => {
      const c = chat();
      const out = c.send("purple elephants");
      expect(out.event).toBe("reprompted");
      expect(c.texts).toEqual(["Sorry, I didn't get that. Please pick one of the options."]);
      expect(c.buttonLabels).toEqual(MENU);
      expect(c.state?.awaiting).toEqual({ node: "menu", attempts: 1 });
    });

    it("takes onNoMatch after maxAttempts misses: a hand-over without intent completes with the default hand-over intent", () => {
      const c = chat();
      c.send("purple");
      c.send("elephants");
      expect(c.state?.awaiting?.attempts).toBe(2);
      const out = c.send("dancing");
      expect(out.event).toBe("no-match");
      // Never Failed: Architect takes the Handover path, writes the reason to participant data and transfers.
      expect(out.response).toEqual({
        botState: "Complete",
        replymessages: [{ type: "Text", text: "I'm having trouble understanding. Let me get you to a colleague." }],
        intent: "Handover",
        confidence: 1,
        parameters: { handoverReason: "menu not understood after 3 attempts" },
      });
      expect(out.state.ended).toBe("Complete");
    });

    it("hands over with the default intent, the reason and the collected slots when a question has no onNoMatch", () => {
      const c = returnUpTo("return-reason");
      c.send("dunno");
      c.send("no idea");
      const out = c.send("whatever");
      expect(out.event).toBe("no-match");
      expect(out.response).toMatchObject({
        botState: "Complete",
        intent: "Handover",
        slotValues: { orderNumber: "A-12345", topic: "return" },
        parameters: { handoverReason: 'no valid answer to "return-reason" after 3 attempts' },
      });
      expect(out.response.errorInfo).toBeUndefined();
      expect(c.texts).toEqual(["Sorry, I couldn't understand that. Let me connect you with a colleague."]);
    });

    it("hands over in German in German, with the same intent and reason", () => {
      const c = chat({ languageCode: "de-de" });
      c.send("lila");
      c.send("Elefanten");
      const out = c.send("tanzen");
      expect(c.texts).toEqual(["Ich habe Schwierigkeiten, Sie zu verstehen. Ich verbinde Sie mit einem Kollegen."]);
      expect(out.response).toMatchObject({ botState: "Complete", intent: "Handover", parameters: { handoverReason: "menu not understood after 3 attempts" } });
    });

    it("re-prompts on an empty message without counting a miss", () => {
      const c = chat();
      c.send("nonsense");
      const out = c.send("   ");
      expect(out.event).toBe("reprompted");
      expect(c.state?.awaiting).toEqual({ node: "menu", attempts: 1 });
      expect(c.texts).toEqual(["What can I help you with?"]);
    });
  });

  describe("optional question", () => {
    it("is skipped by its button, leaving the variable unset", () => {
      const c = returnUpTo("return-comment");
      expect(c.buttonLabels).toEqual(["Skip"]);
      expect(c.button("Skip").payload).toBe("return-comment#__skip__");
      const out = c.click("Skip");
      expect(out.event).toBe("skipped");
      expect(c.state?.vars).not.toHaveProperty("comment");
      expect(c.state?.awaiting?.node).toBe("return-confirm");
    });

    it.each(["skip", "Nothing.", "no"])("is skipped by the word %j", (word) => {
      const c = returnUpTo("return-comment");
      expect(c.send(word).event).toBe("skipped");
      expect(c.state?.awaiting?.node).toBe("return-confirm");
    });

    it("is answered by other text", () => {
      const c = returnUpTo("return-comment");
      expect(c.send("The box is dented").event).toBe("answered");
      expect(c.state?.vars.comment).toBe("The box is dented");
    });
  });

  describe("interrupts", () => {
    it("by a phrase inside an answer to a non-free-text question", () => {
      const c = returnUpTo("return-order-number");
      const out = c.send("can I speak to a human please");
      expect(out.event).toBe("interrupted");
      expect(out.response.intent).toBe("AgentRequested");
    });

    it("only by the exact word inside a free-text question", () => {
      const rude = returnUpTo("return-comment");
      expect(rude.send("the agent was rude").event).toBe("answered");
      expect(rude.state?.vars.comment).toBe("the agent was rude");
      const exact = returnUpTo("return-comment");
      expect(exact.send("Agent!").event).toBe("interrupted");
      expect(exact.last.response.intent).toBe("AgentRequested");
    });

    it("keeps what the conversation learned in the hand-over slots", () => {
      const c = chat();
      c.click("Track an order");
      const out = c.send("agent");
      expect(out.response.slotValues).toEqual({ reason: "customer request", topic: "order" });
    });

    it("by a button payload, even an old tagged one", () => {
      const c = returnUpTo("item-count");
      const out = c.turn({ kind: "button", text: "Start a return", payload: "_#start-return" });
      expect(out.event).toBe("interrupted");
      expect(c.state?.awaiting).toEqual({ node: "return-order-number", attempts: 0 });
    });

    it("by a button payload at the start of a new session (the card of a completed order)", () => {
      const c = new Chat(bot);
      const out = c.turn({ kind: "button", text: "Start a return", payload: "_#start-return" });
      expect(out.event).toBe("interrupted");
      expect(c.texts).toEqual(["Which order is the return for? The number looks like A-12345."]);
    });

    it("a button of the current question answers it even when its label is an interrupt word", () => {
      const c = chat();
      const out = c.click("Talk to an agent");
      expect(out.event).toBe("answered");
      expect(out.response).toMatchObject({ botState: "Complete", intent: "AgentRequested", slotValues: { reason: "customer request", topic: "agent" } });
    });
  });

  describe("stale buttons", () => {
    it("get a message and the current question again, without consuming an attempt", () => {
      const c = chat();
      const oldReturn = c.button("Return an item");
      c.click("Track an order");
      c.send("not a number");
      expect(c.state?.awaiting).toEqual({ node: "order-number", attempts: 1 });
      const out = c.turn({ kind: "button", text: oldReturn.text, payload: oldReturn.payload });
      expect(out.event).toBe("stale-button");
      expect(c.texts).toEqual(["That button belongs to an earlier question.", "What's your order number? It looks like A-12345."]);
      expect(c.state?.awaiting).toEqual({ node: "order-number", attempts: 1 });
      expect(c.state?.vars.topic).toBe("order");
    });

    it("from an ended session are stale too", () => {
      const c = returnUpTo("item-count");
      const out = c.turn({ kind: "button", text: "Yes", payload: "_#yes" });
      expect(out.event).toBe("stale-button");
    });

    it("in German use the bot's German system message", () => {
      const c = chat({ languageCode: "de-de" });
      const old = c.button("Bestellung verfolgen");
      c.click("Bestellung verfolgen");
      c.turn({ kind: "button", text: old.text, payload: old.payload });
      expect(c.texts[0]).toBe("Diese Schaltfläche gehört zu einer früheren Frage.");
    });
  });

  describe("complete", () => {
    it("order status: the card, then a question so its Start a return button still works; intent, slots and parameters", () => {
      const c = chat();
      c.click("Track an order");
      const shown = c.send("a12340");
      expect(shown.response.botState).toBe("MoreData");
      expect(c.texts).toEqual(["Order a12340", "Is there anything else I can help you with?"]);
      expect(c.button("Start a return").payload).toBe("order-anything-else#start-return");
      const out = c.click("No");
      expect(out.response).toMatchObject({
        botState: "Complete",
        intent: "OrderStatus",
        confidence: 1,
        slotValues: { orderNumber: "a12340", orderStatus: "delayed" },
        parameters: { lastTopic: "order" },
      });
      expect(Object.keys(out.response.slotValues ?? {})).toEqual(["orderNumber", "orderStatus"]);
      expect(out.state.ended).toBe("Complete");
    });

    it("the card's Start a return button restarts the return path while the session waits", () => {
      const c = chat();
      c.click("Track an order");
      c.send("A-12345");
      const out = c.click("Start a return");
      expect(out.event).toBe("interrupted");
      expect(c.texts).toEqual(["Which order is the return for? The number looks like A-12345."]);
    });

    it("a shipped order when the number does not end in 0; yes goes back to the menu", () => {
      const c = chat();
      c.click("Track an order");
      c.send("A-12345");
      expect(c.state?.vars.orderStatus).toBe("shipped");
      c.send("yes please");
      expect(c.state?.awaiting?.node).toBe("menu");
    });

    it("return: every answer type, slots in their Genesys formats", () => {
      const c = returnUpTo("return-comment");
      expect(c.state?.vars).toMatchObject({ orderNumber: "A-12345", returnReason: "wrong-size", itemCount: 2, refundMethod: "credit", pickupDate: "2026-03-11", labelEmail: "ada@example.com" });
      c.send("The box is dented");
      expect(c.texts[0]).toBe(
        "I'll book a pickup of 2 item(s) from order A-12345 on 2026-03-11 and email the label to ada@example.com. Shall I go ahead?",
      );
      expect(c.buttonLabels).toEqual(["Yes", "No"]);
      const out = c.click("Yes");
      expect(out.response).toEqual({
        botState: "Complete",
        replymessages: [{ type: "Text", text: "Done! The label is on its way to ada@example.com." }],
        intent: "ReturnCreated",
        confidence: 1,
        slotValues: {
          orderNumber: "A-12345",
          returnReason: "wrong-size",
          itemCount: 2,
          refundToStoreCredit: true,
          pickupDate: "2026-03-11T00:00:00",
          labelEmail: "ada@example.com",
          comment: "The box is dented",
        },
        parameters: { lastTopic: "return" },
      });
    });

    it("return with a skipped comment and refund to card leaves the comment slot out", () => {
      const c = chat();
      c.send("refund");
      c.send("A-55555");
      c.send("it's broken");
      c.send("1");
      expect(c.buttonLabels).toEqual(["Refund to card", "Take store credit"]);
      expect(c.last.response.replymessages.map((m) => m.content?.[0]?.contentType ?? m.type)).toEqual(["Text", "Carousel"]);
      c.send("card");
      c.send("2026-03-20");
      c.send("ada@example.com");
      c.send("skip");
      const out = c.send("yes");
      expect(out.response.slotValues).toEqual({
        orderNumber: "A-55555",
        returnReason: "damaged",
        itemCount: 1,
        refundToStoreCredit: false,
        pickupDate: "2026-03-20T00:00:00",
        labelEmail: "ada@example.com",
      });
    });

    it("validates the answers on the way: count range, date range, email", () => {
      const c = returnUpTo("item-count");
      c.send("25");
      expect(c.texts).toEqual(["Please give a number between 1 and 20."]);
      c.send("3");
      c.send("credit");
      c.send("today");
      expect(c.texts).toEqual(["Please pick a day between tomorrow and two weeks from now."]);
      c.send("2026-03-25");
      expect(c.state?.awaiting).toEqual({ node: "pickup-date", attempts: 2 });
      c.send("2026-03-24");
      c.send("ada@example");
      expect(c.texts).toEqual(["That doesn't look like an email address."]);
    });

    it("declining the return goes back to the menu", () => {
      const c = returnUpTo("return-comment");
      c.send("skip");
      const out = c.send("no");
      expect(out.response.botState).toBe("MoreData");
      expect(c.texts).toEqual(["No problem, I haven't booked anything.", "What can I help you with?"]);
      expect(c.state?.awaiting?.node).toBe("menu");
    });

    it("goodbye completes with an intent without slots", () => {
      const c = chat();
      const out = c.click("Nothing, thanks");
      expect(out.response).toEqual({
        botState: "Complete",
        replymessages: [{ type: "Text", text: "Thanks for chatting with Acme. Have a great day!" }],
        intent: "Goodbye",
        confidence: 1,
      });
    });
  });

  describe("languages", () => {
    it.each([
      ["de-de", "Wobei kann ich Ihnen helfen?"],
      ["de", "Wobei kann ich Ihnen helfen?"],
      ["de-ch", "Wobei kann ich Ihnen helfen?"],
      ["en-us", "What can I help you with?"],
      ["fr-fr", "What can I help you with?"],
      [undefined, "What can I help you with?"],
    ])("languageCode %s", (languageCode, prompt) => {
      const c = chat({ languageCode });
      expect(c.texts).toContain(prompt);
    });

    it("runs the return path in German: German words, decimal-free numbers, 'morgen', Ja/Nein", () => {
      const c = chat({ languageCode: "de-de", parameters: { customerName: "Ada" } });
      expect(c.texts[0]).toBe("Hallo Ada! Ich bin Ava, die virtuelle Assistentin von Acme.");
      expect(c.buttonLabels).toEqual(["Bestellung verfolgen", "Artikel zurückgeben", "Mit einem Menschen sprechen", "Nichts, danke"]);
      c.send("Retoure");
      c.send("A-12345");
      c.send("zu klein");
      c.send("zwei, nein 2");
      c.click("Gutschrift nehmen");
      c.send("morgen");
      c.send("ada@example.com");
      expect(c.buttonLabels).toEqual(["Überspringen"]);
      c.send("Überspringen");
      expect(c.buttonLabels).toEqual(["Ja", "Nein"]);
      const out = c.send("Ja");
      expect(out.response.slotValues).toMatchObject({ returnReason: "wrong-size", itemCount: 2, pickupDate: "2026-03-11T00:00:00", refundToStoreCredit: true });
      expect(c.texts).toEqual(["Erledigt! Das Etikett ist unterwegs an ada@example.com."]);
    });

    it("understands a day-first date in German", () => {
      const c = returnUpTo("pickup-date");
      const de = new Chat(bot, { languageCode: "de-de", state: c.state });
      de.send("20.03.2026");
      expect(de.state?.vars.pickupDate).toBe("2026-03-20");
    });

    it("German interrupt words", () => {
      const c = chat({ languageCode: "de-de" });
      const out = c.send("Ich möchte mit einem Mitarbeiter sprechen");
      expect(out.response.intent).toBe("AgentRequested");
      expect(c.texts).toEqual(["Gerne, ich verbinde Sie jetzt mit einem Kollegen."]);
    });
  });

  describe("sessions", () => {
    it("keeps the first turn's Architect parameters on later turns and takes updates", () => {
      const c = chat({ parameters: { customerName: "Ada" } });
      c.click("Track an order");
      expect(c.state?.params).toEqual({ customerName: "Ada" });
      c.send("A-1", { parameters: { customerTier: "gold" } });
      expect(c.state?.params).toEqual({ customerName: "Ada", customerTier: "gold" });
    });

    it("restarts an ended session", () => {
      const c = chat();
      c.click("Nothing, thanks");
      expect(c.state?.ended).toBe("Complete");
      const out = c.send("");
      expect(out.event).toBe("started");
      expect(out.state.turns).toBe(1);
      expect(out.state.ended).toBeUndefined();
      expect(out.state.vars).toEqual({});
      expect(c.texts).toContain("What can I help you with?");
    });

    it("starts over when the stored session belongs to another bot version", () => {
      const c = chat();
      c.click("Track an order");
      const other = { ...(c.state as NonNullable<typeof c.state>), botVersion: "0.9" };
      const out = runTurn(bot, other, turnRequest({ kind: "text", text: "" }), { now: NOW });
      expect(out.event).toBe("started");
      expect(out.state.botVersion).toBe("1.0");
      expect(out.state.vars).toEqual({});
    });

    it("starts over when the awaited node no longer exists (a definition changed between deploys)", () => {
      const c = chat();
      const stale = { ...(c.state as NonNullable<typeof c.state>), awaiting: { node: "removed-node", attempts: 2 } };
      const out = runTurn(bot, stale, turnRequest({ kind: "text", text: "" }), { now: NOW });
      expect(out.event).toBe("started");
      expect(out.state.awaiting).toEqual({ node: "menu", attempts: 0 });
    });

    it("counts turns and does not modify the stored state it was given", () => {
      const c = chat();
      const stored = JSON.parse(JSON.stringify(c.state)) as NonNullable<typeof c.state>;
      const copy = JSON.stringify(stored);
      const out = runTurn(bot, stored, turnRequest({ kind: "text", text: "refund" }), { now: NOW });
      expect(out.state.turns).toBe(2);
      expect(JSON.stringify(stored)).toBe(copy);
    });
  });
});
