import { type EmulatorEvent } from "../../emulator/events";
import { Chat, request, shown, startEmulator, startFakeBot, type FakeBot, type RunningEmulator } from "./harness";

const text = (t: string) => ({ type: "Text", text: t });
const echo = { body: { botState: "MoreData", replymessages: [text("…")] } };

/** Reads server-sent events until `count` events arrived; returns them and the stream's raw `id:` lines. */
async function readEvents(url: string, count: number, headers: Record<string, string> = {}): Promise<EmulatorEvent[]> {
  const controller = new AbortController();
  const res = await fetch(url, { headers, signal: controller.signal });
  expect(res.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  const events: EmulatorEvent[] = [];
  const deadline = Date.now() + 5000;
  while (events.length < count && Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block.split("\n").find((l) => l.startsWith("data: "));
      const id = block.split("\n").find((l) => l.startsWith("id: "));
      if (data) {
        const event = JSON.parse(data.slice(6)) as EmulatorEvent;
        expect(id).toBe(`id: ${event.seq}`);
        events.push(event);
      }
    }
  }
  controller.abort();
  return events;
}

describe("emulator HTTP API", () => {
  let bot: FakeBot;
  let emu: RunningEmulator;

  beforeAll(async () => {
    bot = await startFakeBot();
    emu = await startEmulator({ url: bot.url, credentials: {} }, { maxConversations: 3 });
  });
  afterAll(async () => {
    await emu?.close();
    await bot?.close();
  });
  beforeEach(() => bot.answer(echo));

  test("serves the chat page with a content security policy, and its info", async () => {
    const page = await fetch(emu.url + "/");
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(page.headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(await page.text()).toContain('data-testid="composer-input"');
    for (const asset of ["/app.js", "/styles.css", "/favicon.svg"]) expect((await fetch(emu.url + asset)).status).toBe(200);
    const info = (await request(emu.url + "/api/info", "GET")).body;
    expect(info).toMatchObject({
      flow: { name: "Acme Virtual Agent DEV Inbound Message", defaultLanguage: "en-us", languages: ["en-us", "de-de"] },
      bot: { id: "acme-support", name: "Acme Support", version: "1.0", intents: ["OrderStatus", "ReturnCreated", "AgentRequested", "Handover", "Goodbye"] },
      participantDataRead: ["customerName", "customerTier"],
      botConnectorUrl: bot.url,
    });
  });

  test("bad requests get a clear 4xx", async () => {
    const chat = await Chat.start(emu.url);
    const post = (body: unknown) => request(`${emu.url}/api/conversations/${chat.id}/messages`, "POST", body);
    expect(await request(`${emu.url}/api/conversations`, "POST", { language: "fr-fr" })).toMatchObject({ status: 400, body: { error: "unsupported_language", message: "the flow supports en-us, de-de, not fr-fr" } });
    expect(await request(`${emu.url}/api/conversations/nope/messages`, "POST", { text: "hi" })).toMatchObject({ status: 404, body: { error: "not_found" } });
    expect(await post({ text: "   " })).toMatchObject({ status: 400, body: { message: expect.stringContaining("text is empty") } });
    expect(await post({})).toMatchObject({ status: 400, body: { message: "send either text or button" } });
    expect(await post({ text: "x".repeat(4001) })).toMatchObject({ status: 400, body: { error: "invalid_request" } });
    expect(await post({ button: { type: "QuickReply", text: "Yes", payload: "never-shown" } })).toMatchObject({
      status: 400,
      body: { error: "unknown_button", message: 'no quick reply with payload "never-shown" was shown in this conversation' },
    });
  });

  test("after the flow ends, the customer gets 409 and a hint to start again", async () => {
    bot.answer({ body: { botState: "Complete", intent: "Goodbye", replymessages: [text("Bye")] } });
    const chat = await Chat.start(emu.url);
    expect(chat.status).toBe("ended");
    const res = await request(`${emu.url}/api/conversations/${chat.id}/messages`, "POST", { text: "hello?" });
    expect(res).toMatchObject({ status: 409, body: { error: "conversation_ended", message: "the conversation has ended (disconnect); start a new one" } });
  });

  test("messages sent while the bot is busy are queued and answered in order, one bot session", async () => {
    bot.answer((req) => ({ delayMs: 50, body: { botState: "MoreData", replymessages: [text(`echo ${(req.body.inputMessage as { text: string }).text}`)] } }));
    const chat = await Chat.start(emu.url);
    const sends = ["one", "two", "three"].map((t) => request(`${emu.url}/api/conversations/${chat.id}/messages`, "POST", { text: t }));
    const replies = await Promise.all(sends);
    expect(replies.map((r) => r.body.handled)).toEqual([true, true, true]);
    const state = (await request(`${emu.url}/api/conversations/${chat.id}`, "GET")).body as { events: EmulatorEvent[] };
    expect(shown(state.events)).toEqual(["echo ", "echo one", "echo two", "echo three"]);
    const sessions = state.events.flatMap((e) => (e.type === "call" ? [e.request.botSessionId] : []));
    expect(new Set(sessions).size).toBe(1);
  });

  test("server-sent events: replay, live events, and resume from Last-Event-ID", async () => {
    const chat = await Chat.start(emu.url);
    const url = `${emu.url}/api/conversations/${chat.id}/events`;
    const initial = chat.events.length;
    const replay = await readEvents(url, initial);
    expect(replay.map((e) => e.seq)).toEqual(chat.events.map((e) => e.seq));

    const live = readEvents(`${url}?after=${initial}`, 1);
    await new Promise((r) => setTimeout(r, 50));
    await chat.say("hello");
    expect((await live)[0]).toMatchObject({ seq: initial + 1, type: "customer", input: { kind: "text", text: "hello" } });

    const resumed = await readEvents(`${url}?after=0`, 2, { "last-event-id": String(chat.events.length - 2) });
    expect(resumed.map((e) => e.seq)).toEqual([chat.events.length - 1, chat.events.length]);
  });

  test("without auto-start the flow starts on the customer's first message, which is the Bot Input Text", async () => {
    const other = await startEmulator({ url: bot.url, credentials: {} }, { autoStart: false });
    try {
      const before = bot.requests.length;
      const chat = await Chat.start(other.url);
      expect(chat.status).toBe("waiting");
      expect(bot.requests.length).toBe(before);
      await chat.say("Where is my order?");
      expect(chat.calls()[0]?.request.inputMessage).toEqual({ type: "Text", text: "Where is my order?" });
    } finally {
      await other.close();
    }
  });

  test("leaving a conversation stops its flow, cancelling a bot call in flight; the oldest conversations make room", async () => {
    bot.answer(echo, { delayMs: 3000, body: { botState: "MoreData" } });
    const chat = await Chat.start(emu.url);
    const pending = request(`${emu.url}/api/conversations/${chat.id}/messages`, "POST", { text: "slow" });
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    expect((await request(`${emu.url}/api/conversations/${chat.id}`, "DELETE")).status).toBe(204);
    const res = await pending;
    expect(Date.now() - started).toBeLessThan(1500);
    expect(res.body).toMatchObject({ status: "ended", endReason: "abandoned" });
    expect((await request(`${emu.url}/api/conversations/${chat.id}`, "GET")).status).toBe(404);

    bot.answer(echo);
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await Chat.start(emu.url)).id);
    expect(emu.emulator.conversations.size).toBe(3);
    expect((await request(`${emu.url}/api/conversations/${ids[0]}`, "GET")).status).toBe(404);
    expect((await request(`${emu.url}/api/conversations/${ids[3]}`, "GET")).status).toBe(200);
  });
});
