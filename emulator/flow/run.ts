/**
 * Runs the flow for one conversation, action by action, as Architect would (docs/genesys-bot-connector.md,
 * "The Call Bot Connector action"):
 * Call Bot Connector opens a bot session (one `botSessionId`), sends the Bot Input Text, shows the replies,
 * waits for the customer after each `MoreData` (bounded by the Follow-up Response Timeout), and leaves through
 * the intent's output path on `Complete` (slots and output session variables bound) or the failure path on
 * `Failed`, an HTTP error, a timeout or an answer Genesys would reject.
 */
import { randomUUID } from "node:crypto";
import { type BotBinding } from "../botList";
import { BOT_SESSION_TIMEOUT_MINUTES, callBotConnector, type BotConnectorEndpoint, type HandleUtteranceRequest, type InputMessage } from "../botConnector/caller";
import { checkBotResponse, LoopGuard, type AcceptedResponse } from "../botConnector/response";
import { type ResponseProblem } from "../botConnector/rules";
import { channelNotices } from "../channels";
import { type Conversation } from "../conversation";
import { type CustomerInput, type EndReason, type FlowEvent } from "../events";
import { architectToString, evaluate, type FlowValue } from "./expressions";
import { type CallBotConnectorAction, type FlowAction, type FlowModel, type FlowValueSource } from "./model";
import { type ReplyMessage } from "../../service/src/protocol/types";
import { runDigitalCall, type DigitalRuntime } from "../digital/run";

export interface FlowRuntime {
  flow: FlowModel;
  bindings: ReadonlyMap<CallBotConnectorAction, BotBinding>;
  /** The Bot Connector's Handle Utterance URI, or the Digital Bot Connector's base URI, and the credential fields. */
  endpoint: BotConnectorEndpoint;
  /** The Digital Bot Connector: where outgoing messages arrive, and whether the integration allows attachments. */
  digital?: DigitalRuntime;
  botResponseTimeoutMs: number;
  /** Replaces every action's Follow-up Response Timeout (tests, demos). */
  followUpTimeoutMs?: number;
  /** Start the flow when the conversation opens, with an empty message (Messenger auto-start), or on the first message. */
  autoStart: boolean;
}

/** A run-time error Architect would raise; the flow's error handling (disconnect) takes over. */
export class FlowRuntimeError extends Error {}

export type Outcome = "continue" | EndReason;

export function inputMessageOf(input: CustomerInput): InputMessage {
  if (input.kind === "text") return { type: "Text", text: input.text };
  return { type: "Structured", text: input.text, content: [{ contentType: "ButtonResponse", buttonResponse: { type: input.buttonType, text: input.text, payload: input.payload } }] };
}

/** Runs the flow to its end; never throws (errors end the conversation with an `error` flow event). */
export async function runFlow(conversation: Conversation, runtime: FlowRuntime): Promise<void> {
  await new FlowRun(conversation, runtime).run();
}

/** What the Digital Bot Connector's action (digital/run.ts) uses of a running flow. */
export interface FlowRunApi {
  readonly conversation: Conversation;
  readonly runtime: FlowRuntime;
  flowEvent(event: FlowEvent): void;
  text(source: FlowValueSource): string;
  value(source: FlowValueSource): FlowValue;
  say(message: ReplyMessage, origin: "bot" | "flow"): void;
  actions(list: readonly FlowAction[], track: (name: string) => void): Promise<Outcome>;
  complete(action: CallBotConnectorAction, response: Completed, track: (name: string) => void): Promise<Outcome>;
}

/** What binding a completed session needs, from either protocol's answer. */
export type Completed = Pick<AcceptedResponse, "intent" | "slots" | "parameters">;

class FlowRun implements FlowRunApi {
  private readonly variables = new Map<string, FlowValue>();
  private messageBody = "";

  constructor(
    readonly conversation: Conversation,
    readonly runtime: FlowRuntime,
  ) {}

  flowEvent(event: FlowEvent): void {
    this.conversation.emit({ type: "flow", event });
  }

  value(source: FlowValueSource): FlowValue {
    if (source.kind === "literal") {
      const v = source.value;
      if (v === null || v === undefined || typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v ?? undefined;
      throw new FlowRuntimeError(`the literal ${JSON.stringify(v)} is not a value`);
    }
    if (source.kind === "notSet") return undefined;
    return evaluate(source.expression, { variable: (name) => this.variables.get(name), messageBody: this.messageBody, messageLanguage: this.conversation.language.toLowerCase() });
  }

  text(source: FlowValueSource): string {
    return architectToString(this.value(source)) ?? "";
  }

  async run(): Promise<void> {
    const c = this.conversation;
    let outcome: Outcome;
    let lastAction = "(flow)";
    try {
      if (!this.runtime.autoStart) {
        const first = await c.receive();
        if (first.kind !== "input") return c.end("abandoned");
        this.messageBody = first.input.text;
      }
      outcome = await this.actions(this.runtime.flow.actions, (name) => (lastAction = name));
      if (outcome === "continue") {
        this.flowEvent({ kind: "error", action: lastAction, message: "the state ended without a Disconnect or Transfer to ACD; Architect requires a terminating action" });
        outcome = "error";
      }
    } catch (err) {
      // settingsErrorHandling: disconnect.
      this.flowEvent({ kind: "error", action: lastAction, message: err instanceof FlowRuntimeError ? err.message : `emulator error: ${(err as Error).message}` });
      this.flowEvent({ kind: "disconnect", action: "flow error handling" });
      outcome = "error";
    }
    c.end(outcome);
  }

  async actions(list: readonly FlowAction[], track: (name: string) => void): Promise<Outcome> {
    for (const action of list) {
      track(action.name);
      const outcome = await this.action(action, track);
      if (outcome !== "continue") return outcome;
    }
    return "continue";
  }

  private async action(action: FlowAction, track: (name: string) => void): Promise<Outcome> {
    switch (action.type) {
      case "getParticipantData":
        for (const { attribute, variable } of action.attributes) this.variables.set(variable, this.conversation.participantData[attribute]);
        return "continue";
      case "setParticipantData": {
        const attributes = Object.fromEntries(action.attributes.map(({ attribute, value }) => [attribute, this.text(value)]));
        Object.assign(this.conversation.participantData, attributes);
        this.flowEvent({ kind: "participantData", action: action.name, attributes });
        return "continue";
      }
      case "sendResponse":
        this.say({ type: "Text", text: this.text(action.messageBody) }, "flow");
        return "continue";
      case "transferToAcd": {
        const priority = Number(this.value(action.priority) ?? 0);
        if (!Number.isInteger(priority)) throw new FlowRuntimeError(`${action.name}: priority ${String(priority)} is not a whole number`);
        this.flowEvent({ kind: "transfer", action: action.name, queue: action.queue, priority, participantData: { ...this.conversation.participantData } });
        return "transfer";
      }
      case "disconnect":
        this.flowEvent({ kind: "disconnect", action: action.name });
        return "disconnect";
      case "callBotConnector":
        return action.digital ? runDigitalCall(this, action, track) : this.callBotConnector(action, track);
      case "switch": {
        const chosen = action.cases.find((c) => {
          const value = this.value(c.condition);
          if (typeof value !== "boolean") throw new FlowRuntimeError(`${action.name}: a case evaluated to ${JSON.stringify(value)}, not true or false`);
          return value;
        });
        return this.actions(chosen ? chosen.actions : action.defaultActions, track);
      }
    }
  }

  say(message: ReplyMessage, origin: "bot" | "flow"): void {
    this.conversation.emit({ type: "message", origin, message, notices: channelNotices(message) });
  }

  private async callBotConnector(action: CallBotConnectorAction, track: (name: string) => void): Promise<Outcome> {
    const binding = this.runtime.bindings.get(action);
    if (!binding) throw new FlowRuntimeError(`${action.name}: not bound to a bot version`);
    const c = this.conversation;
    const botSessionId = randomUUID();
    const parameters: Record<string, string> = {};
    for (const [name, source] of Object.entries(action.inputs)) {
      const value = architectToString(this.value(source));
      if (value !== undefined) parameters[name] = value;
    }
    this.flowEvent({ kind: "botSessionStarted", action: action.name, botSessionId, bot: binding.bot, version: binding.version.version });
    const guard = new LoopGuard();
    const followUpMs = this.runtime.followUpTimeoutMs ?? action.followUpTimeoutMs;
    let input: InputMessage = { type: "Text", text: this.text(action.inputText) };
    let first = true;
    const fail = async (errorType: string, errorMessage: string, problems?: ResponseProblem[]): Promise<Outcome> => {
      this.flowEvent({ kind: "failure", action: action.name, errorType, errorMessage, ...(problems ? { problems } : {}) });
      return this.actions(action.failurePath, track);
    };

    for (;;) {
      const request: HandleUtteranceRequest = {
        botId: binding.bot.name,
        botVersion: binding.version.version,
        botSessionId,
        genesysConversationId: c.id,
        inputMessage: input,
        languageCode: c.language.toLowerCase(),
        botSessionTimeout: BOT_SESSION_TIMEOUT_MINUTES,
        chatBot: binding.bot,
        // Session variables go with the first turn of the session; bots keep them (genesys-bot-connector.md#body; every turn: unconfirmed).
        ...(first && Object.keys(parameters).length > 0 ? { parameters } : {}),
      };
      first = false;
      c.emit({ type: "typing", on: true });
      const call = await callBotConnector(this.runtime.endpoint, request, this.runtime.botResponseTimeoutMs, c.signal);
      c.emit({ type: "typing", on: false });
      c.emit({ type: "call", ...call });
      if (c.isAbandoned) return "abandoned";
      if (call.outcome.kind === "error") return fail(call.outcome.errorType, call.outcome.errorMessage);
      const checked = checkBotResponse(call.outcome.body, binding);
      for (const warning of checked.warnings) c.emit({ type: "warning", message: warning });
      if (!checked.ok) return fail("ServiceProviderInvalidResponse", checked.problems.map((p) => `${p.path}: ${p.message}`).join("; "), checked.problems);
      const response = checked.response;

      if (response.botState === "MoreData") {
        const looping = guard.record(response);
        if (looping) return fail("ServiceProviderInvalidResponse", `NoMatchError: ${looping.message}`, [looping]);
      }
      for (const message of response.replymessages) this.say(message, "bot");

      if (response.botState === "Failed") {
        const info = response.errorInfo;
        return fail("BotFailed", info ? [info.errorCode, info.errorMessage].filter(Boolean).join(": ") : "the bot answered Failed");
      }
      if (response.botState === "Complete") return this.complete(action, response, track);

      const next = await c.receive(followUpMs, { followUp: true });
      if (next.kind === "abandoned") return "abandoned";
      if (next.kind === "timeout") {
        const limit = `the Follow-up Response Timeout (${followUpMs} ms)`;
        return fail("FollowUpResponseTimeout", next.fired ? `${limit} was fired from the emulator before the customer answered` : `the customer did not answer within ${limit}`);
      }
      // The Bot Connector has no outgoing messages: only the Digital Bot Connector's sessions receive them.
      if (next.kind === "bot") continue;
      input = inputMessageOf(next.input);
    }
  }

  async complete(action: CallBotConnectorAction, response: Completed, track: (name: string) => void): Promise<Outcome> {
    const intent = response.intent as string;
    for (const [slot, variable] of Object.entries(action.slotBindings[intent] ?? {})) this.variables.set(variable, response.slots[slot]);
    for (const [name, variable] of Object.entries(action.outputs)) {
      if (name in response.parameters) this.variables.set(variable, response.parameters[name]);
    }
    const dropped = Object.keys(response.parameters).filter((name) => !(name in action.outputs));
    if (dropped.length > 0) {
      this.conversation.emit({
        type: "warning",
        message:
          dropped.length === 1
            ? `parameter ${dropped[0]} has no output session variable in the flow; Architect drops it`
            : `parameters ${dropped.join(", ")} have no output session variable in the flow; Architect drops them`,
      });
    }
    this.flowEvent({ kind: "complete", action: action.name, intent, slots: response.slots, parameters: response.parameters });
    const path = action.intentPaths[intent];
    if (!path) throw new FlowRuntimeError(`${action.name}: no output path for intent ${intent}`);
    return this.actions(path, track);
  }
}
