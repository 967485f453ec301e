/**
 * A session is bound to its conversation: the same botSessionId under another genesysConversationId is answered
 * Failed SESSION_CONVERSATION_MISMATCH (Architect takes its failure path), shows nothing of the first conversation,
 * leaves its session exactly as it was, and is counted. The first conversation carries on.
 */
import { Conversation, startService, texts, type TestService } from "../service/harness";

let svc: TestService;
beforeAll(async () => {
  svc = await startService();
});
afterAll(() => svc.close());

async function mismatches(): Promise<number> {
  const text = await (await fetch(`${svc.url}/metrics`)).text();
  return Number(/botconnector_session_conversation_mismatches_total (\d+)/.exec(text)?.[1] ?? 0);
}

describe("a botSessionId arriving with another genesysConversationId", () => {
  test("is refused with Failed, sees none of the first conversation's data, and changes nothing", async () => {
    const first = new Conversation(svc, { genesysConversationId: "conversation-first", parameters: { customerName: "Ada" } });
    await first.say("return");
    await first.say("A-10001");
    const before = await svc.service.store.load(first.sessionId);
    const counted = await mismatches();

    const intruder = new Conversation(svc, { botSessionId: first.sessionId, genesysConversationId: "conversation-other" });
    const answer = await intruder.say("");
    expect(answer).toMatchObject({ botState: "Failed", errorInfo: { errorCode: "SESSION_CONVERSATION_MISMATCH" } });
    const shown = JSON.stringify(answer);
    for (const secret of ["Ada", "A-10001", "conversation-first"]) expect(shown).not.toContain(secret);
    expect(texts(answer)).toEqual([]);

    expect(await svc.service.store.load(first.sessionId)).toEqual(before);
    expect(await mismatches()).toBe(counted + 1);
    const line = svc.logs.lines.find((l) => l.msg === "turn" && l.botSessionId === first.sessionId && l.genesysConversationId === "conversation-other");
    expect(line).toMatchObject({ outcome: "conversation_mismatch", errorCode: "SESSION_CONVERSATION_MISMATCH" });

    // The first conversation goes on where it was.
    const next = await first.say("damaged");
    expect(texts(next)).toEqual(["How many items are you sending back?"]);
  });

  test("an ended session is not restarted for another conversation either", async () => {
    const first = new Conversation(svc, { genesysConversationId: "conversation-ended" });
    const menu = await first.say("");
    await first.click(menu, "Nothing, thanks");
    expect((await svc.service.store.load(first.sessionId))?.state.ended).toBe("Complete");
    const intruder = new Conversation(svc, { botSessionId: first.sessionId, genesysConversationId: "conversation-new" });
    expect((await intruder.say("")).errorInfo).toMatchObject({ errorCode: "SESSION_CONVERSATION_MISMATCH" });
  });
});
