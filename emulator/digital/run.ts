/**
 * Call Digital Bot Connector, as Genesys runs it: one bot session (a `botSessionId`, open until Complete, Failed or
 * a timeout), one `POST {base}/messages` per customer message with a fresh `messageId` (the same one again when a
 * 5xx is retried), the answer within the action's Bot Response Timeout, and, while the session is open, the bot's
 * own messages through the outgoing messages API (platform.ts) shown as they arrive; a Complete or Failed among
 * them leaves the action like an answer would. The Follow-up Response Timeout restarts after every bot message;
 * the Session Timeout bounds the whole session.
 */
import { randomUUID } from "node:crypto";
import { type IncomingMessageRequest } from "../../service/src/protocol/v2/types";
import { callBotConnector, type BotConnectorEndpoint, type CallRecord } from "../botConnector/caller";
import { type ResponseProblem } from "../botConnector/rules";
import { architectToString } from "../flow/expressions";
import { type CallBotConnectorAction } from "../flow/model";
import { FlowRuntimeError, inputMessageOf, type FlowRunApi, type Outcome } from "../flow/run";
import { checkDigitalAnswer, type DigitalAnswer } from "./answer";
import { type EmulatorPlatform } from "./platform";

export interface DigitalRuntime {
  platform: EmulatorPlatform;
  /** The integration's file-transfer option: may the bot send attachments (default off). */
  attachments: boolean;
}

/** Genesys retries a 5xx answer; how often is not documented, the emulator retries twice (with the same messageId). */
export const RETRIES_ON_5XX = 2;

interface FromBot {
  answer: DigitalAnswer;
}

/** One message to the bot, retried on 5xx; every attempt is shown as a call. */
async function postMessage(run: FlowRunApi, endpoint: BotConnectorEndpoint, request: IncomingMessageRequest, timeoutMs: number): Promise<CallRecord<IncomingMessageRequest>> {
  const c = run.conversation;
  const messages: BotConnectorEndpoint = { url: `${endpoint.url}/messages`, credentials: endpoint.credentials };
  for (let attempt = 0; ; attempt++) {
    c.emit({ type: "typing", on: true });
    const call = await callBotConnector(messages, request, timeoutMs, c.signal);
    c.emit({ type: "typing", on: false });
    c.emit({ type: "call", ...call });
    const status = call.outcome.kind === "error" ? call.outcome.status : undefined;
    if (status === undefined || status < 500 || attempt >= RETRIES_ON_5XX || c.isAbandoned) return call;
    c.emit({ type: "warning", message: `the bot answered ${status}: Genesys retries a 5xx with the same messageId (retry ${attempt + 1} of ${RETRIES_ON_5XX})` });
  }
}

export async function runDigitalCall(run: FlowRunApi, action: CallBotConnectorAction, track: (name: string) => void): Promise<Outcome> {
  const binding = run.runtime.bindings.get(action);
  const digital = run.runtime.digital;
  const timeouts = action.digital;
  if (!binding || !digital || !timeouts) throw new FlowRuntimeError(`${action.name}: not bound to a Digital Bot Connector bot version`);
  const c = run.conversation;
  const botSessionId = randomUUID();
  const sessionDeadline = Date.now() + timeouts.sessionTimeoutMs;
  const followUpMs = run.runtime.followUpTimeoutMs ?? action.followUpTimeoutMs;
  const context = { binding, attachments: digital.attachments };
  const parameters: Record<string, string> = {};
  for (const [name, source] of Object.entries(action.inputs)) {
    const value = architectToString(run.value(source));
    if (value !== undefined) parameters[name] = value;
  }

  digital.platform.open(botSessionId, {
    botId: binding.bot.id,
    botVersion: binding.version.version,
    receive(body) {
      const checked = checkDigitalAnswer(body, context);
      c.emit({ type: "outgoing", status: checked.ok ? 200 : 400, body, ...(checked.ok ? {} : { problems: checked.problems }) });
      for (const warning of checked.warnings) c.emit({ type: "warning", message: warning });
      if (!checked.ok) {
        const first = checked.problems[0] as ResponseProblem;
        return { status: 400, body: { status: 400, code: "bad.request", message: `${first.path}: ${first.message} (${first.source})`, problems: checked.problems } };
      }
      // Complete and Failed close the session at once: a later message gets 409 session.already.closed.
      if (checked.answer.botState !== "MoreData") digital.platform.close(botSessionId);
      const item: FromBot = { answer: checked.answer };
      c.deliverFromBot(item);
      return { status: 200, body: { messageId: randomUUID() } };
    },
  });
  const end = () => digital.platform.close(botSessionId);
  const fail = async (errorType: string, errorMessage: string, problems?: ResponseProblem[]): Promise<Outcome> => {
    end();
    run.flowEvent({ kind: "failure", action: action.name, errorType, errorMessage, ...(problems ? { problems } : {}) });
    return run.actions(action.failurePath, track);
  };
  /** Shows an answer's messages; Complete and Failed leave the action, MoreData goes on waiting. */
  const handle = async (answer: DigitalAnswer): Promise<Outcome | undefined> => {
    for (const message of answer.replyMessages) run.say(message, "bot");
    if (answer.botState === "Failed") {
      const info = answer.errorInfo ?? {};
      const text = [info.errorCode ?? info.code, info.errorMessage ?? info.message].filter((v) => typeof v === "string" && v !== "").join(": ");
      return fail("BotFailed", text || "the bot answered Failed");
    }
    if (answer.botState === "Complete") {
      end();
      return run.complete(action, answer, track);
    }
    return undefined;
  };

  run.flowEvent({ kind: "botSessionStarted", action: action.name, botSessionId, bot: binding.bot, version: binding.version.version });
  let input = inputMessageOf({ kind: "text", text: run.text(action.inputText) });
  let first = true;
  try {
    for (;;) {
      const request: IncomingMessageRequest = {
        botId: binding.bot.id,
        botVersion: binding.version.version,
        botSessionId,
        messageId: randomUUID(),
        inputMessage: input,
        languageCode: c.language.toLowerCase(),
        botSessionTimeout: Math.max(1, Math.round(timeouts.sessionTimeoutMs / 60_000)),
        genesysConversationId: c.id,
        ...(first && Object.keys(parameters).length > 0 ? { parameters } : {}),
      };
      first = false;
      const call = await postMessage(run, run.runtime.endpoint, request, timeouts.botResponseTimeoutMs);
      if (c.isAbandoned) return "abandoned";
      if (call.outcome.kind === "error") return fail(call.outcome.errorType, call.outcome.errorMessage);
      const checked = checkDigitalAnswer(call.outcome.body, context);
      for (const warning of checked.warnings) c.emit({ type: "warning", message: warning });
      if (!checked.ok) return fail("ServiceProviderInvalidResponse", checked.problems.map((p) => `${p.path}: ${p.message}`).join("; "), checked.problems);
      const done = await handle(checked.answer);
      if (done) return done;

      // MoreData: the customer's next message, or the bot's own, whichever comes first.
      for (;;) {
        const left = sessionDeadline - Date.now();
        if (left <= 0) return fail("SessionTimeout", `the bot session outlived the Session Timeout (${timeouts.sessionTimeoutMs} ms)`);
        const next = await c.receive(Math.min(followUpMs, left), { followUp: true });
        if (next.kind === "abandoned") return "abandoned";
        if (next.kind === "timeout") {
          const limit = `the Follow-up Response Timeout (${followUpMs} ms)`;
          if (next.fired) return fail("FollowUpResponseTimeout", `${limit} was fired from the emulator before the customer answered`);
          return Date.now() >= sessionDeadline
            ? fail("SessionTimeout", `the bot session outlived the Session Timeout (${timeouts.sessionTimeoutMs} ms)`)
            : fail("FollowUpResponseTimeout", `the customer did not answer within ${limit}`);
        }
        if (next.kind === "bot") {
          const handled = await handle((next.item as FromBot).answer);
          if (handled) return handled;
          continue;
        }
        input = inputMessageOf(next.input);
        break;
      }
    }
  } finally {
    end();
  }
}
