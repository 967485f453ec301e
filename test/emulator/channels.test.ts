import { RESPONSE_RULES } from "../../emulator/botConnector/rules";
import { channelNotices, CHANNEL_RULES } from "../../emulator/channels";
import { headingAnchors, read } from "../docs/markdown";
import { type Card, type ReplyMessage } from "../../service/src/protocol/types";

const link = (text: string) => ({ type: "Link" as const, text, url: "https://example.com/" + text });
const postback = (text: string) => ({ type: "Postback" as const, text, payload: text });
const cardMessage = (card: Card): ReplyMessage => ({ type: "Structured", content: [{ contentType: "Card", card }] });
const rules = (message: ReplyMessage, channel: "webmessaging" | "whatsapp" | "sms") => channelNotices(message)[channel].map((n) => `${n.severity} ${n.rule}`);

describe("channel rules", () => {
  const orderCard: Card = { title: "Order A-12345", description: "Status: shipped", image: "https://x/p.png", defaultAction: link("Track"), actions: [link("Track parcel"), postback("Start a return")] };

  test("the sample bot's order card: fine on web messaging, degraded or refused on WhatsApp, text only on SMS", () => {
    const notices = channelNotices(cardMessage(orderCard));
    expect(notices.webmessaging).toEqual([]);
    expect(notices.whatsapp.map((n) => [n.rule, n.severity, n.message])).toEqual([
      ["whatsapp-link-buttons", "refused", 'card "Order A-12345": link button "Track parcel" not supported on WhatsApp'],
      ["whatsapp-default-action", "degraded", 'card "Order A-12345": the default action (tap on the card) is ignored on WhatsApp'],
    ]);
    expect(notices.sms.map((n) => n.message)).toEqual(["SMS carries text only: the card would not be shown as such"]);
  });

  test("carousels are refused on WhatsApp; more than three buttons on a WhatsApp card", () => {
    const four = { title: "Many", actions: [postback("a"), postback("b"), postback("c"), postback("d")] };
    const carousel: ReplyMessage = { type: "Structured", content: [{ contentType: "Carousel", carousel: { cards: [four, { title: "One", actions: [postback("e")] }] } }] };
    expect(rules(carousel, "whatsapp")).toEqual(["refused whatsapp-carousel", "refused whatsapp-buttons"]);
    expect(channelNotices(carousel).whatsapp[1]?.message).toBe('carousel card "Many" has 4 buttons; WhatsApp allows 3');
    expect(rules(carousel, "webmessaging")).toEqual([]);
  });

  test("text limits per channel, and SMS segments", () => {
    const long = (n: number): ReplyMessage => ({ type: "Text", text: "x".repeat(n) });
    expect(rules(long(160), "sms")).toEqual([]);
    expect(channelNotices(long(300)).sms.map((n) => n.message)).toEqual(["a text of 300 characters goes out as 2 SMS segments"]);
    expect(rules(long(800), "sms")).toEqual(["refused text-limit"]);
    expect(rules(long(800), "webmessaging")).toEqual([]);
    expect(channelNotices(long(4001)).webmessaging.map((n) => n.message)).toEqual(["a text of 4001 characters is over the Web messaging limit of 4000"]);
  });

  test("quick replies: SMS shows text only; more than ten may not all be shown", () => {
    const replies = (n: number): ReplyMessage => ({
      type: "Structured",
      text: "Pick",
      content: Array.from({ length: n }, (_, i) => ({ contentType: "QuickReply" as const, quickReply: { text: `Option ${i}`, payload: `o${i}`, action: "Message" as const } })),
    });
    expect(rules(replies(3), "webmessaging")).toEqual([]);
    expect(rules(replies(3), "sms")).toEqual(["degraded sms-rich-content"]);
    expect(rules(replies(11), "webmessaging")).toEqual(["degraded quick-reply-count"]);
  });

  test("every rule, of channels and of answers, names a section of docs/genesys-bot-connector.md that exists", () => {
    const anchors = headingAnchors(read("docs/genesys-bot-connector.md"));
    for (const rule of [...CHANNEL_RULES, ...Object.values(RESPONSE_RULES)]) {
      const anchor = /^genesys-bot-connector\.md#([\w-]+): \S/.exec(rule.source)?.[1];
      expect([rule.source, anchor !== undefined && anchors.has(anchor)]).toEqual([rule.source, true]);
    }
  });
});
