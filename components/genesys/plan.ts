/**
 * Choices shared by the Genesys composition and `npm run synth`: which bot version the flow calls and the
 * FlowPlan for it. Pure, so synth renders exactly what a deployment would publish.
 */
import { type BotDefinition } from "../../service/src/bots/definition";
import { type FlowPlan } from "./flow/fromBot";

export interface BotChoice {
  /** Bot id; default: the only bot (required when several are defined). */
  id?: string;
  /** Version; default: the bot's highest version. */
  version?: string;
}

/**
 * Why a choice names no bot version. Kept apart from the message so a caller that knows where the choice came
 * from (the stack program, synth) can say which setting to change and how.
 */
export type BotChoiceProblem =
  | { kind: "noBots" }
  | { kind: "ambiguous"; ids: string[] }
  | { kind: "unknownBot"; id: string; ids: string[] }
  | { kind: "unknownVersion"; id: string; version: string; versions: string[] };

export function describeBotChoiceProblem(problem: BotChoiceProblem): string {
  switch (problem.kind) {
    case "noBots":
      return "there are no bot definitions";
    case "ambiguous":
      return `several bots are defined (${problem.ids.join(", ")}); choose the one the flow calls`;
    case "unknownBot":
      return `no bot "${problem.id}" among the definitions (${problem.ids.join(", ")})`;
    case "unknownVersion":
      return `bot "${problem.id}" has no version "${problem.version}" (versions: ${problem.versions.join(", ")})`;
  }
}

export class BotChoiceError extends Error {
  constructor(readonly problem: BotChoiceProblem) {
    super(describeBotChoiceProblem(problem));
    this.name = "BotChoiceError";
  }
}

const byVersion = (a: BotDefinition, b: BotDefinition) => a.version.localeCompare(b.version, "en", { numeric: true });

/** The bot version a choice names, or why it names none. */
export function resolveBotChoice(definitions: readonly BotDefinition[], choice: BotChoice = {}): { definition: BotDefinition } | { problem: BotChoiceProblem } {
  const ids = botIds(definitions);
  if (ids.length === 0) return { problem: { kind: "noBots" } };
  const id = choice.id ?? (ids.length === 1 ? ids[0] : undefined);
  if (id === undefined) return { problem: { kind: "ambiguous", ids } };
  const versions = definitions.filter((d) => d.id === id).sort(byVersion);
  if (versions.length === 0) return { problem: { kind: "unknownBot", id, ids } };
  if (choice.version === undefined) return { definition: versions[versions.length - 1] as BotDefinition };
  const match = versions.find((d) => d.version === choice.version);
  if (!match) return { problem: { kind: "unknownVersion", id, version: choice.version, versions: versions.map((v) => v.version) } };
  return { definition: match };
}

/** The distinct bot ids, sorted. */
export function botIds(definitions: readonly BotDefinition[]): string[] {
  return [...new Set(definitions.map((d) => d.id))].sort();
}

export function selectBotVersion(definitions: readonly BotDefinition[], choice: BotChoice = {}): BotDefinition {
  const resolved = resolveBotChoice(definitions, choice);
  if ("problem" in resolved) throw new BotChoiceError(resolved.problem);
  return resolved.definition;
}

/** Flow choices a deployment makes (everything of FlowPlan but the names and the bot). */
export type FlowChoices = Omit<FlowPlan, "flowName" | "integrationName" | "queueName" | "definition">;

export function flowPlanFor(input: {
  flowName: string;
  integrationName: string;
  queueName: string;
  definitions: readonly BotDefinition[];
  bot?: BotChoice;
  choices?: FlowChoices;
}): FlowPlan {
  return {
    ...input.choices,
    flowName: input.flowName,
    integrationName: input.integrationName,
    queueName: input.queueName,
    definition: selectBotVersion(input.definitions, input.bot),
  };
}
