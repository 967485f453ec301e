/** Every semantic rule of validate.ts, each through the loader so the issue carries file, path and line. */
import { type BotDefinition } from "../../service/src/bots/definition";
import { nodeKind, pointer, successors, validateDefinition } from "../../service/src/bots/validate";
import { type Json, loadSampleBot, minimalBot, objectIssues, parseObject, questionBot, withDefaultHandover } from "./fixtures";

const sayNode = (text: unknown, next = "end") => ({ say: [{ text }], next });
/** The minimal bot (start `hello` saying Hi, then `end` completing with `Done`) with some nodes replaced or added. */
function withNodes(nodes: Json, patch: Json = {}): Json {
  return withDefaultHandover({ ...minimalBot(), ...patch, nodes: { hello: sayNode("Hi"), end: { complete: { intent: "Done" } }, ...nodes } });
}
const ask = (v: string, next = "end", extra: Json = {}) => ({ question: { prompt: [{ text: "?" }], answer: { type: "text" }, var: v, ...extra }, next });

/** Asserts the definition fails with exactly one issue at `path` whose message matches. */
function expectOneIssue(definition: Json, path: string, message: RegExp | string) {
  const issues = objectIssues(definition, "bots/test.yaml");
  expect(issues).toEqual([
    { file: "bots/test.yaml", path, line: expect.any(Number), message: typeof message === "string" ? message : expect.stringMatching(message) },
  ]);
}

describe("semantic validation", () => {
  it("finds nothing wrong with the sample bot", () => {
    expect(validateDefinition(loadSampleBot())).toEqual([]);
  });

  describe("node references", () => {
    it("start must exist", () => expectOneIssue({ ...minimalBot(), start: "nowhere" }, "/start", 'node "nowhere" does not exist'));
    it("next must exist", () => expectOneIssue(withNodes({ hello: sayNode("Hi", "nowhere") }), "/nodes/hello/next", 'node "nowhere" does not exist'));
    it("onNoMatch must exist", () =>
      expectOneIssue(withNodes({ hello: ask("a", "end", { onNoMatch: "nowhere" }) }), "/nodes/hello/question/onNoMatch", /"nowhere" does not exist/));
    it("skip.next must exist", () =>
      expectOneIssue(
        withNodes({ hello: { optionalQuestion: { prompt: [{ text: "?" }], answer: { type: "text" }, var: "a", skip: { words: ["skip"], next: "nowhere" } }, next: "end" } }),
        "/nodes/hello/optionalQuestion/skip/next",
        /"nowhere" does not exist/,
      ));
    it("branch cases and default must exist", () => {
      const issues = objectIssues(withNodes({ hello: { branch: { cases: [{ when: { ref: "language", equals: "en" }, next: "gone" }], default: "away" } } }));
      expect(issues.map((i) => [i.path, i.message])).toEqual([
        ["/nodes/hello/branch/cases/0/next", 'node "gone" does not exist'],
        ["/nodes/hello/branch/default", 'node "away" does not exist'],
      ]);
    });
    it("interrupt goto must exist", () =>
      expectOneIssue({ ...minimalBot(), interrupts: [{ words: ["agent"], goto: "nowhere" }] }, "/interrupts/0/goto", /"nowhere" does not exist/));

    it.each(["constructor", "toString", "__proto__", "hasOwnProperty"])("a node named like an Object property (%s) does not count as existing", (name) => {
      const issues = objectIssues(withNodes({ hello: sayNode("Hi", name) }));
      expect(issues).toContainEqual(expect.objectContaining({ path: "/nodes/hello/next", message: `node "${name}" does not exist` }));
    });
  });

  describe("node kinds and next", () => {
    it("a node needs a kind", () => expectOneIssue(withNodes({ hello: { next: "end" } }), "/nodes/hello", /a node needs one of say, question/));
    it("a node has exactly one kind", () =>
      expectOneIssue(withNodes({ hello: { say: [{ text: "Hi" }], set: { a: "1" }, next: "end" } }), "/nodes/hello", "a node has exactly one kind, found say and set"));
    it.each([
      ["say", { say: [{ text: "Hi" }] }],
      ["set", { set: { a: "1" } }],
      ["question", { question: { prompt: [{ text: "?" }], answer: { type: "text" }, var: "a" } }],
      ["optionalQuestion", { optionalQuestion: { prompt: [{ text: "?" }], answer: { type: "text" }, var: "a", skip: { words: ["skip"] } } }],
    ])("a %s node needs next", (kind, node) => {
      expectOneIssue(withDefaultHandover({ ...minimalBot(), nodes: { hello: node } }), "/nodes/hello", `a ${kind} node needs next`);
    });
    it.each([
      ["complete", { complete: { intent: "Done" } }],
      ["handover", { handover: { reason: "r" } }],
      ["branch", { branch: { cases: [{ when: { ref: "language", exists: true }, next: "end" }], default: "end" } }],
    ])("a %s node must not have next", (kind, node) => {
      expectOneIssue(withNodes({ hello: sayNode("Hi", "x"), x: { ...node, next: "end" } }), "/nodes/x/next", `a ${kind} node does not continue; remove next`);
    });
  });

  describe("intents and slots", () => {
    it("complete must name a declared intent", () =>
      expectOneIssue(withNodes({ end: { complete: { intent: "Nope" } } }), "/nodes/end/complete/intent", 'intent "Nope" is not declared under intents'));
    it.each(["constructor", "toString"])("an intent named like an Object property (%s) is not declared", (name) =>
      expectOneIssue(withNodes({ end: { complete: { intent: name } } }), "/nodes/end/complete/intent", `intent "${name}" is not declared under intents`));
    it("complete slots must be declared for the intent", () =>
      expectOneIssue(withNodes({ end: { complete: { intent: "Done", slots: { extra: "x" } } } }), "/nodes/end/complete/slots/extra", 'slot "extra" is not declared for intent "Done"'));
    it.each(["toString", "constructor"])("a slot named like an Object property (%s) is not declared", (slot) =>
      expectOneIssue(withNodes({ end: { complete: { intent: "Done", slots: { [slot]: "x" } } } }), `/nodes/end/complete/slots/${slot}`, new RegExp(`slot "${slot}" is not declared`)));
    it("handover intent must be declared", () =>
      expectOneIssue(withNodes({ end: { handover: { intent: "Agent", reason: "r" } } }), "/nodes/end/handover/intent", 'intent "Agent" is not declared under intents'));
    it("handover intent must be marked handover: true", () =>
      expectOneIssue(withNodes({ end: { handover: { intent: "Done", reason: "r" } } }), "/nodes/end/handover/intent", 'intent "Done" is not marked handover: true'));
    it("a marked handover intent is accepted, with its declared slots", () => {
      const bot = withNodes({ end: { handover: { intent: "Agent", reason: "r", slots: { why: "x" } } } }, { intents: { Agent: { handover: true, slots: { why: "String" } } } });
      expect(parseObject(bot).nodes.end?.handover?.intent).toBe("Agent");
    });
    it("handover slots must be declared for the intent", () =>
      expectOneIssue(
        withNodes({ end: { handover: { intent: "Agent", reason: "r", slots: { who: "x" } } } }, { intents: { Agent: { handover: true } } }),
        "/nodes/end/handover/slots/who",
        'slot "who" is not declared for intent "Agent"',
      ));
    it("handover slots without an intent are the default hand-over intent's", () =>
      expectOneIssue(withNodes({ end: { handover: { reason: "r", slots: { a: "x" } } } }), "/nodes/end/handover/slots/a", 'slot "a" is not declared for intent "Handover"'));
  });

  describe("a designed hand-over completes with an intent (never Failed)", () => {
    const fix = /declare defaultHandoverIntent \(an intent marked handover: true\)/;
    const bare = (nodes: Json) => ({ ...minimalBot(), nodes: { hello: sayNode("Hi"), end: { complete: { intent: "Done" } }, ...nodes } });
    it("a hand-over without intent needs the bot's default", () =>
      expectOneIssue(bare({ end: { handover: { reason: "r" } } }), "/nodes/end/handover", /the hand-over names no intent.*declare defaultHandoverIntent/));
    it("a question without onNoMatch needs it: its last miss hands over", () => {
      expectOneIssue(bare({ hello: ask("a") }), "/nodes/hello/question", /no onNoMatch.*declare defaultHandoverIntent/);
      expect(() => parseObject(bare({ hello: ask("a", "end", { onNoMatch: "end" }) }))).not.toThrow();
    });
    it("an upstream node needs it: an agent may hand over without naming an intent", () => {
      const issues = objectIssues({
        ...bare({ hello: { upstream: { agent: "a" } } }),
        upstreams: { a: { urlEnv: "AGENT_URL", auth: { type: "bearer", tokenEnv: "AGENT_TOKEN" } } },
      });
      expect(issues).toEqual([expect.objectContaining({ path: "/nodes/hello/upstream", message: expect.stringMatching(fix) })]);
    });
    it("the default must be a declared intent marked handover: true", () => {
      expectOneIssue({ ...bare({}), defaultHandoverIntent: "Nope" }, "/defaultHandoverIntent", 'intent "Nope" is not declared under intents');
      expectOneIssue({ ...bare({}), defaultHandoverIntent: "Done" }, "/defaultHandoverIntent", 'intent "Done" is not marked handover: true');
    });
    it("the message names the file, the path and the line", () => {
      const [issue] = objectIssues(bare({ end: { handover: { reason: "r" } } }), "bots/shop.yaml");
      expect(issue).toEqual({ file: "bots/shop.yaml", path: "/nodes/end/handover", line: expect.any(Number), message: expect.stringMatching(fix) });
    });
  });

  it("timeZone must be an IANA time zone", () => {
    expectOneIssue({ ...minimalBot(), timeZone: "Mars/Olympus" }, "/timeZone", /"Mars\/Olympus" is not an IANA time zone/);
    expect(parseObject({ ...minimalBot(), timeZone: "Europe/Berlin" }).timeZone).toBe("Europe/Berlin");
  });

  describe("no dead buttons", () => {
    const dead = /has a button the customer can never use: the session ends in the same turn/;
    const card = { card: { title: "T", actions: [{ type: "postback", label: "Again", payload: "again" }] } };
    it("refuses buttons sent in the turn that ends the session", () => {
      expectOneIssue(withNodes({ hello: { say: [{ text: "x" }, card], next: "end" } }), "/nodes/hello/say/1", dead);
      expectOneIssue(withNodes({ end: { complete: { intent: "Done", say: [{ text: "Pick", quickReplies: [{ label: "A", payload: "a" }] }] } } }), "/nodes/end/complete/say/0", dead);
      expectOneIssue(
        withNodes({ hello: { say: [card], next: "pick" }, pick: { branch: { cases: [{ when: { ref: "language", equals: "en" }, next: "end" }], default: "bye" } }, bye: { handover: { reason: "r" } } }),
        "/nodes/hello/say/0",
        dead,
      );
    });
    it("accepts buttons followed by a question on some way on, and links anywhere", () => {
      expect(() => parseObject(withNodes({ hello: { say: [card], next: "ask" }, ask: ask("a") }))).not.toThrow();
      const link = { card: { title: "T", actions: [{ type: "link", label: "Track", url: "https://example.com" }] } };
      expect(() => parseObject(withNodes({ hello: { say: [link], next: "end" } }))).not.toThrow();
    });
    it("the sample bot's order card leads to a question, so its Start a return button works", () => {
      expect(loadSampleBot().nodes["order-card"]?.next).toBe("order-anything-else");
    });
  });

  describe("variables, parameters and templates", () => {
    it("a template may not read a parameter that is not declared", () =>
      expectOneIssue(withNodes({ hello: sayNode("Hi {{params.name}}") }), "/nodes/hello/say/0/text", /"params.name" is not declared under parameters/));
    it("a declared parameter is readable", () => {
      expect(() => parseObject(withNodes({ hello: sayNode("Hi {{params.name|there}}") }, { parameters: { name: "first name" } }))).not.toThrow();
    });
    it("a template may not read a variable nothing assigns", () =>
      expectOneIssue(withNodes({ hello: sayNode("You said {{vars.answer}}") }), "/nodes/hello/say/0/text", /"vars.answer" is never set/));
    it("variables assigned by a question or a set node are readable", () => {
      const bot = withNodes({ hello: ask("answer", "copy"), copy: { set: { copied: "{{vars.answer}}" }, next: "show" }, show: sayNode("{{vars.answer}} {{vars.copied}} {{language}}") });
      expect(() => parseObject(bot)).not.toThrow();
    });
    it("conditions may not read unassigned variables or undeclared parameters", () => {
      const bot = withNodes({ hello: { branch: { cases: [{ when: { all: [{ ref: "vars.x", exists: true }, { ref: "params.y", equals: "1" }] }, next: "end" }], default: "end" } } });
      expect(objectIssues(bot).map((i) => i.path)).toEqual(["/nodes/hello/branch/cases/0/when/all/0/ref", "/nodes/hello/branch/cases/0/when/all/1/ref"]);
    });
    it.each([
      ["an unknown scope", "Hi {{user.name}}"],
      ["an empty placeholder", "Hi {{}}"],
      ["a space in the name", "Hi {{vars.first name}}"],
    ])("rejects template syntax: %s", (_what, text) => {
      expectOneIssue(withNodes({ hello: sayNode(text) }), "/nodes/hello/say/0/text", /placeholder .* must name vars.<name>, params.<name> or language/);
    });
    it("the variable name __proto__ is reserved (assigning it would change an object's prototype)", () => {
      const own = (json: string) => JSON.parse(json) as Json;
      expectOneIssue(withNodes({ hello: ask("__proto__") }), "/nodes/hello/question/var", 'variable name "__proto__" is reserved');
      expectOneIssue(withNodes({ hello: { set: own('{"__proto__": "x"}'), next: "end" } }), "/nodes/hello/set/__proto__", 'variable name "__proto__" is reserved');
    });
    it("checks templates in set, slot, parameter and reason templates", () => {
      const bot = withNodes(
        {
          hello: { set: { a: "{{bad}}" }, next: "end" },
          end: { complete: { intent: "Done", slots: { s: "{{vars.nope}}" }, parameters: { p: "{{params.nope}}" } } },
        },
        { intents: { Done: { slots: { s: "String" } } } },
      );
      expect(objectIssues(bot).map((i) => i.path)).toEqual(["/nodes/hello/set/a", "/nodes/end/complete/slots/s", "/nodes/end/complete/parameters/p"]);
      expectOneIssue(withNodes({ end: { handover: { reason: "{{oops}}" } } }), "/nodes/end/handover/reason", /placeholder/);
      expectOneIssue(withNodes({ end: { handover: { reason: "r", parameters: { x: "{{vars.none}}" } } } }), "/nodes/end/handover/parameters/x", /never set/);
    });
  });

  describe("languages", () => {
    it("the default language must be one of the languages", () =>
      expectOneIssue({ ...minimalBot(), defaultLanguage: "de" }, "/defaultLanguage", '"de" is not one of languages (en)'));
    it("a localized text needs every declared language", () =>
      expectOneIssue(withNodes({ hello: sayNode({ en: "Hi" }) }, { languages: ["en", "de"] }), "/nodes/hello/say/0/text", 'no text for language "de" (every declared language needs one)'));
    it("a localized text may not use an undeclared language", () =>
      expectOneIssue(withNodes({ hello: sayNode({ en: "Hi", fr: "Salut" }) }), "/nodes/hello/say/0/text/fr", /language "fr" is not one of languages/));
    it("words may not use an undeclared language", () => {
      expectOneIssue({ ...minimalBot(), interrupts: [{ words: { fr: ["agent"] }, goto: "end" }] }, "/interrupts/0/words/fr", /language "fr"/);
      expectOneIssue(
        withNodes({ hello: { optionalQuestion: { prompt: [{ text: "?" }], answer: { type: "text" }, var: "a", skip: { words: { it: ["salta"] } } }, next: "end" } }),
        "/nodes/hello/optionalQuestion/skip/words/it",
        /language "it"/,
      );
    });
    it("system messages and skip buttons are checked like other texts", () => {
      expectOneIssue({ ...minimalBot(), languages: ["en", "de"], systemMessages: { staleButton: { en: "Old" } } }, "/systemMessages/staleButton", /no text for language "de"/);
      expectOneIssue(
        withNodes({ hello: { optionalQuestion: { prompt: [{ text: "?" }], answer: { type: "text" }, var: "a", skip: { button: { en: "Skip", xx: "?" } } }, next: "end" } }),
        "/nodes/hello/optionalQuestion/skip/button/xx",
        /language "xx"/,
      );
    });
  });

  describe("messages", () => {
    it("a message is exactly one of text (with quick replies), a card or a carousel", () => {
      const card = { title: "T", actions: [{ type: "postback", label: "A", payload: "a" }] };
      expectOneIssue(withNodes({ hello: { say: [{ text: "Hi", card }], next: "end" } }), "/nodes/hello/say/0", /a message is text/);
      expectOneIssue(withNodes({ hello: { say: [{ card, carousel: [card] }], next: "end" } }), "/nodes/hello/say/0", /a message is text/);
    });
    it("quick replies alone are a message", () => {
      expect(() => parseObject(withNodes({ hello: { say: [{ quickReplies: [{ label: "A", payload: "a" }] }], next: "ask" }, ask: ask("a") }))).not.toThrow();
    });
    it("checks prompts and retry prompts", () => {
      expectOneIssue(withNodes({ hello: ask("a", "end", { retryPrompt: [{ text: "{{vars.zzz}}" }] }) }), "/nodes/hello/question/retryPrompt/0/text", /never set/);
      expectOneIssue(withNodes({ hello: ask("a", "end", { prompt: [{ text: "{{x}}" }] }) }), "/nodes/hello/question/prompt/0/text", /placeholder/);
    });
  });

  describe("answers", () => {
    const answerIssue = (answer: Json, path: string, message: RegExp | string) =>
      expectOneIssue(questionBot({ prompt: [{ text: "?" }], answer, var: "a" }), `/nodes/ask/question/answer${path}`, message);

    it("text: minLength may not exceed maxLength", () => answerIssue({ type: "text", minLength: 5, maxLength: 4 }, "", "minLength is greater than maxLength"));
    it("number: min may not exceed max", () => answerIssue({ type: "number", min: 5, max: 4 }, "", "min is greater than max"));
    it("date: minDaysFromToday may not exceed maxDaysFromToday", () =>
      answerIssue({ type: "date", minDaysFromToday: 3, maxDaysFromToday: 1 }, "", "minDaysFromToday is greater than maxDaysFromToday"));
    it("choice: option values are unique", () =>
      answerIssue({ type: "choice", options: [{ value: "a", label: "A" }, { value: "a", label: "B" }] }, "/options/1/value", 'option value "a" repeats'));
    it("choice: synonyms use declared languages", () =>
      answerIssue({ type: "choice", options: [{ value: "a", label: "A", synonyms: { de: ["x"] } }] }, "/options/0/synonyms/de", /language "de"/));
    it.each(["(unclosed", "[z-a]", "a{2,1}", "(?<n>a)(?<n>b)"])("pattern: a regex that does not compile (%s)", (regex) =>
      answerIssue({ type: "pattern", regex }, "/regex", /^does not compile: /));
    it("pattern: the regex is compiled with its flags", () => {
      expect(() => parseObject(questionBot({ prompt: [{ text: "?" }], answer: { type: "pattern", regex: "a\\-b" }, var: "a" }))).not.toThrow();
      answerIssue({ type: "pattern", regex: "a\\-b", flags: "u" }, "/regex", /^does not compile: .*escape/i);
    });
    it("pattern: valid regex and flags load", () => {
      expect(() => parseObject(questionBot({ prompt: [{ text: "?" }], answer: { type: "pattern", regex: "^\\p{Lu}\\d+$", flags: "u" }, var: "a" }))).not.toThrow();
    });
    it("pattern: an unknown flag is a schema error", () =>
      answerIssue({ type: "pattern", regex: "a", flags: "g" }, "/flags", /must match pattern/));
  });

  describe("conditions", () => {
    const branchOn = (when: unknown) => withNodes({ hello: { branch: { cases: [{ when, next: "end" }], default: "end" } } });
    it("a condition has exactly one form", () =>
      expectOneIssue(branchOn({ ref: "language", equals: "en", not: { ref: "language", exists: true } }), "/nodes/hello/branch/cases/0/when", /exactly one of all, any, not or ref/));
    it("a ref condition needs an operator", () => expectOneIssue(branchOn({ ref: "language" }), "/nodes/hello/branch/cases/0/when", /needs an operator/));
    it("a condition regex must compile", () => expectOneIssue(branchOn({ ref: "language", matches: "(" }), "/nodes/hello/branch/cases/0/when/matches", /does not compile/));
    it("nested conditions are checked at their own path", () =>
      expectOneIssue(branchOn({ any: [{ not: { ref: "language" } }] }), "/nodes/hello/branch/cases/0/when/any/0/not", /needs an operator/));
  });

  describe("graph", () => {
    it("reports nodes that cannot be reached from start or an interrupt", () =>
      expectOneIssue(withNodes({ hello: sayNode("Hi"), orphan: sayNode("Nobody") }), "/nodes/orphan", 'node "orphan" is unreachable from start "hello" and the interrupts'));
    it("an interrupt target counts as reachable", () => {
      expect(() => parseObject(withNodes({ hello: sayNode("Hi"), agent: { handover: { reason: "r" } } }, { interrupts: [{ words: ["agent"], goto: "agent" }] }))).not.toThrow();
    });
    it("reports a loop that never waits for the customer", () => {
      const bot = withNodes({
        hello: sayNode("Hi", "check"),
        check: { branch: { cases: [{ when: { ref: "language", equals: "xx" }, next: "end" }], default: "again" } },
        again: { set: { n: "1" }, next: "hello" },
      });
      expectOneIssue(bot, "/nodes/hello", "the nodes hello → check → again → hello form a loop that never waits for the customer");
    });
    it("a loop through a question is fine", () => {
      expect(() => parseObject(withNodes({ hello: ask("a", "check"), check: { branch: { cases: [{ when: { ref: "vars.a", equals: "done" }, next: "end" }], default: "hello" } } }))).not.toThrow();
    });
    it("a question that is its own onNoMatch waits and is fine", () => {
      expect(() => parseObject(withNodes({ hello: ask("a", "end", { onNoMatch: "hello" }) }))).not.toThrow();
    });
  });

  describe("helpers", () => {
    it("pointer escapes ~ and / as JSON Pointer does", () => {
      expect(pointer(["nodes", "a/b", "c~d", 0])).toBe("/nodes/a~1b/c~0d/0");
    });
    it("nodeKind and successors", () => {
      const def = loadSampleBot() as BotDefinition;
      expect(nodeKind(def.nodes.menu as never)).toBe("question");
      expect(successors(def.nodes.menu as never)).toEqual([
        { target: "route", path: ["next"], waits: true },
        { target: "menu-no-match", path: ["question", "onNoMatch"], waits: true },
      ]);
      expect(successors(def.nodes.welcome as never)).toEqual([{ target: "tier-check", path: ["next"], waits: false }]);
      expect(() => nodeKind({})).toThrow(/node without a kind/);
    });
  });
});
