/**
 * The flows one emulator plays, one per bot (`npm start` renders the stack's flow once for each bot of
 * BOTS_DIR): each loaded, checked against the bot list as Architect checks it at design time, and described for
 * the chat page. A conversation plays the flow of the bot it picks, or the first flow.
 */
import { type BotList } from "../service/src/bots/botList";
import { type FlowFile } from "./artifacts";
import { bindFlowToBotList } from "./botList";
import { loadFlow, FlowLoadError } from "./flow/load";
import { allActions, type CallBotConnectorAction } from "./flow/model";
import { type FlowRuntime } from "./flow/run";

/** What the chat page shows about one flow and the bot it calls. */
export interface FlowInfo {
  flow: { name: string; defaultLanguage: string; languages: string[]; followUpTimeoutMs: number | undefined };
  bot: { id: string; name: string; version: string; intents: string[] } | undefined;
  integration: string | undefined;
  /** Participant data attributes the flow reads when a conversation starts. */
  participantDataRead: string[];
  botDisplayName: string;
}

export interface PlayableFlow {
  /** The id of the bot the flow calls: how a conversation picks the flow. */
  botId: string;
  runtime: FlowRuntime;
  info: FlowInfo;
}

export interface PlayableFlowsOptions {
  files: readonly FlowFile[];
  botList: BotList;
  botListSource: string;
  /** Everything of the runtime but the flow and its bindings (the same for every flow). */
  runtime: Omit<FlowRuntime, "flow" | "bindings">;
  /** The protocol the emulator plays: every flow's bot actions must call it (v1 Call Bot Connector, v2 Call Digital Bot Connector). */
  protocol?: "v1" | "v2";
  /** The Messenger's name for the bot of the first flow (the stack's bot); the others show their own name. */
  botDisplayName?: string;
}

/** Loads every flow (FlowLoadError / BotListError name every problem); the first one is the default. */
export function loadPlayableFlows(options: PlayableFlowsOptions): PlayableFlow[] {
  const flows: PlayableFlow[] = [];
  for (const [index, file] of options.files.entries()) {
    const flow = loadFlow(file.yaml, file.source);
    const bindings = bindFlowToBotList(flow, options.botList, file.source);
    const actions = allActions(flow.actions).filter((a): a is CallBotConnectorAction => a.type === "callBotConnector");
    const digital = (options.protocol ?? "v1") === "v2";
    if (actions.some((a) => (a.digital !== undefined) !== digital)) {
      throw new FlowLoadError(file.source, [
        digital
          ? "the flow calls the Bot Connector (v1), but the emulator plays the Digital Bot Connector (v2); render the flow with genesysProtocol v2"
          : "the flow calls the Digital Bot Connector (v2); play it with LOCAL_PROTOCOL=v2 (the emulator then reads the manifest and serves its Platform API)",
      ]);
    }
    const first = actions[0] ? bindings.get(actions[0]) : undefined;
    const botId = first?.bot.id ?? flow.name;
    const twin = flows.find((f) => f.botId === botId);
    if (twin) throw new FlowLoadError(file.source, [`calls bot "${botId}", as ${twin.info.flow.name} does; play one flow per bot`]);
    flows.push({
      botId,
      runtime: { ...options.runtime, flow, bindings },
      info: {
        flow: { name: flow.name, defaultLanguage: flow.defaultLanguage, languages: flow.supportedLanguages, followUpTimeoutMs: options.runtime.followUpTimeoutMs ?? actions[0]?.followUpTimeoutMs },
        bot: first ? { ...first.bot, version: first.version.version, intents: first.version.intents.map((i) => i.name) } : undefined,
        integration: actions[0]?.integration,
        participantDataRead: allActions(flow.actions).flatMap((a) => (a.type === "getParticipantData" ? a.attributes.map((x) => x.attribute) : [])),
        botDisplayName: (index === 0 ? options.botDisplayName : undefined) ?? first?.bot.name ?? "Bot",
      },
    });
  }
  if (flows.length === 0) throw new Error("the emulator needs at least one flow");
  return flows;
}
