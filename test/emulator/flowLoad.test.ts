import { parse, stringify } from "yaml";
import { BotListError, bindFlowToBotList, parseBotList } from "../../emulator/botList";
import { createEmulator } from "../../emulator/emulator";
import { evaluate, parseExpression } from "../../emulator/flow/expressions";
import { FlowLoadError, loadFlow } from "../../emulator/flow/load";
import { allActions } from "../../emulator/flow/model";
import { type BotList } from "../../service/src/bots/botList";
import { devArtifacts } from "./harness";

type Tree = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The dev flow, changed by `edit`, as YAML again. */
function devFlowWith(edit: (flow: Tree) => void): string {
  const tree = parse(devArtifacts().flowYaml) as Tree;
  edit(tree);
  return stringify(tree);
}

const state = (flow: Tree) => flow.inboundShortMessage.states[0].state;
const callAction = (flow: Tree) => state(flow).actions[1].callBotConnector;
const botList = () => structuredClone(devArtifacts().botList) as BotList;

function loadProblems(yamlText: string): string[] {
  try {
    loadFlow(yamlText);
  } catch (err) {
    if (err instanceof FlowLoadError) return err.problems;
    throw err;
  }
  throw new Error("the flow loaded");
}

function bindProblems(yamlText: string, list: unknown = devArtifacts().botList): string[] {
  try {
    bindFlowToBotList(loadFlow(yamlText), parseBotList(list));
  } catch (err) {
    if (err instanceof BotListError) return err.problems;
    throw err;
  }
  throw new Error("the flow bound");
}

describe("loading the rendered flow", () => {
  test("the dev flow loads: every action of the renderer's vocabulary, bound to the bot version", () => {
    const flow = loadFlow(devArtifacts().flowYaml);
    expect(flow.name).toBe("Acme Virtual Agent DEV Inbound Message");
    expect(flow.supportedLanguages).toEqual(["en-us", "de-de"]);
    expect(new Set(allActions(flow.actions).map((a) => a.type))).toEqual(
      new Set(["getParticipantData", "callBotConnector", "setParticipantData", "sendResponse", "switch", "transferToAcd", "disconnect"]),
    );
    const call = flow.actions[1];
    expect(call).toMatchObject({ type: "callBotConnector", integration: "Acme Virtual Agent DEV Bot Connector", bot: "Acme Support", version: "1.0", followUpTimeoutMs: 30 * 60_000 });
    const bindings = bindFlowToBotList(flow, parseBotList(devArtifacts().botList));
    expect([...bindings.values()][0]?.bot).toEqual({ id: "acme-support", name: "Acme Support" });
  });

  test("an action the emulator does not implement is named with its place in the file", () => {
    const yamlText = devFlowWith((f) => state(f).actions.splice(1, 0, { decision: { name: "Check", condition: { exp: "true" } } }));
    expect(loadProblems(yamlText)).toEqual([
      expect.stringMatching(/^inboundShortMessage\.states\[0\]\.state\.actions\[1\]\.decision: the emulator does not implement the Archy action "decision"/),
    ]);
  });

  test("an unknown key inside a known action, or on an output path, is an error, not silently ignored", () => {
    const yamlText = devFlowWith((f) => {
      callAction(f).outputs.Goodbye.actions[1].disconnect.reason = { lit: "x" };
      callAction(f).botResponseTimeout = { lit: { seconds: 5 } };
    });
    const problems = loadProblems(yamlText);
    expect(problems).toContainEqual(expect.stringMatching(/outputs\.Goodbye\.actions\[1\]\.disconnect\.reason: the emulator does not implement "reason"/));
    expect(problems).toContainEqual(expect.stringMatching(/callBotConnector\.botResponseTimeout: the emulator does not implement "botResponseTimeout"/));
  });

  test("expressions beyond the renderer's forms are rejected at load, naming the expression", () => {
    const yamlText = devFlowWith((f) => {
      callAction(f).inputText = { exp: "Append(Message.Message.body, \"!\")" };
      callAction(f).outputs.failure.actions[0].setParticipantData.attributes[0].attribute.value = { exp: "Flow.StartDateTimeUtc" };
    });
    const problems = loadProblems(yamlText);
    expect(problems).toContainEqual(expect.stringContaining("does not implement the function Append"));
    expect(problems).toContainEqual(expect.stringContaining("does not know the name Flow.StartDateTimeUtc"));
  });

  test("a variable the state does not declare, a missing failure path, a flow of another type", () => {
    const undeclared = devFlowWith((f) => {
      state(f).variables = state(f).variables.filter((v: Tree) => v.stringVariable?.name !== "State.out_lastTopic");
    });
    expect(loadProblems(undeclared)).toEqual([
      "inboundShortMessage.states[0].state.actions[1].callBotConnector: uses State.out_lastTopic, which the state does not declare",
      // Read by the participant data expression of each path that writes lastTopic.
      expect.stringMatching(/outputs\.OrderStatus\.actions\[0\]\.setParticipantData: uses State\.out_lastTopic/),
      expect.stringMatching(/outputs\.ReturnCreated\.actions\[0\]\.setParticipantData: uses State\.out_lastTopic/),
    ]);
    const noFailure = devFlowWith((f) => delete callAction(f).outputs.failure);
    expect(loadProblems(noFailure)).toEqual([expect.stringContaining("callBotConnector.outputs: has no failure path (outputs.failure)")]);
    expect(loadProblems("inboundCall:\n  name: x\n")).toEqual([expect.stringContaining("the emulator runs inbound message flows (inboundShortMessage); this file declares inboundCall")]);
    expect(loadProblems("inboundShortMessage: [")).toEqual([expect.stringMatching(/^not valid YAML/)]);
  });

  test("Architect's design-time checks against the bot list: paths, languages, slots and their variable types", () => {
    const yamlText = devFlowWith((f) => {
      const call = callAction(f);
      delete call.outputs.Goodbye;
      call.outputs.Refund = { actions: [{ disconnect: { name: "Disconnect (Refund)" } }] };
      const version = call.botIntegration["Acme Virtual Agent DEV Bot Connector"].bot["Acme Support"].version["1.0"];
      delete version.intents.Goodbye;
      version.intents.OrderStatus.slots.trackingUrl = { var: "State.slot_OrderStatus_orderNumber" };
      version.intents.ReturnCreated.slots.itemCount = { var: "State.slot_ReturnCreated_comment" };
      f.inboundShortMessage.supportedLanguages["fr-fr"] = { defaultLanguageSkill: { noValue: true } };
    });
    expect(bindProblems(yamlText)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('the flow supports fr-fr but bot "Acme Support" version 1.0 does not (en-us, de-de)'),
        expect.stringContaining('no output path for registered intent "Goodbye"'),
        expect.stringContaining('output path "Refund" is not an intent of bot "Acme Support" version 1.0'),
        expect.stringContaining('binds slot "trackingUrl" of intent "OrderStatus", which the bot list does not declare'),
        expect.stringContaining('slot "ReturnCreated.itemCount" is Integer but State.slot_ReturnCreated_comment is a stringVariable (expected integerVariable)'),
      ]),
    );
  });

  test("a bot or version missing from the bot list, and a malformed bot list", () => {
    const list = botList();
    (list.chatBots[0] as { name: string }).name = "Acme Helper";
    expect(bindProblems(devArtifacts().flowYaml, list)).toEqual([expect.stringContaining('bot "Acme Support" is not in the bot list (bots: "Acme Helper")')]);
    const versions = botList();
    (versions.chatBots[0]?.versions[0] as { version: string }).version = "2.0";
    expect(bindProblems(devArtifacts().flowYaml, versions)).toEqual([expect.stringContaining('bot "Acme Support" has no version "1.0" in the bot list (versions: 2.0)')]);
    expect(() => parseBotList({ chatBots: [{ id: "x", versions: [{ version: "1", intents: [] }] }] })).toThrow(/chatBots\[0\]\.versions\[0\]\.supportedLanguages: is required/);
  });

  test("createEmulator refuses artifacts it cannot play, with every problem listed", () => {
    const flowYaml = devFlowWith((f) => state(f).actions.push({ playAudio: { name: "Beep" } }));
    expect(() => createEmulator({ flowYaml, botList: devArtifacts().botList, botConnector: { url: "http://127.0.0.1:1/x", credentials: {} } })).toThrow(FlowLoadError);
  });
});

describe("expressions", () => {
  const scope = (vars: Record<string, unknown>, body = "hello", language: string | null = "de-de") => ({
    variable: (n: string) => vars[n] as never,
    messageBody: body,
    messageLanguage: language ?? undefined,
  });

  test("the renderer's forms evaluate as Architect would", () => {
    const isSet = parseExpression('If(IsSet(State.x), ToString(State.x), "")');
    expect(evaluate(isSet, scope({ "State.x": 3 }))).toBe("3");
    expect(evaluate(isSet, scope({ "State.x": true }))).toBe("true");
    expect(evaluate(isSet, scope({}))).toBe("");
    expect(evaluate(parseExpression("Message.Message.Body"), scope({}, "hi there"))).toBe("hi there");
    expect(evaluate(parseExpression('"Menu"'), scope({}))).toBe("Menu");
    expect(evaluate(parseExpression("NOT_SET"), scope({}))).toBeUndefined();
    const german = parseExpression('If(IsSet(Message.Language), Message.Language, "") == "de-de"');
    expect(evaluate(german, scope({}))).toBe(true);
    expect(evaluate(german, scope({}, "hi", "en-us"))).toBe(false);
    expect(evaluate(german, scope({}, "hi", null))).toBe(false);
    expect(() => evaluate(parseExpression('Message.Language == "de-de"'), scope({}, "hi", null))).toThrow(/NOT_SET/);
  });

  test("malformed expressions are rejected with the position", () => {
    expect(() => parseExpression('If(IsSet(State.x), "a")')).toThrow(/If takes 3 argument\(s\), got 2/);
    expect(() => parseExpression('"open')).toThrow(/unterminated string/);
    expect(() => parseExpression("State.x State.y")).toThrow(/unexpected "State.y"/);
    expect(() => parseExpression("1 + 2")).toThrow(/unexpected "\+" at 2/);
  });
});
