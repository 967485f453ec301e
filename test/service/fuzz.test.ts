import fc from "fast-check";
import { TURN_ROUTE } from "../../service/src/server";
import { startService, TOKEN, turnBody, type TestService } from "./harness";

const HEADER_NAME = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/).filter((h) => !["content-length", "host", "connection", "transfer-encoding", "expect", "upgrade", "te", "keep-alive"].includes(h));
const HEADER_VALUE = fc.stringMatching(/^[\x20-\x7e]{0,60}$/).map((v) => v.trim());

/** A valid turn with one field replaced by an arbitrary JSON value (or removed). */
const mutatedBody = fc
  .tuple(
    fc.constantFrom("botId", "botVersion", "botSessionId", "genesysConversationId", "languageCode", "botSessionTimeout", "chatBot", "parameters", "inputMessage", "extra"),
    fc.option(fc.jsonValue({ maxDepth: 3 }), { nil: undefined }),
    fc.option(fc.jsonValue({ maxDepth: 2 }), { nil: undefined }),
  )
  .map(([field, value, inner]) => {
    const body = turnBody({ botSessionId: `fuzz-${Math.random()}` });
    if (value === undefined) delete body[field];
    else body[field] = value;
    if (inner !== undefined) body.inputMessage = { type: "Text", text: "x", content: [inner] };
    return JSON.stringify(body);
  });

describe("arbitrary input never produces a 5xx", () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startService({ BODY_LIMIT_BYTES: "8192" });
  });
  afterAll(() => svc.close());

  async function check(body: string, headers: Record<string, string>) {
    const res = await fetch(svc.url + TURN_ROUTE, { method: "POST", headers, body });
    expect(res.status).toBeLessThan(500);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const parsed = (await res.json()) as Record<string, unknown>;
    if (res.status === 200) expect(["MoreData", "Complete", "Failed"]).toContain(parsed.botState);
    else expect(typeof parsed.error).toBe("string");
  }

  test("arbitrary JSON bodies", async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), async (value) => {
        await check(JSON.stringify(value), { "content-type": "application/json", "verify-token": TOKEN });
      }),
      { numRuns: 150 },
    );
  });

  test("valid turns with one field replaced by anything", async () => {
    await fc.assert(
      fc.asyncProperty(mutatedBody, async (body) => {
        await check(body, { "content-type": "application/json", "verify-token": TOKEN });
      }),
      { numRuns: 250 },
    );
  });

  test("arbitrary strings as bodies, with arbitrary content types", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 300 }), fc.constantFrom("application/json", "text/plain", "application/json; charset=latin1", "application/x-www-form-urlencoded"), async (body, type) => {
        await check(body, { "content-type": type, "verify-token": TOKEN });
      }),
      { numRuns: 150 },
    );
  });

  test("arbitrary headers, with and without the token", async () => {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(HEADER_NAME, HEADER_VALUE, { maxKeys: 6 }), fc.boolean(), async (headers, withToken) => {
        const all: Record<string, string> = { ...headers, "content-type": "application/json" };
        if (withToken) all["verify-token"] = TOKEN;
        await check(JSON.stringify(turnBody()), all);
      }),
      { numRuns: 150 },
    );
  });

  test("customer text of any kind in a live session", async () => {
    const sessionId = "fuzz-live-session";
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: "binary", maxLength: 50 })), fc.option(fc.string({ maxLength: 80 }), { nil: undefined }), async (text, payload) => {
        const inputMessage =
          payload === undefined ? { type: "Text", text } : { type: "Structured", text, content: [{ contentType: "ButtonResponse", buttonResponse: { type: "QuickReply", text, payload } }] };
        await check(JSON.stringify(turnBody({ botSessionId: sessionId, inputMessage })), { "content-type": "application/json", "verify-token": TOKEN });
      }),
      { numRuns: 300 },
    );
  });

  test("the service is still healthy afterwards", async () => {
    expect((await fetch(svc.url + "/readyz")).status).toBe(200);
    const ok = await svc.post(turnBody());
    expect(ok.body.botState).toBe("MoreData");
  });
});
