import { type TranscriptEntry } from "./transcript";

/** A conversation variable's value: what a question or set node stored (or an upstream agent set). */
export type VarValue = string | number | boolean;

/**
 * Everything the service remembers about one bot session (one `botSessionId`), stored between turns.
 * Genesys carries no bot state, so this is the whole conversation; it must stay JSON-serialisable.
 */
export interface SessionState {
  /** Schema version of this record, so a rolling deploy can read what the previous release wrote. */
  v: 1;
  botId: string;
  botVersion: string;
  genesysConversationId: string;
  language: string;
  /** Architect session variables: those of the first turn, updated by any later turn that sends them. */
  params: Record<string, string>;
  vars: Record<string, VarValue>;
  /** The question (or upstream agent node) waiting for the customer's answer, and the misses so far. */
  awaiting?: { node: string; attempts: number };
  /** Turns answered in this session. */
  turns: number;
  /** Set once the session ended (Complete or Failed); a later turn starts nothing new. */
  ended?: "Complete" | "Failed";
  /** The last turns, for hand-over context; only kept while that feature is enabled. */
  transcript?: TranscriptEntry[];
}
