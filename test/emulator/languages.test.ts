/**
 * The flow's own messages in the conversation's language, end to end: the dev stack's flow is rendered, loaded and
 * run by the emulator; a German conversation that meets a technical failure gets the German apology from the flow's
 * Switch on Message.Language, and the agent's participant data names the reason.
 */
import { FaultyStore } from "../service/faultyStore";
import { startService, TOKEN, type TestService } from "../service/harness";
import { TURN_ROUTE } from "../../service/src/server";
import { Chat, shown, startEmulator, startFakeBot, type FakeBot, type RunningEmulator } from "./harness";

const GERMAN_APOLOGY = "Entschuldigung, ich habe ein technisches Problem. Ich verbinde Sie mit einem Kollegen.";
const ENGLISH_APOLOGY = "Sorry, I'm having a technical problem. Let me get you to a colleague.";
/** English words the sample bot or the flow would show; none may reach a German customer. */
const ENGLISH = /\b(sorry|the|you|your|please|colleague|help|order|hi|agent|technical)\b/i;

describe("German from greeting through a technical failure (service gone mid-conversation)", () => {
  let svc: TestService;
  let emu: RunningEmulator;

  beforeAll(async () => {
    svc = await startService({}, { now: () => new Date("2026-11-24T10:00:00Z") });
    emu = await startEmulator({ url: svc.url + TURN_ROUTE, credentials: { "verify-token": TOKEN } });
  });
  afterAll(async () => {
    await emu?.close();
    await svc?.close();
  });

  test("the flow apologises in German and the agent sees why", async () => {
    const chat = await Chat.start(emu.url, { language: "de-de" });
    await chat.click("Artikel zurückgeben");
    await svc.close();
    await chat.say("A-12345");
    const texts = shown(chat.events);
    expect(texts).toEqual([
      "Hallo und willkommen! Ich bin Ava, die virtuelle Assistentin von Acme.",
      "Wobei kann ich Ihnen helfen?",
      "Für welche Bestellung ist die Rücksendung? Die Nummer sieht so aus: A-12345.",
      GERMAN_APOLOGY,
    ]);
    expect(texts.filter((t) => ENGLISH.test(t))).toEqual([]);
    expect(chat.events.find((e) => e.type === "message" && e.message.text === GERMAN_APOLOGY)).toMatchObject({ origin: "flow" });
    expect(chat.flow("failure")[0]).toMatchObject({ errorType: "ServiceProviderErrorResponse" });
    expect(chat.flow("transfer")[0]).toMatchObject({
      action: "Transfer to ACD (failure)",
      participantData: { "virtualAgent.outcome": "failure", "virtualAgent.handoverReason": expect.stringMatching(/^technical failure/) },
    });
  });
});

describe("the service answers Failed itself (its session store gone mid-conversation)", () => {
  let store: FaultyStore;
  let svc: TestService;
  let emu: RunningEmulator;

  beforeAll(async () => {
    store = new FaultyStore();
    svc = await startService({}, { store, now: () => new Date("2026-11-24T10:00:00Z") });
    emu = await startEmulator({ url: svc.url + TURN_ROUTE, credentials: { "verify-token": TOKEN } });
  });
  afterAll(async () => {
    await emu?.close();
    await svc?.close();
  });

  test.each([
    ["de-de", GERMAN_APOLOGY],
    ["en-us", ENGLISH_APOLOGY],
  ])("in %s the customer reads one apology, the flow's %j, never two", async (language, apology) => {
    store.down = false;
    const chat = await Chat.start(emu.url, { language });
    const greeting = shown(chat.events);
    store.down = true;
    await chat.say("A-12345");
    expect(chat.flow("failure")[0]).toMatchObject({ errorType: "BotFailed" });
    expect(shown(chat.events).slice(greeting.length)).toEqual([apology]);
  });
});

describe("the failure path's message per conversation language", () => {
  let bot: FakeBot;
  let emu: RunningEmulator;

  beforeAll(async () => {
    bot = await startFakeBot();
    emu = await startEmulator({ url: bot.url, credentials: { "verify-token": "fake" } });
  });
  afterAll(async () => {
    await emu?.close();
    await bot?.close();
  });

  test.each([
    ["en-us", ENGLISH_APOLOGY],
    ["de-de", GERMAN_APOLOGY],
    ["de-DE", GERMAN_APOLOGY],
  ])("a bot answering 500 in %s: the flow's apology is %j", async (language, apology) => {
    bot.answer({ status: 500, body: { error: "boom" } });
    const chat = await Chat.start(emu.url, { language });
    expect(shown(chat.events)).toEqual([apology]);
    expect(chat.flow("transfer")[0]?.participantData).toMatchObject({ "virtualAgent.outcome": "failure" });
  });

  test("a bot that answers Failed with its own German message: the flow's German apology follows, nothing English", async () => {
    bot.answer({ body: { botState: "Failed", replymessages: [{ type: "Text", text: "Da ist etwas schiefgelaufen." }], errorInfo: { errorCode: "X", errorMessage: "x" } } });
    const chat = await Chat.start(emu.url, { language: "de-de" });
    expect(shown(chat.events)).toEqual(["Da ist etwas schiefgelaufen.", GERMAN_APOLOGY]);
  });
});
