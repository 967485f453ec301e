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

export function selectBotVersion(definitions: readonly BotDefinition[], choice: BotChoice = {}): BotDefinition {
  const ids = [...new Set(definitions.map((d) => d.id))].sort();
  if (ids.length === 0) throw new Error("no bot definitions");
  const id = choice.id ?? (ids.length === 1 ? ids[0] : undefined);
  if (id === undefined) throw new Error(`several bots are defined (${ids.join(", ")}); choose the one the flow calls`);
  const versions = definitions.filter((d) => d.id === id).sort((a, b) => a.version.localeCompare(b.version, "en", { numeric: true }));
  if (versions.length === 0) throw new Error(`no bot "${id}" among the definitions (${ids.join(", ")})`);
  if (choice.version === undefined) return versions[versions.length - 1] as BotDefinition;
  const match = versions.find((d) => d.version === choice.version);
  if (!match) throw new Error(`bot "${id}" has no version "${choice.version}" (versions: ${versions.map((v) => v.version).join(", ")})`);
  return match;
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
