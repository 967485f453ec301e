/**
 * The Digital Bot Connector's contract over real HTTP, with requests written from the customer API specification's
 * examples (docs/digital-bot-connector.md): the manifest, one bot, the message endpoint's request variants, the
 * answer's shapes (replyMessages, typed entities as strings, errorInfo), the connection secret on every route, and
 * v2's error semantics (4xx for logical errors, which Genesys does not retry; 5xx, which it does).
 */
import { buildBotList } from "../../service/src/bots/botList";
import { DIGITAL_ROUTES } from "../../service/src/protocol/v2/types";
import { TOKEN } from "../service/harness";
import { call, DigitalGenesys, replyButtons, replyTexts, startDigital, type DigitalSetup } from "./harness";

describe("Digital Bot Connector contract", () => {
  let setup: DigitalSetup;
  const now = new Date("2026-11-24T10:00:00Z");

  beforeAll(async () => {
    setup = await startDigital({ overrides: { now: () => now } });
  });
  afterAll(() => setup.close());

  describe("GET /bots", () => {
    test("answers {entities: [Bot]} with every field the spec requires, provider and description included", async () => {
      const res = await call(setup.svc, "GET", DIGITAL_ROUTES.bots);
      expect(res.status).toBe(200);
      const bots = res.body.entities as Array<Record<string, unknown>>;
      expect(bots.map((b) => b.id)).toEqual(["acme-support"]);
      const bot = bots[0] as { versions: Array<{ version: string; supportedLanguages: string[]; intents: Array<{ name: string; entities?: unknown[] }> }> };
      expect(bot).toMatchObject({
        id: "acme-support",
        name: "Acme Support",
        provider: "Genesys virtual agent",
        description: "Order status, returns and hand-over to an agent for Acme's web shop",
      });
      expect(bot.versions.map((v) => [v.version, v.supportedLanguages])).toEqual([["1.0", ["en-us", "de-de"]]]);
      const intents = bot.versions[0]!.intents;
      // Slots become each intent's entities list, in declaration order; an intent without slots has none.
      expect(intents.find((i) => i.name === "OrderStatus")).toEqual({ name: "OrderStatus", entities: [{ name: "orderNumber", type: "String" }, { name: "orderStatus", type: "String" }] });
      expect(intents.find((i) => i.name === "ReturnCreated")?.entities).toContainEqual({ name: "pickupDate", type: "Datetime" });
      expect(intents.find((i) => i.name === "Goodbye")).toEqual({ name: "Goodbye" });
    });

    test("equals, where the two overlap, the v1 bot list derived from the same definitions", async () => {
      const manifest = (await call(setup.svc, "GET", DIGITAL_ROUTES.bots)).body.entities as Array<{
        id: string;
        name: string;
        description: string;
        versions: Array<{ version: string; supportedLanguages: string[]; intents: Array<{ name: string; entities?: Array<{ name: string; type: string }> }> }>;
      }>;
      const v1 = buildBotList(setup.svc.service.registry.all().map((b) => b.definition));
      expect(manifest.map((b) => ({ id: b.id, name: b.name, description: b.description }))).toEqual(
        v1.chatBots.map((b) => ({ id: b.id, name: b.name, description: b.description ?? b.name })),
      );
      const asV1 = manifest.map((b) =>
        b.versions.map((v) => ({
          version: v.version,
          supportedLanguages: v.supportedLanguages,
          intents: v.intents.map((i) => (i.entities ? { name: i.name, slots: Object.fromEntries(i.entities.map((e) => [e.name, e])) } : { name: i.name })),
        })),
      );
      expect(asV1).toEqual(v1.chatBots.map((b) => b.versions));
    });

    test("ignores query parameters (paging is not confirmed to reach the bot)", async () => {
      const res = await call(setup.svc, "GET", `${DIGITAL_ROUTES.bots}?pageSize=1&pageNumber=2`);
      expect((res.body.entities as unknown[]).length).toBe(1);
    });
  });

  describe("GET /bots/{botId}", () => {
    test("one bot, not wrapped; the version query parameter is tolerated", async () => {
      const res = await call(setup.svc, "GET", "/digitalbotconnector/bots/acme-support?version=1.0");
      expect(res.status).toBe(200);
      expect(res.body.id).toBe("acme-support");
      expect(res.body.provider).toBe("Genesys virtual agent");
      expect(res.body).not.toHaveProperty("entities");
    });

    test("an unknown id, or the right id in another case (ids are case-sensitive), is 404", async () => {
      for (const id of ["nobody", "ACME-SUPPORT"]) {
        const res = await call(setup.svc, "GET", `/digitalbotconnector/bots/${id}`);
        expect([id, res.status, res.body.error]).toEqual([id, 404, "unknown_bot"]);
      }
    });
  });

  describe("the connection secret", () => {
    test.each([
      ["GET", DIGITAL_ROUTES.bots],
      ["GET", "/digitalbotconnector/bots/acme-support"],
      ["POST", DIGITAL_ROUTES.messages],
    ] as const)("%s %s answers 403 without it, or with a wrong one, before reading the body", async (method, route) => {
      const body = method === "POST" ? { not: "even valid" } : undefined;
      const missing = await call(setup.svc, method, route, body, { "verify-token": "" });
      const wrong = await call(setup.svc, method, route, body, { "verify-token": TOKEN.replace(/.$/, "x") });
      expect([missing.status, missing.body.error]).toEqual([403, "forbidden"]);
      expect([wrong.status, wrong.body.error]).toEqual([403, "forbidden"]);
    });
  });

  describe("POST /messages", () => {
    test("the spec's example request (a quick-reply ButtonResponse, session variables) is one turn", async () => {
      const genesys = new DigitalGenesys(setup, undefined, { parameters: { customerName: "Ada", customerTier: "standard" } });
      const first = await genesys.say("");
      expect(first.status).toBe(200);
      expect(first.body.botState).toBe("MoreData");
      expect(replyTexts(first.body)).toEqual(["Hi Ada! I'm Ava, Acme's virtual assistant.", "What can I help you with?"]);
      const payload = replyButtons(first.body)["Track an order"] as string;
      const res = await genesys.click("Track an order", payload);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ botState: "MoreData", replyMessages: [{ type: "Text", text: "What's your order number? It looks like A-12345." }] });
    });

    test("MoreData carries replyMessages (never v1's replymessages), no intent and no entities", async () => {
      const genesys = new DigitalGenesys(setup);
      const res = await genesys.say("");
      expect(Object.keys(res.body).sort()).toEqual(["botState", "replyMessages"]);
      const menu = (res.body.replyMessages as Array<{ type: string; content?: Array<{ contentType: string; quickReply: { action: string } }> }>).at(-1);
      expect(menu?.type).toBe("Structured");
      expect(menu?.content?.every((c) => c.contentType === "QuickReply" && c.quickReply.action === "Message")).toBe(true);
    });

    test("Complete names one intent and sends its slots as typed entities, every value a string", async () => {
      const genesys = new DigitalGenesys(setup);
      for (const text of ["return", "A-10001", "damaged", "2", "store credit", "2026-12-01", "ada@example.com", "The box is heavy"]) {
        expect((await genesys.say(text)).body.botState).toBe("MoreData");
      }
      const done = await genesys.say("yes");
      expect(done.body.botState).toBe("Complete");
      expect(done.body.intent).toBe("ReturnCreated");
      expect(done.body.confidence).toBe(1);
      expect(done.body.entities).toEqual([
        { name: "orderNumber", type: "String", value: "A-10001" },
        { name: "returnReason", type: "String", value: "damaged" },
        { name: "itemCount", type: "Integer", value: "2" },
        { name: "refundToStoreCredit", type: "Boolean", value: "true" },
        { name: "pickupDate", type: "Datetime", value: "2026-12-01T00:00:00Z" },
        { name: "labelEmail", type: "String", value: "ada@example.com" },
        { name: "comment", type: "String", value: "The box is heavy" },
      ]);
      expect(done.body).not.toHaveProperty("slotValues");
      for (const v of Object.values(done.body.parameters as Record<string, unknown>)) expect(typeof v).toBe("string");
    });

    test("a hand-over completes with the bot's hand-over intent, like v1", async () => {
      const genesys = new DigitalGenesys(setup);
      await genesys.say("");
      const res = await genesys.say("agent");
      expect(res.body.botState).toBe("Complete");
      expect(res.body.intent).toBe("AgentRequested");
      expect((res.body.parameters as Record<string, string>).handoverReason).toEqual(expect.any(String));
    });

    test("a retry of a message (the same messageId) gets the same answer, never a second step", async () => {
      const genesys = new DigitalGenesys(setup);
      await genesys.say("");
      const body = genesys.body({ type: "Text", text: "track" });
      const first = await genesys.post(body);
      const retry = await genesys.post(body);
      expect(retry).toEqual(first);
      // The next message answers the question the first one asked: no second step was taken in between.
      const next = await genesys.say("A-12345");
      expect(replyTexts(next.body)).toEqual(["Order A-12345", "Is there anything else I can help you with?"]);
    });

    test("languageCode is compared without case and genesysConversationId may be missing", async () => {
      const genesys = new DigitalGenesys(setup);
      const { genesysConversationId: _omitted, ...body } = genesys.body({ type: "Text", text: "" });
      const res = await genesys.post({ ...body, languageCode: "DE-DE" });
      expect(res.status).toBe(200);
      expect(replyTexts(res.body)[0]).toMatch(/^Hallo/);
    });

    test.each([
      ["messageId", (b: Record<string, unknown>) => ({ ...b, messageId: undefined }), "messageId: is required"],
      ["botSessionTimeout", (b: Record<string, unknown>) => ({ ...b, botSessionTimeout: "soon" }), "botSessionTimeout: must be integer"],
      ["inputMessage.type", (b: Record<string, unknown>) => ({ ...b, inputMessage: { type: "Sticker", text: "hi" } }), "inputMessage.type: must be one of Text, Structured"],
    ])("a body without a valid %s is 400 naming the field (Genesys does not retry a 4xx)", async (field, change, message) => {
      const genesys = new DigitalGenesys(setup);
      const res = await genesys.post(JSON.parse(JSON.stringify(change(genesys.body({ type: "Text", text: "hi" })))) as Record<string, unknown>);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: "invalid_request", field, message });
    });

    test("malformed JSON is 400, not a crash", async () => {
      const res = await call(setup.svc, "POST", DIGITAL_ROUTES.messages, "{ nope");
      expect([res.status, res.body.error]).toEqual([400, "invalid_json"]);
    });

    test("an unknown bot or version is 404: the flow needs the current manifest (republish)", async () => {
      const unknownBot = await new DigitalGenesys(setup, { botId: "Acme Support", botVersion: "1.0" }).say("hi");
      const unknownVersion = await new DigitalGenesys(setup, { botId: "acme-support", botVersion: "9.9" }).say("hi");
      expect([unknownBot.status, unknownBot.body.error]).toEqual([404, "unknown_bot"]);
      expect([unknownVersion.status, unknownVersion.body.error]).toEqual([404, "unknown_version"]);
      expect(unknownVersion.body.message).toMatch(/no version "9.9"/);
    });
  });
});
