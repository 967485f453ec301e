/**
 * Two instances of the service (two tasks behind one load balancer) sharing one DynamoDB table (dynalite, through
 * the real AWS SDK): a message answered later on one is known to the other through the session record, so a
 * retry of it reaching the other instance gets the same answer (no second step), and another message of the
 * session is answered busy until the first one's outcome is delivered.
 */
import { ensureSessionTable } from "../../scripts/session-table-create";
import { type SampleUpstreamAgent } from "../fixtures/upstreamAgent";
import { localClient, type Restartable, startDynalite } from "../sessions/localDynamo";
import { DigitalGenesys, holdNextAgentCall, replyTexts, startDigital, type DigitalSetup } from "./harness";

const TABLE = "sessions-digital";
const BOT = { botId: "acme-assistant", botVersion: "2.0" };
const savedEnv = { ...process.env };

let db: Restartable;
let a: DigitalSetup;
let b: DigitalSetup;

beforeAll(async () => {
  db = await startDynalite();
  const admin = localClient(db.endpoint);
  await ensureSessionTable(admin, TABLE);
  admin.destroy();
  Object.assign(process.env, { AWS_REGION: "us-east-1", AWS_ENDPOINT_URL_DYNAMODB: db.endpoint, AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" });
  const env = { SESSION_STORE: "dynamodb", SESSION_TABLE: TABLE };
  a = await startDigital({ bots: "assistant", env });
  b = await startDigital({ env, sharing: a });
});

afterAll(async () => {
  process.env = savedEnv;
  await b?.close();
  await a?.close();
  await db?.stop();
});

test("a reply answered later on one instance: the other replays its message and holds the session until it is delivered", async () => {
  const onA = new DigitalGenesys({ svc: a.svc, outgoing: a.outgoing }, BOT);
  const onB = new DigitalGenesys({ svc: b.svc, outgoing: b.outgoing }, BOT, {}, onA.botSessionId);

  expect((await onA.say("")).body.botState).toBe("MoreData");
  const { slow, arrived } = holdNextAgentCall(a.agent as SampleUpstreamAgent);
  const body = onA.body({ type: "Text", text: "A-12345" });
  const pending = onA.post(body);
  await arrived;
  a.clock.release("reply-window");
  const answer = await pending;
  expect(replyTexts(answer.body)).toEqual(["One moment, I'm looking into it."]);

  const calls = a.agent?.accepted.length;
  expect(await onB.post(body)).toEqual(answer);
  const busy = await onB.say("hello?");
  expect(replyTexts(busy.body)).toEqual(["I'm still working on your previous message."]);
  expect(a.agent?.accepted.length).toBe(calls);

  slow.open();
  await a.svc.service.digital?.turns.idle();
  expect(a.outgoing.accepted.map((m) => m.body.botState)).toEqual(["Complete"]);
  // Delivered and released: B serves the session again (a new bot session after Complete), and still replays the message.
  expect(await onB.post(body)).toEqual(answer);
  const next = await onB.say("hi");
  expect(next.body.botState).toBe("MoreData");
  expect(a.agent?.accepted.length).toBe((calls ?? 0) + 1);
});
