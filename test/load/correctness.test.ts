import { SCRIPTS, turnRequestBody } from "../../bench/conversations";
import { ensureSessionTable } from "../../scripts/session-table-create";
import { localClient, startDynaliteProcess } from "../sessions/localDynamo";
import { postTurn, type ServiceProcess, startServiceProcess } from "./serviceProcess";

const SESSIONS_PER_SCRIPT = 16;

type Transcript = Array<Record<string, unknown>>;

/** A turn the store could not serve in time: the service's clean answer when the table is too slow. */
const storeUnavailable = (answer: Record<string, unknown> | undefined) =>
  answer?.botState === "Failed" && (answer.errorInfo as { errorCode?: string } | undefined)?.errorCode === "SESSION_STORE_UNAVAILABLE";

async function runSession(instances: ServiceProcess[], sessionId: string, script: readonly string[], offset: number): Promise<Transcript> {
  const transcript: Transcript = [];
  for (const [i, text] of script.entries()) {
    // Consecutive turns of one session land on different processes, as behind a load balancer.
    const instance = instances[(i + offset) % instances.length] as ServiceProcess;
    const res = await postTurn(instance.url, turnRequestBody(sessionId, text));
    expect(res.status).toBe(200);
    transcript.push(res.body);
    // Genesys ends the bot session at a Failed answer; so does this customer.
    if (res.body.botState === "Failed") break;
  }
  return transcript;
}

/**
 * Many sessions, many turns each, concurrently, through two service processes sharing one
 * DynamoDB-compatible table: each transcript must equal what a one-at-a-time run produces.
 *
 * dynalite answers 80 sessions at once; on a machine whose cores other processes saturate, a call can wait in its
 * queue past the store's 3 s attempt timeout. The service then answers that turn with a clean Failed
 * (SESSION_STORE_UNAVAILABLE) and Genesys ends the session: that is its designed answer to a slow table, not a
 * wrong one. So a transcript may end early with exactly that answer; every answer before it must be the
 * sequential run's.
 */
describe("correctness under concurrent load", () => {
  let db: Awaited<ReturnType<typeof startDynaliteProcess>>;
  let a: ServiceProcess;
  let b: ServiceProcess;

  beforeAll(async () => {
    db = await startDynaliteProcess();
    await ensureSessionTable(localClient(db.endpoint), "load-sessions");
    const env = {
      SESSION_STORE: "dynamodb",
      SESSION_TABLE: "load-sessions",
      AWS_REGION: "us-east-1",
      AWS_ENDPOINT_URL_DYNAMODB: db.endpoint,
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
      // The largest budget, for the longest store attempt timeouts (3 s).
      TURN_BUDGET_MS: "60000",
    };
    [a, b] = await Promise.all([startServiceProcess(env), startServiceProcess(env)]);
  });

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await db?.stop();
  });

  test("every session's transcript equals the sequential run's", async () => {
    const expected: Transcript[] = [];
    for (const [n, script] of SCRIPTS.entries()) expected.push(await runSession([a], `sequential-${n}`, script, 0));

    const runs: Array<Promise<{ script: number; transcript: Transcript }>> = [];
    for (let copy = 0; copy < SESSIONS_PER_SCRIPT; copy++) {
      for (const [n, script] of SCRIPTS.entries()) {
        runs.push(runSession([a, b], `concurrent-${n}-${copy}`, script, copy).then((transcript) => ({ script: n, transcript })));
      }
    }
    const results = await Promise.all(runs);
    expect(results).toHaveLength(SCRIPTS.length * SESSIONS_PER_SCRIPT);
    for (const { script, transcript } of results) {
      const reference = expected[script]!;
      const end = transcript.length - 1;
      // Ended by a table that could not keep up (at any step): every answer before it is the sequential run's.
      if (storeUnavailable(transcript[end])) expect(transcript.slice(0, end)).toEqual(reference.slice(0, end));
      else expect(transcript).toEqual(reference);
    }
    // Both processes answered: every session's first turn went to one or the other, alternately.
    for (const instance of [a, b]) {
      const metrics = await (await fetch(instance.url + "/metrics")).text();
      const served = [...metrics.matchAll(/^botconnector_turns_total\{[^}]*\} (\d+)$/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
      expect(served).toBeGreaterThanOrEqual((SCRIPTS.length * SESSIONS_PER_SCRIPT) / 2);
    }
  });
});
