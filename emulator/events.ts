/**
 * What happens in an emulated conversation, in order. The chat page renders these; tests assert on them; the
 * HTTP API returns them and streams them (server-sent events, `id` = `seq`).
 */
import { type ReplyMessage } from "../service/src/protocol/types";
import { type ChannelId, type ChannelNotice } from "./channels";
import { type FlowValue } from "./flow/expressions";
import { type CallOutcome, type HandleUtteranceRequest } from "./botConnector/caller";
import { type ResponseProblem } from "./botConnector/rules";
import { type IncomingMessageRequest as DigitalMessageRequest } from "../service/src/protocol/v2/types";

/** The customer's input: typed text, or a click on a quick reply or a card button. */
export type CustomerInput = { kind: "text"; text: string } | { kind: "button"; buttonType: "QuickReply" | "Button"; text: string; payload: string };

export type FlowEvent =
  | { kind: "botSessionStarted"; action: string; botSessionId: string; bot: { id: string; name: string }; version: string }
  | { kind: "complete"; action: string; intent: string; slots: Record<string, FlowValue>; parameters: Record<string, string> }
  | {
      kind: "failure";
      action: string;
      /** The failure outputs' error type; `FollowUpResponseTimeout` and `BotFailed` are the emulator's own names. */
      errorType: string;
      errorMessage: string;
      problems?: ResponseProblem[];
    }
  | { kind: "participantData"; action: string; attributes: Record<string, string> }
  | { kind: "transfer"; action: string; queue: string; priority: number; participantData: Record<string, string> }
  | { kind: "disconnect"; action: string }
  | { kind: "error"; action: string; message: string };

export type EventBody =
  | { type: "started"; conversationId: string; language: string; flow: string; participantData: Record<string, string> }
  | { type: "customer"; input: CustomerInput }
  | { type: "message"; origin: "bot" | "flow"; message: ReplyMessage; notices: Record<ChannelId, ChannelNotice[]> }
  | { type: "typing"; on: boolean }
  | { type: "flow"; event: FlowEvent }
  | { type: "call"; correlationId: string; headers: Record<string, string>; request: HandleUtteranceRequest | DigitalMessageRequest; outcome: CallOutcome; durationMs: number }
  /** A message the bot sent through the outgoing messages API (Digital Bot Connector), and what the API answered. */
  | { type: "outgoing"; status: number; body: unknown; problems?: ResponseProblem[] }
  | { type: "warning"; message: string }
  | { type: "ended"; reason: EndReason };

export type EndReason = "disconnect" | "transfer" | "error" | "abandoned";

export type EmulatorEvent = EventBody & { seq: number; at: string };
