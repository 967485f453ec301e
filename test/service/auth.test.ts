import { TURN_ROUTE, tokenMatcher } from "../../service/src/server";
import { startService, TOKEN, turnBody, type TestService } from "./harness";

const OTHER = "rotated-token-abcdefghijklmnop";

describe("verify token", () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startService({ VERIFY_TOKEN: `${TOKEN}, ${OTHER}` });
  });
  afterAll(() => svc.close());

  test("missing header: 403 with a JSON error", async () => {
    const res = await fetch(svc.url + TURN_ROUTE, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(turnBody()) });
    expect(res.status).toBe(403);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ error: "forbidden", message: "missing or malformed verify-token header" });
  });

  test("wrong token: 403; the token is never echoed", async () => {
    const res = await svc.post(turnBody(), { "verify-token": "guess-guess-guess-guess" });
    expect(res.status).toBe(403);
    expect(JSON.stringify(res.body)).not.toContain("guess");
  });

  test("the header name is matched without case", async () => {
    const res = await fetch(svc.url + TURN_ROUTE, {
      method: "POST",
      headers: { "content-type": "application/json", "VERIFY-TOKEN": TOKEN },
      body: JSON.stringify(turnBody()),
    });
    expect(res.status).toBe(200);
  });

  test("during a rotation both tokens are accepted, and nothing else", async () => {
    expect((await svc.post(turnBody(), { "verify-token": TOKEN })).status).toBe(200);
    expect((await svc.post(turnBody(), { "verify-token": OTHER })).status).toBe(200);
    expect((await svc.post(turnBody(), { "verify-token": `${TOKEN},${OTHER}` })).status).toBe(403);
    expect((await svc.post(turnBody(), { "verify-token": TOKEN.slice(0, -1) })).status).toBe(403);
  });

  test("the token is checked before the body: a bad body without a token is still 403", async () => {
    const res = await fetch(svc.url + TURN_ROUTE, { method: "POST", headers: { "content-type": "application/json" }, body: "{not json" });
    expect(res.status).toBe(403);
  });

  test("auth failures are counted and the token never reaches the logs", async () => {
    await svc.post(turnBody(), { "verify-token": "wrong-wrong-wrong-wrong" });
    const metrics = await (await fetch(svc.url + "/metrics")).text();
    expect(metrics).toMatch(/botconnector_auth_failures_total\{reason="mismatch"\} [1-9]/);
    expect(metrics).toMatch(/botconnector_auth_failures_total\{reason="missing"\} [1-9]/);
    const all = svc.logs.raw.join("\n");
    expect(all).not.toContain(TOKEN);
    expect(all).not.toContain(OTHER);
    expect(all).not.toContain("wrong-wrong-wrong-wrong");
  });

  test("health and metrics need no token", async () => {
    expect((await fetch(svc.url + "/healthz")).status).toBe(200);
    expect((await fetch(svc.url + "/metrics")).status).toBe(200);
  });
});

describe("a custom token header", () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startService({ VERIFY_TOKEN_HEADER: "X-Watson-Genesys-Verification-Token" });
  });
  afterAll(() => svc.close());

  test("is read from the configured header only", async () => {
    expect((await svc.post(turnBody(), { "x-watson-genesys-verification-token": TOKEN })).status).toBe(200);
    const viaDefault = await fetch(svc.url + TURN_ROUTE, {
      method: "POST",
      headers: { "content-type": "application/json", "verify-token": TOKEN },
      body: JSON.stringify(turnBody()),
    });
    expect(viaDefault.status).toBe(403);
  });
});

describe("tokenMatcher", () => {
  test("matches any configured token exactly", () => {
    const matches = tokenMatcher(["a-token", "another-token"]);
    expect(matches("a-token")).toBe(true);
    expect(matches("another-token")).toBe(true);
    expect(matches("a-toke")).toBe(false);
    expect(matches("a-token ")).toBe(false);
    expect(matches("")).toBe(false);
  });
});
