/**
 * Upstream agents in bot definitions: the JSON Schema (what editors see) and the semantic rules (references,
 * declared intents and variables, loops that never wait, the service's own secrets), each through the loader so
 * the issue names the file, the path and the line.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseBotDefinition } from "../../service/src/bots/load";
import { successors } from "../../service/src/bots/validate";
import { type Json, minimalBot, objectIssues, parseObject, withDefaultHandover } from "../bots/fixtures";
import { UPSTREAM_BOTS } from "./harness";

const AGENT = { urlEnv: "AGENT_URL", auth: { type: "bearer", tokenEnv: "AGENT_TOKEN" } };

/** The minimal bot whose start node hands over to agent `a`, with patches. */
function agentBot(node: Json = {}, patch: Json = {}, nodes: Json = {}): Json {
  return {
    ...withDefaultHandover(minimalBot()),
    upstreams: { a: AGENT },
    start: "hello",
    ...patch,
    nodes: { hello: { upstream: { agent: "a", ...node }, next: "end" }, end: { complete: { intent: "Done" } }, ...nodes },
  };
}

function issues(definition: Json) {
  return objectIssues(definition, "bots/agent.yaml").map((i) => [i.path, i.message]);
}

describe("upstream agents in a definition", () => {
  test("the fixture bots load (hmac with onFailure and next; bearer as the whole conversation)", () => {
    for (const file of ["acme-orders.yaml", "acme-direct.yaml"]) {
      const source = readFileSync(path.join(UPSTREAM_BOTS, file), "utf8");
      expect(() => parseBotDefinition(source, file)).not.toThrow();
    }
  });

  test("an upstream node may have next (where control returns), and it counts for reachability", () => {
    const def = parseObject(agentBot({ onFailure: "oops" }, {}, { oops: { handover: { reason: "x" } } }));
    expect(successors(def.nodes.hello!).map((s) => [s.target, s.waits])).toEqual([
      ["end", false],
      ["oops", false],
    ]);
  });

  test("variables the agent may set count as assigned: later templates and slots may read them", () => {
    const bot = agentBot({}, {}, {
      hello: { upstream: { agent: "a", variables: ["orderNumber"] }, next: "end" },
      end: { complete: { intent: "Done", parameters: { order: "{{vars.orderNumber}}" } } },
    });
    expect(() => parseObject(bot)).not.toThrow();
    const without = agentBot({}, {}, { hello: { upstream: { agent: "a" }, next: "end" }, end: { complete: { intent: "Done", parameters: { order: "{{vars.orderNumber}}" } } } });
    expect(issues(without)).toEqual([["/nodes/end/complete/parameters/order", '"vars.orderNumber" is never set: no question or set node assigns variable "orderNumber"']]);
  });

  test.each<[string, Json, Array<[string, string | RegExp]>]>([
    [
      "an agent that is not declared (and the declared one unused)",
      agentBot({ agent: "b" }),
      [
        ["/nodes/hello/upstream/agent", 'upstream "b" is not declared under upstreams'],
        ["/upstreams/a", 'upstream "a" is declared but no upstream node uses it'],
      ],
    ],
    ["an intent that is not declared", agentBot({ intents: ["Done", "Refund"] }), [["/nodes/hello/upstream/intents/1", 'intent "Refund" is not declared under intents']]],
    ["onFailure to a missing node", agentBot({ onFailure: "nowhere" }), [["/nodes/hello/upstream/onFailure", 'node "nowhere" does not exist']]],
    ["next to a missing node", agentBot({}, {}, { hello: { upstream: { agent: "a" }, next: "gone" } }), [["/nodes/hello/next", 'node "gone" does not exist']]],
    [
      "a declared agent no node uses",
      agentBot({}, { upstreams: { a: AGENT, spare: { ...AGENT, urlEnv: "SPARE_URL" } } }),
      [["/upstreams/spare", 'upstream "spare" is declared but no upstream node uses it']],
    ],
    ["the reserved variable name __proto__", agentBot({ variables: ["__proto__"] }), [["/nodes/hello/upstream/variables/0", 'variable name "__proto__" is reserved']]],
    [
      "the service's own verify token as the agent's secret",
      agentBot({}, { upstreams: { a: { urlEnv: "AGENT_URL", auth: { type: "hmac", secretEnv: "VERIFY_TOKEN" } } } }),
      [["/upstreams/a/auth/secretEnv", "VERIFY_TOKEN belongs to the service itself; give the agent a variable of its own"]],
    ],
    [
      "an AWS variable as the agent's URL",
      agentBot({}, { upstreams: { a: { ...AGENT, urlEnv: "AWS_SECRET_ACCESS_KEY" } } }),
      [["/upstreams/a/urlEnv", "AWS_SECRET_ACCESS_KEY belongs to the service itself; give the agent a variable of its own"]],
    ],
    [
      "a cycle through an agent that never waits for the customer",
      agentBot({}, {}, { hello: { upstream: { agent: "a", onFailure: "end" }, next: "again" }, again: { say: [{ text: "once more" }], next: "hello" } }),
      [["/nodes/hello", "the nodes hello → again → hello form a loop that never waits for the customer"]],
    ],
  ])("reports %s", (_name, definition, expected) => {
    const found = issues(definition);
    expect(found).toHaveLength(expected.length);
    expected.forEach(([p, message], i) => {
      expect(found[i]![0]).toBe(p);
      expect(found[i]![1]).toEqual(typeof message === "string" ? message : expect.stringMatching(message));
    });
  });

  test.each<[string, Json, RegExp]>([
    ["a lower-case environment variable name", agentBot({}, { upstreams: { a: { ...AGENT, urlEnv: "agent_url" } } }), /\/upstreams\/a\/urlEnv: must match pattern/],
    ["hmac without its secret", agentBot({}, { upstreams: { a: { urlEnv: "A_URL", auth: { type: "hmac", tokenEnv: "X" } } } }), /\/upstreams\/a\/auth(\/tokenEnv: is not a known property|: missing required property "secretEnv")/],
    ["an unknown auth type", agentBot({}, { upstreams: { a: { urlEnv: "A_URL", auth: { type: "basic" } } } }), /\/upstreams\/a\/auth\/type: must be one of "bearer", "hmac"/],
    ["a URL written into the file", agentBot({}, { upstreams: { a: { ...AGENT, url: "https://agent.example.com" } } }), /\/upstreams\/a\/url: is not a known property/],
    ["a timeout out of range", agentBot({}, { upstreams: { a: { ...AGENT, timeoutMs: 60000 } } }), /\/upstreams\/a\/timeoutMs: must be <= 30000/],
    ["maxAttempts above 3", agentBot({}, { upstreams: { a: { ...AGENT, maxAttempts: 5 } } }), /\/upstreams\/a\/maxAttempts: must be <= 3/],
    ["a node without its agent", agentBot({ agent: undefined }), /\/nodes\/hello\/upstream: missing required property "agent"/],
  ])("the schema refuses %s", (_name, definition, expected) => {
    const messages = objectIssues(JSON.parse(JSON.stringify(definition)) as Json).map((i) => `${i.path}: ${i.message}`);
    expect(messages.join("\n")).toMatch(expected);
  });
});
