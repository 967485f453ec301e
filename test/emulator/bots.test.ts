import { createEmulator, type Emulator, type EmulatorOptions } from "../../emulator/emulator";
import { type EmulatorEvent } from "../../emulator/events";
import { FlowLoadError } from "../../emulator/flow/load";
import { twoBotArtifacts } from "../fixtures/twoBots";
import { Chat, flowEvents, request, shown, startFakeBot, type FakeBot } from "./harness";

const APOLOGY = "Sorry, I'm having a technical problem. Let me get you to a colleague.";

const artifacts = twoBotArtifacts();

/** An emulator in front of a fake bot, started before and stopped after the tests of the describe it is called in. */
function emulatorAgainstFakeBot(options: Omit<EmulatorOptions, "flowYaml" | "botList" | "botConnector">) {
  const running = {} as { bot: FakeBot; emulator: Emulator; url: string };
  beforeAll(async () => {
    running.bot = await startFakeBot();
    running.emulator = createEmulator({ flowYaml: artifacts.acme, botList: artifacts.botList, botConnector: { url: running.bot.url, credentials: {} }, ...options });
    running.url = await running.emulator.listen(0);
  });
  afterAll(async () => {
    await running.emulator?.close();
    await running.bot?.close();
  });
  return running;
}

describe("an emulator playing the flows of several bots", () => {
  const running = emulatorAgainstFakeBot({ moreFlows: [{ yaml: artifacts.pizza, source: "bots/pizza/architect-flow.yaml" }], messenger: { botDisplayName: "Ava (dev)" } });

  test("describes every flow for the bot picker: its bot, languages, participant data and the name Messenger shows", async () => {
    const info = (await request(`${running.url}/api/info`, "GET")).body as { bots: Array<Record<string, unknown>>; bot: { id: string } };
    expect(info.bot.id).toBe("acme-support");
    expect(info.bots).toEqual([
      expect.objectContaining({
        id: "acme-support",
        bot: expect.objectContaining({ name: "Acme Support", version: "1.0" }),
        flow: expect.objectContaining({ languages: ["en-us", "de-de"], followUpTimeoutMs: 30 * 60_000 }),
        participantDataRead: ["customerName", "customerTier"],
        messenger: expect.objectContaining({ botDisplayName: "Ava (dev)" }),
      }),
      expect.objectContaining({
        id: "pizza",
        bot: expect.objectContaining({ name: "Pizza Palace", intents: ["PizzaOrdered", "AgentRequested"] }),
        flow: expect.objectContaining({ languages: ["en-us"], defaultLanguage: "en-us" }),
        messenger: expect.objectContaining({ botDisplayName: "Pizza Palace" }),
      }),
    ]);
  });

  test("a conversation plays the flow of the bot it picks, and Genesys's call names that bot", async () => {
    running.bot.answer({ body: { botState: "MoreData", replymessages: [{ type: "Text", text: "Hello" }] } });
    const before = running.bot.requests.length;
    const pizza = await Chat.start(running.url, { bot: "pizza" });
    expect(pizza.status).toBe("waiting");
    expect(running.bot.requests[before]?.body).toMatchObject({ botId: "Pizza Palace", chatBot: { id: "pizza", name: "Pizza Palace" }, languageCode: "en-us" });
    const acme = await Chat.start(running.url, {});
    expect(running.bot.requests[before + 1]?.body).toMatchObject({ botId: "Acme Support", chatBot: { id: "acme-support" } });
    expect(acme.events[0]).toMatchObject({ type: "started", flow: "Acme Virtual Agent DEV Inbound Message" });
  });

  test("an unknown bot, or a language the picked flow does not support, is a 400 naming what there is", async () => {
    const unknown = await request(`${running.url}/api/conversations`, "POST", { bot: "tacos" });
    expect(unknown).toEqual({ status: 400, body: { error: "unknown_bot", message: "the emulator plays the flows of acme-support, pizza, not of tacos" } });
    const german = await request(`${running.url}/api/conversations`, "POST", { bot: "pizza", language: "de-de" });
    expect(german).toEqual({ status: 400, body: { error: "unsupported_language", message: "the flow supports en-us, not de-de" } });
  });

  test("two flows calling the same bot are refused at load", () => {
    expect(() =>
      createEmulator({
        flowYaml: artifacts.pizza,
        moreFlows: [{ yaml: artifacts.pizza, source: "copy.yaml" }],
        botList: artifacts.botList,
        botConnector: { url: running.bot.url, credentials: {} },
      }),
    ).toThrow(new FlowLoadError("copy.yaml", ['calls bot "pizza", as Acme Virtual Agent DEV Inbound Message does; play one flow per bot']));
  });
});

/** The tester's control for the Follow-up Response Timeout (the dev flow waits 30 minutes). */
describe("firing the follow-up timeout", () => {
  const running = emulatorAgainstFakeBot({ autoStart: false });
  const fire = (id: string) => request(`${running.url}/api/conversations/${id}/follow-up-timeout`, "POST");

  test("runs the flow's timeout path at once: the failure path's message, then the transfer to the queue", async () => {
    running.bot.answer({ body: { botState: "MoreData", replymessages: [{ type: "Text", text: "Which order?" }] } });
    const chat = await Chat.start(running.url, {});
    // Without auto-start the flow waits for the first message, which is no bot's follow-up.
    expect(await fire(chat.id)).toEqual({ status: 409, body: { error: "not_waiting", message: expect.stringContaining("not waiting for the customer's answer to the bot") } });
    await chat.say("hello");
    expect(chat.status).toBe("waiting");

    const fired = await fire(chat.id);
    expect(fired.status).toBe(200);
    const events = fired.body.events as EmulatorEvent[];
    expect(fired.body.status).toBe("ended");
    expect(flowEvents(events, "failure")).toEqual([
      expect.objectContaining({ errorType: "FollowUpResponseTimeout", errorMessage: "the Follow-up Response Timeout (1800000 ms) was fired from the emulator before the customer answered" }),
    ]);
    expect(shown(events)).toEqual([APOLOGY]);
    expect(flowEvents(events, "transfer")).toEqual([expect.objectContaining({ queue: "Acme Virtual Agent DEV Hand-over" })]);
    expect(await fire(chat.id)).toMatchObject({ status: 409, body: { error: "not_waiting" } });
    // The customer waits in the queue; with no agents in the emulator, a message gets the hint to start again.
    expect(await request(`${running.url}/api/conversations/${chat.id}/messages`, "POST", { text: "hello?" })).toEqual({
      status: 409,
      body: { error: "conversation_ended", message: "the conversation waits in an agent queue (transfer); the emulator has no agents, so start a new one" },
    });
  });

  test("a conversation that does not exist is a 404", async () => {
    expect((await fire("nope")).status).toBe(404);
  });
});
