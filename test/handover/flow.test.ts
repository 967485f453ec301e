/**
 * Context reaches the agent through the Architect flow too, without the service-side option: hand-over paths
 * write the intent, its slots and output parameters to participant data, `handoverReason` included by default,
 * upstream agents' output parameters included; the failure path can mark the failure.
 */
import path from "node:path";
import { parse } from "yaml";
import { type BotDefinition } from "../../service/src/bots/definition";
import { loadBotDefinitions } from "../../service/src/bots/load";
import { describeFlow, outputParametersByIntent } from "../../components/genesys/flow/fromBot";
import { renderInboundFlow } from "../../components/genesys/flow/render";
import { UPSTREAM_BOTS } from "../upstream/harness";

const sample = loadBotDefinitions(path.join(__dirname, "..", "..", "service", "bots"))[0]!.definition;
const orders = loadBotDefinitions(UPSTREAM_BOTS).find((b) => b.definition.id === "acme-orders")!.definition;

type Node = Record<string, unknown>;
interface Attribute {
  attribute: { name: { lit: string }; value: { lit?: string; exp?: string } };
}

function outputsOf(definition: BotDefinition, failurePath?: { setParticipantData?: boolean }) {
  const yaml = renderInboundFlow(describeFlow({ flowName: "F", integrationName: "I", queueName: "Q", definition, ...(failurePath ? { failurePath } : {}) })).yaml;
  const state = ((parse(yaml) as { inboundShortMessage: { states: Array<{ state: { actions: Node[] } }> } }).inboundShortMessage.states[0]!).state;
  const call = state.actions.find((a) => "callBotConnector" in a)!.callBotConnector as { outputs: Record<string, { actions: Node[] }> };
  return call.outputs;
}

const participantData = (actions: Node[]) =>
  Object.fromEntries(((actions.find((a) => "setParticipantData" in a)?.setParticipantData as { attributes: Attribute[] } | undefined)?.attributes ?? []).map((a) => [a.attribute.name.lit, a.attribute.value]));

describe("hand-over context in the Architect flow", () => {
  test("a hand-over intent's path writes the intent, its slots and the hand-over reason by default", () => {
    expect(participantData(outputsOf(sample).AgentRequested!.actions)).toEqual({
      "virtualAgent.intent": { lit: "AgentRequested" },
      "virtualAgent.reason": { exp: 'If(IsSet(State.slot_AgentRequested_reason), ToString(State.slot_AgentRequested_reason), "")' },
      "virtualAgent.topic": { exp: 'If(IsSet(State.slot_AgentRequested_topic), ToString(State.slot_AgentRequested_topic), "")' },
      "virtualAgent.handoverReason": { exp: 'If(IsSet(State.out_handoverReason), ToString(State.out_handoverReason), "")' },
    });
  });

  test("intents that do not hand over carry no handoverReason", () => {
    expect(outputParametersByIntent(sample).get("Goodbye")).toBeUndefined();
    expect(Object.keys(participantData(outputsOf(sample).OrderStatus!.actions))).not.toContain("virtualAgent.handoverReason");
  });

  test("an upstream agent's output parameters become output variables of the intents it may end with", () => {
    expect(Object.fromEntries(outputParametersByIntent(orders))).toEqual({
      OrderStatus: ["lastTopic"],
      AgentRequested: ["handoverReason", "lastTopic"],
    });
    expect(participantData(outputsOf(orders).OrderStatus!.actions)["virtualAgent.lastTopic"]).toEqual({
      exp: 'If(IsSet(State.out_lastTopic), ToString(State.out_lastTopic), "")',
    });
  });

  test("the failure path writes the failure and a technical reason by default; setParticipantData: false leaves it out", () => {
    const marked = outputsOf(sample).failure!.actions;
    expect(marked.map((a) => Object.keys(a)[0])).toEqual(["setParticipantData", "switch", "transferToAcd"]);
    expect(participantData(marked)).toEqual({
      "virtualAgent.outcome": { lit: "failure" },
      "virtualAgent.handoverReason": { lit: expect.stringMatching(/^technical failure/) },
    });
    expect(outputsOf(sample, { setParticipantData: false }).failure!.actions.map((a) => Object.keys(a)[0])).toEqual(["switch", "transferToAcd"]);
  });
});
