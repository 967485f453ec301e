/**
 * Exactly-once outcomes on the DynamoDB session store: two service processes (SESSION_STORE=dynamodb) share one
 * dynalite table behind a proxy that loses the answers to chosen PutItem calls after they landed. The AWS SDK
 * retries such a write; the retry fails its own version check. The turn must recognise its own write (its turn id
 * is stored with the session) and answer what it wrote: never run again on the state it already advanced, never
 * report another outcome than the one stored. With an inin-correlation-id, the same request sent again (to either
 * process) gets the stored answer without a second step; without one, the SDK's retry is still recognised.
 */
import { randomUUID } from "node:crypto";
import { ensureSessionTable } from "../../scripts/session-table-create";
import { DynamoSessionStore, sdkTimeouts } from "../../service/src/sessions/dynamoStore";
import { postTurn, type ServiceProcess, startServiceProcess } from "../load/serviceProcess";
import { clientConfig, localClient, type Restartable, startDynalite } from "../sessions/localDynamo";
import { type LossyProxy, startLossyProxy } from "./lossyProxy";

const TABLE = "sessions-exactly-once";
/**
 * The turn budget: large, so that the ordinary turns around each case never fail on a saturated machine (the SDK's
 * attempt timeout sized from it is its ceiling, 3 s, three attempts each).
 */
const BUDGET_MS = 60_000;
/** A late answer: held twice as long as the SDK waits for one, so the SDK always gives up on it and retries. */
const LATE_MS = 2 * sdkTimeouts(BUDGET_MS).requestTimeoutMs;

let db: Restartable;
let proxy: LossyProxy;
let a: ServiceProcess;
let b: ServiceProcess;
let reader: DynamoSessionStore;

beforeAll(async () => {
  db = await startDynalite();
  const admin = localClient(db.endpoint);
  await ensureSessionTable(admin, TABLE);
  admin.destroy();
  proxy = await startLossyProxy(db.port);
  const env = {
    SESSION_STORE: "dynamodb",
    SESSION_TABLE: TABLE,
    TURN_BUDGET_MS: String(BUDGET_MS),
    AWS_REGION: "us-east-1",
    AWS_ENDPOINT_URL_DYNAMODB: proxy.endpoint,
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    LOG_LEVEL: "info",
  };
  // One after the other, each kept as soon as it runs, so afterAll stops whichever started.
  reader = new DynamoSessionStore({ tableName: TABLE, turnBudgetMs: BUDGET_MS, clientConfig: clientConfig(db.endpoint) });
  a = await startServiceProcess(env);
  b = await startServiceProcess(env);
});

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop(), reader?.close()]);
  await proxy?.stop();
  await db?.stop();
});

function body(sessionId: string, text: string): string {
  return JSON.stringify({
    botId: "Acme Support",
    botVersion: "1.0",
    botSessionId: sessionId,
    genesysConversationId: `conversation-${sessionId}`,
    languageCode: "en-us",
    botSessionTimeout: 60,
    chatBot: { id: "acme-support" },
    inputMessage: { type: "Text", text },
  });
}

/** A return walked up to its last question (the confirmation); the next "yes" books it. */
async function returnUpToConfirmation(svc: ServiceProcess): Promise<string> {
  const id = `once-${randomUUID()}`;
  for (const text of ["return", "A-10001", "damaged", "1", "card", "tomorrow", "ada@example.com", "The box is heavy"]) {
    const res = await postTurn(svc.url, body(id, text));
    expect(res.body.botState).toBe("MoreData");
  }
  return id;
}

async function metric(svc: ServiceProcess, pattern: RegExp): Promise<number> {
  const text = await (await fetch(`${svc.url}/metrics`)).text();
  return Number(pattern.exec(text)?.[1] ?? 0);
}

const OWN_WRITE = /botconnector_turns_replayed_total\{reason="own_write"\} (\d+)/;
const REPEAT = /botconnector_turns_replayed_total\{reason="repeat"\} (\d+)/;

describe.each([
  ["dropped (the connection cut after the write landed)", { kind: "drop" } as const],
  ["late (held past the SDK's attempt timeout)", { kind: "delay", ms: LATE_MS } as const],
])("the answer to a write that landed is %s", (_label, loss) => {
  test.each([
    ["without an inin-correlation-id", {}],
    ["with an inin-correlation-id", { "inin-correlation-id": `corr-${randomUUID()}` }],
  ])("%s: the booked return reaches Genesys once, as Complete", async (_label2, headers: Record<string, string>) => {
    const id = await returnUpToConfirmation(a);
    const before = await reader.load(id);
    const ownWrites = await metric(a, OWN_WRITE);
    proxy.loseWrites(id, 1, loss);

    const done = await postTurn(a.url, body(id, "yes"), headers);

    // The SDK really retried: the write was sent twice, its first answer lost.
    expect(proxy.writes(id)).toMatchObject({ lost: 1 });
    expect(proxy.writes(id).calls).toBeGreaterThanOrEqual(2);
    expect(done.body).toMatchObject({ botState: "Complete", intent: "ReturnCreated" });
    const stored = await reader.load(id);
    expect(stored?.state.ended).toBe("Complete");
    // One step: the turn did not run again on the state it had already advanced.
    expect(stored?.state.turns).toBe(before!.state.turns + 1);
    expect(stored?.version).toBe(before!.version + 1);
    expect(JSON.parse(stored!.meta!.lastAnswer!)).toEqual(done.body);
    expect(await metric(a, OWN_WRITE)).toBe(ownWrites + 1);
  });
});

describe("the same request sent again, to either process", () => {
  test("with its inin-correlation-id: the stored answer, no second step; the other process knows it too", async () => {
    const id = await returnUpToConfirmation(a);
    const headers = { "inin-correlation-id": `corr-${randomUUID()}` };
    const first = await postTurn(a.url, body(id, "yes"), headers);
    expect(first.body).toMatchObject({ botState: "Complete", intent: "ReturnCreated" });
    const after = await reader.load(id);
    const repeats = await metric(b, REPEAT);

    const again = await postTurn(b.url, body(id, "yes"), headers);
    expect(again.body).toEqual(first.body);
    expect(await reader.load(id)).toEqual(after);
    expect(await metric(b, REPEAT)).toBe(repeats + 1);
  });

  test("every write's answer lost at one process: it answers Failed; sent again to the other, the stored outcome", async () => {
    const id = await returnUpToConfirmation(a);
    const headers = { "inin-correlation-id": `corr-${randomUUID()}` };
    // The first write lands; the answers to it and to every retry of it are lost.
    proxy.loseWrites(id, 10, { kind: "drop" });
    const failed = await postTurn(a.url, body(id, "yes"), headers);
    expect(failed.body).toMatchObject({ botState: "Failed" });
    const stored = await reader.load(id);
    expect(stored?.state.ended).toBe("Complete");

    // Genesys sends the turn again (here to the other process): it gets the outcome the session holds.
    const again = await postTurn(b.url, body(id, "yes"), headers);
    expect(again.body).toMatchObject({ botState: "Complete", intent: "ReturnCreated" });
    expect(again.body).toEqual(JSON.parse(stored!.meta!.lastAnswer!));
    expect((await reader.load(id))?.version).toBe(stored?.version);
  });
});
