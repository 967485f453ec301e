/**
 * The credential scan behind secrets-by-reference-only: what it finds and where, what it leaves alone (inputs the
 * providers keep secret), that it never repeats a value it found, and that its work is linear and bounded.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { policies } from "../../policy/policies";
import { DEFAULT_LIMITS, namedLikeCredential, scanForSecrets, WINDOW } from "../../policy/secrets/scan";
import { authorizationCredentialsIn, jwtsIn } from "../../policy/secrets/shapes";
import { readSecretInputs, SECRET_INPUTS_FILE } from "../../policy/tools/secretInputs";
import { type Json } from "../aws/mocks";
import { ROOT, runStack, type StackRun } from "../stacks/harness";
import { runPolicies } from "./adapter";
import { broken, expectCaught, expectClean, set, T, withResource } from "./breaking";

const GITHUB_TOKEN = "ghp_0123456789abcdefghijklmnopqrstuvwxyz";
const JWT = "eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.eyJpc3MiOiJodHRwczovL2xvZ2luLmV4YW1wbGUifQ.c2lnbmF0dXJl";
const scan = (inputs: Json, topLevelKeysAreNames = false) => scanForSecrets(inputs, { exempt: () => false, topLevelKeysAreNames });

let dev: StackRun;

beforeAll(async () => {
  dev = await runStack("dev");
}, 120_000);

describe("the scan", () => {
  it("finds credentials at any depth, in JSON held in strings too, and says where", async () => {
    const inputs = {
      tags: { Owner: "team" },
      settings: { nested: [{ deeper: { url: `https://build:${GITHUB_TOKEN}@git.example/repo.git` } }] },
      document: JSON.stringify({ Statement: [{ Sid: "x", Condition: { StringEquals: { "aws:Referer": JWT } } }] }),
    };
    const { findings, limitReached } = await scan(inputs);
    expect(limitReached).toBeUndefined();
    expect(findings.map((f) => f.path)).toEqual(["document.Statement[0].Condition.StringEquals.aws:Referer", "settings.nested[0].deeper.url"]);
    expect(findings[0]!.what).toBe("a JSON Web Token");
  });

  it("judges names only where they are variable names: environment entries, variable maps, a dynamic resource's arguments", async () => {
    const inputs = {
      environment: { variables: { DB_PASSWORD: "hunter2hunter2", PASSWORD_FILE: "/run/secrets/db" } },
      containers: [{ env: [{ name: "API_TOKEN", value: "abc123abc123" }, { name: "TOKEN_HEADER", value: "x-token" }] }],
      description: { secret: "the password is in the vault" },
      clientSecret: "deployer-secret",
    };
    expect((await scan(inputs)).findings.map((f) => [f.path, f.byName])).toEqual([
      ["containers[0].env[0].value", true],
      ["environment.variables.DB_PASSWORD", true],
    ]);
    expect((await scan(inputs, true)).findings.map((f) => f.path)).toContain("clientSecret");
    expect([namedLikeCredential("clientSecret"), namedLikeCredential("secretArn"), namedLikeCredential("VERIFY_TOKEN_HEADER"), namedLikeCredential("api-key")]).toEqual([true, false, false, true]);
  });

  it("recognises JWTs and Authorization credentials by structure, not by a prefix alone", () => {
    expect(jwtsIn(`token=${JWT}; other=eyJub3QiOiJhIGp3dCJ9.x.y`)).toEqual([6]);
    expect(jwtsIn("eyJhbGciOiJIUzI1NiJ9")).toEqual([]); // a header alone
    expect(authorizationCredentialsIn("Authorization: Bearer 8f3a9c2e7b1d4f60a5e9c3b2 | WWW-Authenticate: Bearer realm=x").map((c) => c.scheme)).toEqual(["Bearer"]);
    expect(authorizationCredentialsIn(`Basic ${Buffer.from("svc:s3cr3t-pass").toString("base64")} and Basic dGVzdA==`)).toEqual([{ offset: 0, scheme: "Basic" }]);
  });

  it("leaves alone the inputs its provider keeps secret", async () => {
    const exempt = (p: string) => p === "secretString";
    expect((await scanForSecrets({ secretString: GITHUB_TOKEN, description: "fine" }, { exempt, topLevelKeysAreNames: false })).findings).toEqual([]);
  });

  it("stops at each limit and says which one, rather than skipping the rest silently", async () => {
    const deep: Json = {};
    let node = deep;
    for (let i = 0; i < DEFAULT_LIMITS.maxDepth + 5; i++) node = node.next = {};
    expect((await scan({ deep })).limitReached).toMatch(/^nesting deeper than 32 levels at deep\.next/);
    expect((await scanForSecrets({ many: Array.from({ length: 50 }, () => "x") }, { exempt: () => false, topLevelKeysAreNames: false, limits: { ...DEFAULT_LIMITS, maxValues: 10 } })).limitReached).toBe(
      "more than 10 string values",
    );
    expect((await scanForSecrets({ big: "x".repeat(5000) }, { exempt: () => false, topLevelKeysAreNames: false, limits: { ...DEFAULT_LIMITS, maxBytes: 4096 } })).limitReached).toBe(
      "more than 4096 characters of string values",
    );
  });

  it("hands the scanner each character a bounded number of times (the work grows linearly with the inputs)", async () => {
    for (const size of [10_000, 200_000, 800_000]) {
      let scanned = 0;
      const result = await scanForSecrets({ blob: "a".repeat(size - 20) + GITHUB_TOKEN.slice(0, 20) }, { exempt: () => false, topLevelKeysAreNames: false, onWindow: (n) => (scanned += n) });
      expect(result.limitReached).toBeUndefined();
      // Windows overlap by WINDOW.overlap: at most size * size/(size - overlap) characters, plus one window.
      expect(scanned).toBeLessThanOrEqual(Math.ceil((size * WINDOW.size) / (WINDOW.size - WINDOW.overlap)) + WINDOW.size);
    }
  });

  it("finds a token that crosses the end of a window (the next window, overlapping, holds it whole)", async () => {
    const offset = WINDOW.size - 20;
    const { findings } = await scan({ blob: `${" ".repeat(offset)}${GITHUB_TOKEN} ${"b".repeat(WINDOW.size)}` });
    expect(findings.map((f) => f.what)).toEqual(["a GitHub token"]);
  });
});

describe("the policy", () => {
  it("never repeats the value it found in its message", async () => {
    const resources = broken(dev, T.table, (r) => (r.inputs.tags = { Hook: GITHUB_TOKEN }));
    const { violations } = await runPolicies(resources, policies, { stack: "dev" });
    expect(violations).toHaveLength(1);
    expect(violations[0]!.message).not.toContain(GITHUB_TOKEN.slice(4));
  });

  it("lets a secret's value hold a token (its provider encrypts it) but not the secret's description", async () => {
    await expectClean(broken(dev, T.secretVersion, set({ secretString: GITHUB_TOKEN })), "dev");
    await expectCaught(broken(dev, T.secret, set({ description: `token ${GITHUB_TOKEN}` })), "dev", "secrets-by-reference-only", /Secret va-aws-secrets-verify-token: description holds a GitHub token/);
  });

  it("takes more secret inputs from its config, and reports a resource too large to look through", async () => {
    const resources = withResource(dev, "acme:index/vault:Item", "va-vault-item", { apiKey: GITHUB_TOKEN });
    await expectCaught(resources, "dev", "secrets-by-reference-only", /apiKey holds a GitHub token/);
    await expectClean(resources, "dev", { "secrets-by-reference-only": { secretInputs: ["acme:index/vault:Item:apiKey"] } });
    await expectCaught(withResource(dev, "acme:index/blob:Blob", "va-blob", { body: "x".repeat(5000) }), "dev", "secrets-by-reference-only", /its inputs are too large to look through for credentials \(more than 4096 characters/, {
      "secrets-by-reference-only": { maxScannedCharacters: 4096 },
    });
  });

  it("knows the secret inputs of the installed provider SDKs (regenerate with npm run policy:secret-inputs)", () => {
    const committed = JSON.parse(readFileSync(SECRET_INPUTS_FILE, "utf8")) as Record<string, string[]>;
    expect(committed).toEqual(readSecretInputs(ROOT));
    expect(committed["aws:secretsmanager/secretVersion:SecretVersion"]).toContain("secretString");
    expect(committed["genesyscloud:index/integrationCredential:IntegrationCredential"]).toEqual(["fields"]);
    expect(path.relative(ROOT, SECRET_INPUTS_FILE)).toBe(path.join("policy", "secrets", "secretInputs.json"));
  });
});
