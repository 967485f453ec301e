import path from "node:path";
import { parse } from "yaml";
import { loadBotDefinitions } from "../../service/src/bots/load";
import { archyDuration } from "../../components/genesys/flow/callBotConnector";
import { type FlowDescription } from "../../components/genesys/flow/description";
import { describeFlow, outputParametersByIntent } from "../../components/genesys/flow/fromBot";
import { renderInboundFlow, validateFlowDescription } from "../../components/genesys/flow/render";
import { assertSubstitutable, placeholdersIn, substitute } from "../../components/genesys/flow/substitution";

const definition = loadBotDefinitions(path.join(__dirname, "..", "..", "service", "bots"))[0]!.definition;
const description = describeFlow({
  flowName: "Acme VA Inbound Message",
  integrationName: "Acme VA Bot Connector",
  queueName: "Acme Support",
  definition,
  transferPriority: 5,
  intentActions: {
    OrderStatus: { action: "transfer", message: { "en-us": "Let me get a colleague for the delivery question.", "de-de": "Ich hole einen Kollegen für die Lieferfrage." } },
  },
});

type Node = Record<string, unknown>;
const flowOf = (yaml: string) => (parse(yaml) as { inboundShortMessage: Node }).inboundShortMessage;
const stateOf = (yaml: string) => ((flowOf(yaml).states as Node[])[0] as { state: Node }).state;
const actionOf = (yaml: string, kind: string) => (stateOf(yaml).actions as Node[]).find((a) => kind in a)?.[kind] as Node;

describe("renderInboundFlow", () => {
  const rendered = renderInboundFlow(description);

  it("matches the reviewed snapshot", () => {
    expect(rendered.yaml).toMatchSnapshot();
  });

  it("is deterministic", () => {
    expect(renderInboundFlow(structuredClone(description)).yaml).toBe(rendered.yaml);
  });

  it("parses back into an inbound message flow with the explicit name placeholder", () => {
    const flow = flowOf(rendered.yaml);
    expect(flow.name).toBe("{{flow_name}}");
    expect(flow.defaultLanguage).toBe("en-us");
    expect(Object.keys(flow.supportedLanguages as Node)).toEqual(["en-us", "de-de"]);
    expect(flow.startUpRef).toBe(`/inboundShortMessage/states/state[${stateOf(rendered.yaml).refId as string}]`);
  });

  it("has exactly one output path per declared intent, plus failure", () => {
    const call = actionOf(rendered.yaml, "callBotConnector");
    expect(Object.keys(call.outputs as Node)).toEqual([...Object.keys(definition.intents), "failure"]);
  });

  it("routes each intent to its action", () => {
    const outputs = actionOf(rendered.yaml, "callBotConnector").outputs as Record<string, { actions: Node[] }>;
    const kinds = (intent: string) => outputs[intent]!.actions.map((a) => Object.keys(a)[0]);
    expect(kinds("AgentRequested")).toEqual(["setParticipantData", "transferToAcd"]);
    expect(kinds("Handover")).toEqual(["setParticipantData", "transferToAcd"]);
    expect(kinds("OrderStatus")).toEqual(["setParticipantData", "switch", "transferToAcd"]);
    expect(kinds("Goodbye")).toEqual(["setParticipantData", "disconnect"]);
    expect(kinds("failure")).toEqual(["setParticipantData", "switch", "transferToAcd"]);
    const transfer = outputs.AgentRequested!.actions[1]!.transferToAcd as Node;
    expect(transfer).toEqual({
      name: "Transfer to ACD (AgentRequested)",
      targetQueue: { lit: { name: "{{queue_default}}" } },
      priority: { lit: 5 },
      preferredAgents: { noValue: true },
      languageSkill: { noValue: true },
    });
  });

  it("writes slots and output parameters to participant data from the variables the action binds", () => {
    const call = actionOf(rendered.yaml, "callBotConnector");
    const version = (((call.botIntegration as Node)["{{bot_integration_name}}"] as Node).bot as Node)["{{bot_name}}"] as Node;
    const bindings = ((version.version as Node)["{{bot_version}}"] as Node).intents as Record<string, { slots: Record<string, { var: string }> }>;
    const outputs = call.outputs as Record<string, { actions: Node[] }>;
    const attrs = (outputs.ReturnCreated!.actions[0]!.setParticipantData as { attributes: Array<{ attribute: { name: { lit: string }; value: Node } }> }).attributes;
    expect(attrs[0]!.attribute).toEqual({ name: { lit: "virtualAgent.intent" }, value: { lit: "ReturnCreated" } });
    const itemCount = attrs.find((a) => a.attribute.name.lit === "virtualAgent.itemCount")!;
    const variable = bindings.ReturnCreated!.slots.itemCount!.var;
    expect(itemCount.attribute.value).toEqual({ exp: `If(IsSet(${variable}), ToString(${variable}), "")` });
    expect(attrs.map((a) => a.attribute.name.lit)).toContain("virtualAgent.lastTopic");
    const declared = (stateOf(rendered.yaml).variables as Node[]).map((v) => Object.entries(v)[0]!);
    expect(declared).toContainEqual(["integerVariable", { name: variable, initialValue: { noValue: true } }]);
  });

  it("reads the bot's input parameters from participant data and passes them as session variables", () => {
    const get = actionOf(rendered.yaml, "getParticipantData");
    expect((get.attributes as Node[]).map((a) => ((a.attribute as Node).name as Node).lit)).toEqual(["customerName", "customerTier"]);
  });

  it("puts every name behind a placeholder, and substitution fills them all", () => {
    expect(placeholdersIn(rendered.yaml)).toEqual(["bot_integration_name", "bot_name", "bot_version", "flow_name", "queue_default"]);
    for (const name of ["Acme VA Inbound Message", "Acme VA Bot Connector", "Acme Support"]) expect(rendered.yaml).not.toContain(name);
    const filled = substitute(rendered.yaml, rendered.substitutions);
    expect(placeholdersIn(filled)).toEqual([]);
    const flow = flowOf(filled);
    expect(flow.name).toBe("Acme VA Inbound Message");
    const call = actionOf(filled, "callBotConnector");
    expect(Object.keys(call.botIntegration as Node)).toEqual(["Acme VA Bot Connector"]);
  });

  it("keeps names with YAML-special characters intact through substitution", () => {
    const tricky = renderInboundFlow({ ...description, queues: { default: "Support: tier #2 - [EU]" }, integrationName: "Bot: 'connector'" });
    const filled = substitute(tricky.yaml, tricky.substitutions);
    const failure = ((actionOf(filled, "callBotConnector").outputs as Node).failure as { actions: Node[] }).actions[2]!.transferToAcd as Node;
    expect(failure.targetQueue).toEqual({ lit: { name: "Support: tier #2 - [EU]" } });
    expect(Object.keys(actionOf(filled, "callBotConnector").botIntegration as Node)).toEqual(["Bot: 'connector'"]);
  });

  it("converts ISO 8601 durations to Archy literals", () => {
    expect(archyDuration("PT12H")).toEqual({ hours: 12 });
    expect(archyDuration("P1DT2H30M15S")).toEqual({ days: 1, hours: 2, minutes: 30, seconds: 15 });
    expect(() => archyDuration("12h")).toThrow(/not an ISO 8601 duration/);
  });
});

describe("the flow's own messages in the conversation's language", () => {
  const outputs = actionOf(renderInboundFlow(description).yaml, "callBotConnector").outputs as Record<string, { actions: Node[] }>;
  const failureSwitch = outputs.failure!.actions[1]!.switch as { evaluate: { firstTrue: { cases: Array<{ case: { value: { exp: string }; actions: Node[] } }>; default: { actions: Node[] } } } };

  it("switches on the conversation's language: a case per language (and its bare primary subtag), the default language as default", () => {
    const { cases, default: fallback } = failureSwitch.evaluate.firstTrue;
    expect(cases.map((c) => c.case.value.exp)).toEqual(['If(IsSet(Message.Language), Message.Language, "") == "de-de"', 'If(IsSet(Message.Language), Message.Language, "") == "de"']);
    const text = (actions: Node[]) => ((actions[0]!.sendResponse as Node).messageBody as Node).lit;
    expect(cases.map((c) => text(c.case.actions))).toEqual([
      "Entschuldigung, ich habe ein technisches Problem. Ich verbinde Sie mit einem Kollegen.",
      "Entschuldigung, ich habe ein technisches Problem. Ich verbinde Sie mit einem Kollegen.",
    ]);
    expect(text(fallback.actions)).toBe("Sorry, I'm having a technical problem. Let me get you to a colleague.");
  });

  it("writes why the customer arrives to participant data on the failure path (a technical failure; hand-overs have their intent)", () => {
    const data = outputs.failure!.actions[0]!.setParticipantData as { attributes: Array<{ attribute: { name: { lit: string }; value: Node } }> };
    expect(Object.fromEntries(data.attributes.map((a) => [a.attribute.name.lit, a.attribute.value]))).toEqual({
      "virtualAgent.outcome": { lit: "failure" },
      "virtualAgent.handoverReason": { lit: expect.stringMatching(/^technical failure/) },
    });
  });

  it("one Send Response when every language has the same text", () => {
    const one = describeFlow({ flowName: "F", integrationName: "I", queueName: "Q", definition, failureMessage: { "en-us": "Hold on.", "de-de": "Hold on." } });
    const failure = (actionOf(renderInboundFlow(one).yaml, "callBotConnector").outputs as Record<string, { actions: Node[] }>).failure!.actions;
    expect(failure.map((a) => Object.keys(a)[0])).toEqual(["setParticipantData", "sendResponse", "transferToAcd"]);
  });

  it("refuses a single text for a bot of several languages, naming them", () => {
    expect(() => describeFlow({ flowName: "F", integrationName: "I", queueName: "Q", definition, failureMessage: "Sorry!" })).toThrow(
      /failureMessage is one text, but bot acme-support 1.0 speaks en-us, de-de: give one text per language/,
    );
    expect(() => describeFlow({ flowName: "F", integrationName: "I", queueName: "Q", definition, failureMessage: { "en-us": "Sorry!" } })).toThrow(/failureMessage has no text for de-de/);
  });
});

describe("validation", () => {
  it("lists every problem of a description", () => {
    const bad: FlowDescription = {
      ...description,
      flowName: 'Flow "quoted"',
      defaultLanguage: "fr-fr",
      followUpTimeout: "soon",
      queues: { default: "Q", Other: "R" },
      intents: [...description.intents, { name: "failure", slots: [], outputParameters: [], action: { kind: "transferToQueue", queue: "missing", priority: -1, setParticipantData: false } }],
      failure: { message: { "en-us": "Oops {{x}}", "fr-fr": "Oups" }, queue: "default", priority: 0 },
    };
    const problems = validateFlowDescription(bad);
    expect(problems).toEqual(
      expect.arrayContaining([
        'flowName "Flow \\"quoted\\"" contains a double quote',
        'queue key "Other" must be lower-case letters, digits or _',
        'defaultLanguage "fr-fr" is not one of languages (en-us, de-de)',
        'followUpTimeout: "soon" is not an ISO 8601 duration such as PT12H or PT30M',
        'intent "failure" collides with the Failure path',
        'intent "failure": queue "missing" is not one of queues (default, Other)',
        'intent "failure": priority must be a whole number ≥ 0, got -1',
        "failure.message (en-us) contains {{, which the Flow resource would treat as a substitution",
        `failure.message has no text for language "de-de" (the flow sends it in the conversation's language)`,
        `failure.message has a text for "fr-fr", which is not one of the flow's languages (en-us, de-de)`,
      ]),
    );
    expect(() => renderInboundFlow(bad)).toThrow(/cannot render the inbound message flow/);
  });

  it("refuses substitution values that would break the file", () => {
    expect(() => assertSubstitutable({ a: "fine", b: 'say "hi"', c: "x\\y", d: "{{e}}" })).toThrow(/b.*double quote[\s\S]*c.*backslash[\s\S]*d.*\{\{ or \}\}/);
  });

  it("refuses intent actions for intents the bot version does not declare", () => {
    expect(() => describeFlow({ flowName: "F", integrationName: "I", queueName: "Q", definition, intentActions: { Nope: { action: "disconnect" } } })).toThrow(
      /does not declare: Nope/,
    );
  });
});

describe("a Call Bot Connector action exported from Architect", () => {
  const intents = Object.keys(definition.intents);
  const template = `
callBotConnector:
  name: Ask Ava
  botInput: { exp: Message.Message.body }
  integration:
    "{{bot_integration_name}}":
      bots:
        "{{bot_name}}":
          botVersion: "{{bot_version}}"
  paths:
${intents.map((i) => `    - intent: ${i}\n      actions: "{{actions:${i}}}"`).join("\n")}
    - failure:
        actions: "{{actions:failure}}"
`;

  it("is used instead of the built-in shape, with the generated actions put in place of its markers", () => {
    const rendered = renderInboundFlow({ ...description, callBotConnectorTemplate: template });
    const call = actionOf(rendered.yaml, "callBotConnector");
    expect(call.name).toBe("Ask Ava");
    const paths = call.paths as Array<{ intent?: string; actions?: Node[]; failure?: { actions: Node[] } }>;
    expect(paths.find((p) => p.intent === "AgentRequested")!.actions!.map((a) => Object.keys(a)[0])).toEqual(["setParticipantData", "transferToAcd"]);
    expect(paths.at(-1)!.failure!.actions.map((a) => Object.keys(a)[0])).toEqual(["setParticipantData", "switch", "transferToAcd"]);
    expect(rendered.yaml).not.toContain("{{actions:");
  });

  it("must cover every intent and use the selection placeholders", () => {
    const missing = template.replace(`    - intent: Goodbye\n      actions: "{{actions:Goodbye}}"\n`, "");
    expect(() => renderInboundFlow({ ...description, callBotConnectorTemplate: missing })).toThrow(/no \{\{actions:\.\.\.\}\} marker for: Goodbye/);
    const unknown = template.replace("{{actions:Goodbye}}", "{{actions:Goodby}}");
    expect(() => renderInboundFlow({ ...description, callBotConnectorTemplate: unknown })).toThrow(/markers for intents the version does not declare: Goodby/);
    expect(() => renderInboundFlow({ ...description, callBotConnectorTemplate: template.replace("{{bot_version}}", "1.0") })).toThrow(/must use \{\{bot_version\}\}/);
  });
});

describe("outputParametersByIntent", () => {
  it("collects the parameters each intent can return", () => {
    // Hand-over intents always carry handoverReason (the service sends it with every hand-over).
    expect(Object.fromEntries(outputParametersByIntent(definition))).toEqual({ AgentRequested: ["handoverReason"], Handover: ["handoverReason"], OrderStatus: ["lastTopic"], ReturnCreated: ["lastTopic"] });
  });
});
