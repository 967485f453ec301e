import { TURN_ROUTE } from "../../service/src/server";
import { startService, TOKEN, turnBody, type TestService } from "./harness";

async function raw(svc: TestService, body: string | Buffer, headers: Record<string, string> = { "content-type": "application/json" }) {
  const res = await fetch(svc.url + TURN_ROUTE, { method: "POST", headers: { "verify-token": TOKEN, ...headers }, body });
  return { status: res.status, type: res.headers.get("content-type"), body: (await res.json()) as Record<string, unknown> };
}

/** Bad input gets a 4xx with a JSON body naming the problem; never a 5xx. */
describe("bad requests", () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startService({ BODY_LIMIT_BYTES: "4096" });
  });
  afterAll(() => svc.close());

  test("malformed JSON: 400 invalid_json", async () => {
    const res = await raw(svc, '{"botId": "Acme Support",');
    expect(res.status).toBe(400);
    expect(res.type).toMatch(/^application\/json/);
    expect(res.body.error).toBe("invalid_json");
  });

  test("empty body: 400", async () => {
    const res = await raw(svc, "");
    expect(res.status).toBe(400);
    expect(res.body.error).toBe("invalid_json");
  });

  test.each([
    ["a missing botSessionId", { botSessionId: undefined }, "botSessionId"],
    ["a missing inputMessage", { inputMessage: undefined }, "inputMessage"],
    ["an unknown input type", { inputMessage: { type: "Receipt", text: "x" } }, "inputMessage.type"],
    ["a number as botVersion object", { botVersion: { v: 1 } }, "botVersion"],
    ["a negative session timeout", { botSessionTimeout: -5 }, "botSessionTimeout"],
    ["nested parameters", { parameters: { a: { b: 1 } } }, "parameters.a"],
    ["a malformed language code", { languageCode: "english please" }, "languageCode"],
    ["a session id with spaces", { botSessionId: "a b" }, "botSessionId"],
  ])("%s: 400 naming the field", async (_name, change, field) => {
    const body = turnBody(change as Record<string, unknown>);
    for (const [k, v] of Object.entries(change)) if (v === undefined) delete body[k];
    const res = await raw(svc, JSON.stringify(body));
    expect(res.status).toBe(400);
    expect(res.body.error).toBe("invalid_request");
    expect(res.body.field).toBe(field);
    expect(String(res.body.message)).toContain(field);
  });

  test("a body that is not an object: 400", async () => {
    for (const body of ["[]", '"text"', "42", "null"]) {
      const res = await raw(svc, body);
      expect(res.status).toBe(400);
    }
  });

  test("an oversized body: 413", async () => {
    const res = await raw(svc, JSON.stringify(turnBody({ inputMessage: { type: "Text", text: "x".repeat(10_000) } })));
    expect(res.status).toBe(413);
    expect(res.body.error).toBe("payload_too_large");
  });

  test("another content type: 415", async () => {
    const res = await raw(svc, "botId=x", { "content-type": "application/x-www-form-urlencoded" });
    expect(res.status).toBe(415);
    expect(res.body.error).toBe("unsupported_media_type");
  });

  test("unknown routes and methods: 404 JSON", async () => {
    const get = await fetch(svc.url + TURN_ROUTE);
    expect(get.status).toBe(404);
    expect(await get.json()).toMatchObject({ error: "not_found" });
    const other = await fetch(svc.url + "/nope");
    expect(other.status).toBe(404);
  });

  test("validation failures are counted by reason; the service keeps answering", async () => {
    const metrics = await (await fetch(svc.url + "/metrics")).text();
    expect(metrics).toMatch(/botconnector_validation_failures_total\{reason="schema"\} [1-9]/);
    expect(metrics).toMatch(/botconnector_validation_failures_total\{reason="malformed"\} [1-9]/);
    expect(metrics).toMatch(/botconnector_validation_failures_total\{reason="too_large"\} 1/);
    const ok = await svc.post(turnBody());
    expect(ok.status).toBe(200);
  });

  test("prototype pollution attempts are refused, not merged", async () => {
    const res = await raw(svc, JSON.stringify(turnBody()).replace(/^\{/, '{"__proto__":{"polluted":true},'));
    expect(res.status).toBe(400);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
