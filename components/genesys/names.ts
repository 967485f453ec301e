/**
 * The Genesys objects' names, derived from one prefix. Architect and people find these objects by name, so a
 * stack and a component-package user who give the same prefix get the same names; both derive them here.
 */
import { type GenesysProtocol } from "./botConnectorConfig";
import { substitutionProblem } from "./flow/substitution";

export interface GenesysNames {
  integration: string;
  credential: string;
  flow: string;
  messenger: string;
  serviceClient: string;
  handoverRole: string;
  /** The service client's role for the Digital Bot Connector's replies that come later. */
  repliesRole: string;
}

/** Longest prefix: the longest derived name (`<prefix> Digital Bot Connector`) must stay within Genesys's limits. */
export const NAME_PREFIX_MAX = 60;

export function genesysNames(prefix: string, protocol: GenesysProtocol = "v1"): GenesysNames {
  return {
    integration: protocol === "v2" ? `${prefix} Digital Bot Connector` : `${prefix} Bot Connector`,
    credential: `${prefix} verify token`,
    flow: `${prefix} Inbound Message`,
    messenger: `${prefix} Messenger`,
    serviceClient: `${prefix} service`,
    handoverRole: `${prefix} hand-over context`,
    repliesRole: `${prefix} replies later`,
  };
}

/** What is wrong with a name prefix, if anything: the names must survive the flow's raw-text substitution. */
export function namePrefixProblem(prefix: string): string | undefined {
  return substitutionProblem(prefix) ?? (prefix.length > NAME_PREFIX_MAX ? `is longer than ${NAME_PREFIX_MAX} characters` : undefined);
}
