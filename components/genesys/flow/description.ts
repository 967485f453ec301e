import { type SlotType } from "../../../service/src/bots/definition";

/**
 * What the Inbound Message flow does, as data. `renderInboundFlow` turns it into Archy YAML; names of Genesys
 * objects (flow, integration, bot, version, queues) are emitted as `{{placeholders}}` and returned as
 * substitutions, so the Flow resource can fill them from resource outputs.
 */
export interface FlowDescription {
  /** The flow's name in Genesys (set explicitly: renaming it in the file creates a new flow). */
  flowName: string;
  description?: string;
  /** The flow's default language, e.g. `en-us` (lower case, one of `languages`). */
  defaultLanguage: string;
  /** Supported languages; the bot version must support each (Architect matches without fallback). */
  languages: string[];
  /** The Bot Connector integration's name (Architect selects the integration by name). */
  integrationName: string;
  bot: { name: string; version: string };
  /** Architect expression sent as the first turn's text. Default `Message.Message.body`. */
  inputText?: string;
  /** How long to wait for the customer after each bot prompt, ISO 8601 (`PT12H`, Architect's default). */
  followUpTimeout: string;
  /**
   * Session variables passed to the bot, each read first from the participant data attribute of the same name
   * (Messenger custom attributes arrive there).
   */
  inputParameters: string[];
  /** Queue key → queue name; intent actions and the failure path refer to keys. */
  queues: Record<string, string>;
  /** One output path per intent of the bot version, in order. */
  intents: IntentPath[];
  failure: FailurePath;
  /** Prefix of participant data attributes written from slots and parameters (default `virtualAgent.`). */
  participantDataPrefix?: string;
  /**
   * A `callBotConnector` action exported from Architect, used instead of the built-in shape (see
   * callBotConnector.ts for how to prepare it); for the Digital Bot Connector a `callDigitalBotConnector` action.
   */
  callBotConnectorTemplate?: string;
  /**
   * The Digital Bot Connector (v2): the flow calls Call Digital Bot Connector with these timeouts (ISO 8601). Absent:
   * the Bot Connector (v1) and its Call Bot Connector action.
   */
  digital?: DigitalCall;
}

export interface DigitalCall {
  /** How long the bot has to answer one message, 1 s to 1 minute (Architect's default 30 s). */
  botResponseTimeout: string;
  /** The longest life of the bot session, 1 minute to 3 days (Architect's default 12 h). */
  sessionTimeout: string;
}

export const DEFAULT_BOT_RESPONSE_TIMEOUT = "PT30S";
export const DEFAULT_SESSION_TIMEOUT = "PT12H";

export interface IntentPath {
  name: string;
  slots: Array<{ name: string; type: SlotType }>;
  /** Output session variables the bot may return with this intent (flat strings). */
  outputParameters: string[];
  action: IntentAction;
}

/**
 * A message the flow itself sends, one text per flow language (every language of the flow needs one): the flow picks
 * the text by the conversation's language, so a German customer never reads the flow's English.
 */
export type FlowMessage = Record<string, string>;

export type IntentAction =
  | {
      kind: "transferToQueue";
      /** Key into `queues`. */
      queue: string;
      /** ACD priority (higher is served first), 0 by default in Genesys. */
      priority: number;
      /** Sent before the transfer, if given. */
      message?: FlowMessage;
      /** Write the intent, its slots and output parameters to participant data first (for the agent). */
      setParticipantData: boolean;
    }
  | {
      kind: "respondAndDisconnect";
      message?: FlowMessage;
      setParticipantData: boolean;
    };

export interface FailurePath {
  /** The apology sent when the bot fails, cannot be reached, or the customer does not answer in time. */
  message: FlowMessage;
  queue: string;
  priority: number;
  /**
   * Write `<prefix>outcome` = `failure` and `<prefix>handoverReason` = TECHNICAL_FAILURE_REASON to participant data
   * before the transfer, so the agent sees why the customer arrives (designed hand-overs take their intent's path).
   */
  setParticipantData?: boolean;
}

export const DEFAULT_INPUT_TEXT = "Message.Message.body";
export const DEFAULT_FOLLOW_UP_TIMEOUT = "PT12H";
export const DEFAULT_PARTICIPANT_DATA_PREFIX = "virtualAgent.";
export { HANDOVER_REASON_PARAMETER } from "../../../service/src/bots/definition";
/** The reason the failure path writes to participant data: every designed hand-over completes with an intent instead. */
export const TECHNICAL_FAILURE_REASON = "technical failure: the virtual agent failed, gave an invalid answer, could not be reached, or the customer did not answer in time";
/**
 * The conversation's language as the flow knows it: Architect's built-in `Message.Language` of inbound message flows
 * ("the IETF language tag lowercase string value set on the current interaction", Genesys Resource Center, Architect
 * built-in variables). Guarded, as a variable may be NOT_SET. That it equals the `languageCode` the Bot Connector
 * sends is UNCONFIRMED; this is the one place to change should an org show otherwise.
 */
export const CONVERSATION_LANGUAGE_EXPRESSION = 'If(IsSet(Message.Language), Message.Language, "")';
