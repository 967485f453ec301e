import { type MessageDef } from "../../service/src/bots/definition";
import { appendQuickReplies, quickReply, type RenderContext, renderMessages, splitPayload, tagPayloads } from "../../service/src/engine/content";
import { type ReplyMessage } from "../../service/src/protocol/types";

const ctx = (language = "en-us", textLimit = 4000): RenderContext => ({
  language,
  defaultLanguage: "en-us",
  scope: { vars: { order: "A-12345" }, params: { name: "Ada" }, language },
  textLimit,
});

const card = {
  title: { "en-us": "Order {{vars.order}}", "de-de": "Bestellung {{vars.order}}" },
  description: "For {{params.name}}",
  image: "https://img.example/p.png",
  defaultAction: { type: "link" as const, label: "Open", url: "https://track.example/1" },
  actions: [
    { type: "link" as const, label: { "en-us": "Track", "de-de": "Verfolgen" }, url: "https://track.example/1" },
    { type: "postback" as const, label: "Return", payload: "start-return" },
  ],
};

describe("renderMessages", () => {
  it("renders text in the customer's language with templates", () => {
    const defs: MessageDef[] = [{ text: { "en-us": "Hi {{params.name}}", "de-de": "Hallo {{params.name}}" } }];
    expect(renderMessages(defs, ctx("de-de"))).toEqual([{ type: "Text", text: "Hallo Ada" }]);
    expect(renderMessages(defs, ctx("fr-fr"))).toEqual([{ type: "Text", text: "Hi Ada" }]);
  });

  it("renders text with quick replies, and quick replies alone, as Structured QuickReply content", () => {
    const defs: MessageDef[] = [
      { text: "Pick", quickReplies: [{ label: "A", payload: "a", image: "https://img.example/a.png" }, { label: { "en-us": "B", "de-de": "Be" }, payload: "b" }] },
      { quickReplies: [{ label: "C", payload: "c" }] },
    ];
    expect(renderMessages(defs, ctx())).toEqual([
      {
        type: "Structured",
        text: "Pick",
        content: [
          { contentType: "QuickReply", quickReply: { text: "A", payload: "a", image: "https://img.example/a.png", action: "Message" } },
          { contentType: "QuickReply", quickReply: { text: "B", payload: "b", action: "Message" } },
        ],
      },
      { type: "Structured", content: [{ contentType: "QuickReply", quickReply: { text: "C", payload: "c", action: "Message" } }] },
    ]);
  });

  it("renders a card with title, description, image, default action, link and postback actions", () => {
    expect(renderMessages([{ card }], ctx("de-de"))).toEqual([
      {
        type: "Structured",
        content: [
          {
            contentType: "Card",
            card: {
              title: "Bestellung A-12345",
              description: "For Ada",
              image: "https://img.example/p.png",
              defaultAction: { type: "Link", text: "Open", url: "https://track.example/1" },
              actions: [
                { type: "Link", text: "Verfolgen", url: "https://track.example/1" },
                { type: "Postback", text: "Return", payload: "start-return" },
              ],
            },
          },
        ],
      },
    ]);
  });

  it("renders a carousel as one Structured message with its cards", () => {
    const [message] = renderMessages([{ carousel: [card, { title: "Second", actions: [{ type: "postback", label: "Pick", payload: "p2" }] }] }], ctx());
    expect(message?.type).toBe("Structured");
    const content = message?.content?.[0];
    expect(content?.contentType).toBe("Carousel");
    if (content?.contentType !== "Carousel") throw new Error("not a carousel");
    expect(content.carousel.cards.map((c) => c.title)).toEqual(["Order A-12345", "Second"]);
    expect(content.carousel.cards[1]).toEqual({ title: "Second", actions: [{ type: "Postback", text: "Pick", payload: "p2" }] });
  });

  it("cuts text longer than the channel limit with an ellipsis, after rendering templates", () => {
    const [message] = renderMessages([{ text: "{{params.name}}".repeat(10) }], ctx("en-us", 10));
    expect(message?.text).toBe("AdaAdaAda…");
    expect(message?.text).toHaveLength(10);
  });
});

describe("appendQuickReplies", () => {
  const replies = [quickReply("Yes", "yes"), quickReply("No", "no")];
  it("turns a trailing text message into a Structured one with the buttons", () => {
    const messages: ReplyMessage[] = [{ type: "Text", text: "Sure?" }];
    appendQuickReplies(messages, replies);
    expect(messages).toEqual([{ type: "Structured", text: "Sure?", content: replies }]);
  });
  it("adds to trailing quick replies", () => {
    const messages: ReplyMessage[] = [{ type: "Structured", text: "Pick", content: [quickReply("A", "a")] }];
    appendQuickReplies(messages, replies);
    expect(messages[0]?.content?.map((c) => (c.contentType === "QuickReply" ? c.quickReply.payload : "?"))).toEqual(["a", "yes", "no"]);
  });
  it("puts them into a message of their own after a card, and does nothing without buttons", () => {
    const messages = renderMessages([{ card }], ctx());
    appendQuickReplies(messages, replies);
    expect(messages).toHaveLength(2);
    expect(messages[1]).toEqual({ type: "Structured", content: replies });
    appendQuickReplies(messages, []);
    expect(messages).toHaveLength(2);
  });
});

describe("payload tagging", () => {
  it("tags every quick reply and postback with the question, leaving links alone", () => {
    const messages = renderMessages([{ text: "Pick", quickReplies: [{ label: "A", payload: "a" }] }, { card }, { carousel: [card] }], ctx());
    tagPayloads(messages, "menu");
    const payloads = JSON.stringify(messages).match(/"payload":"[^"]*"/g);
    expect(payloads).toEqual(['"payload":"menu#a"', '"payload":"menu#start-return"', '"payload":"menu#start-return"']);
    expect(JSON.stringify(messages)).toContain('"url":"https://track.example/1"');
  });

  it("splits a tagged payload at the first '#' and leaves untagged ones alone", () => {
    expect(splitPayload("menu#order")).toEqual({ tag: "menu", payload: "order" });
    expect(splitPayload("_#start-return")).toEqual({ tag: "_", payload: "start-return" });
    expect(splitPayload("order")).toEqual({ payload: "order" });
    expect(splitPayload("a#b#c")).toEqual({ tag: "a", payload: "b#c" });
  });
});
