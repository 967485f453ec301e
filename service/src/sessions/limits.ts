/**
 * What a session may keep (docs/robustness.md): request parameters are admitted by count, name and value length
 * when they arrive; the whole record is bounded by the store (SessionTooLargeError), and the oldest transcript
 * entries are what gives way first. Pure.
 */
import { type SessionState } from "../engine/state";
import { type LimitName } from "../observability/metrics";

export interface ParameterLimits {
  /** Most parameters a session keeps; new names beyond it are dropped (names already kept still update). */
  maxParameters: number;
  /** Longest value kept, in characters; a longer value is dropped rather than cut (a cut id or URL is wrong data). */
  parameterMaxChars: number;
}

/** Longest parameter name kept: Architect variable names are short identifiers. */
export const PARAMETER_NAME_MAX_CHARS = 128;

export interface AdmittedParameters {
  parameters: Record<string, string>;
  /** The limits that dropped something, each once. */
  reached: LimitName[];
}

/**
 * The request's parameters a session may keep, given those it keeps already. Linear in the parameters' count;
 * values are only measured, never scanned.
 */
const NOTHING_REACHED: LimitName[] = [];

function isEmpty(record: object): boolean {
  for (const name in record) if (Object.hasOwn(record, name)) return false;
  return true;
}

export function admitParameters(kept: Readonly<Record<string, string>>, incoming: Readonly<Record<string, string>>, limits: ParameterLimits): AdmittedParameters {
  // Most turns send no parameters (Genesys sends the session variables on the first turn).
  if (isEmpty(incoming)) return { parameters: incoming as Record<string, string>, reached: NOTHING_REACHED };
  const reached = new Set<LimitName>();
  const admitted: Array<[string, string]> = [];
  let count = Object.keys(kept).length;
  for (const [name, value] of Object.entries(incoming)) {
    if (name.length > PARAMETER_NAME_MAX_CHARS) {
      reached.add("session_parameter_name");
      continue;
    }
    if (value.length > limits.parameterMaxChars) {
      reached.add("session_parameter_chars");
      continue;
    }
    if (!Object.hasOwn(kept, name)) {
      if (count >= limits.maxParameters) {
        reached.add("session_parameters");
        continue;
      }
      count++;
    }
    admitted.push([name, value]);
  }
  // fromEntries defines properties, so a parameter named "__proto__" stays a parameter.
  return { parameters: Object.fromEntries(admitted), reached: [...reached] };
}

/**
 * The state with its oldest transcript entries dropped until at least `excessBytes` are freed (each entry's
 * serialised size, as counted by JSON), and how many were dropped; the same state when there is nothing to drop.
 */
export function shedTranscript(state: SessionState, excessBytes: number): { state: SessionState; dropped: number } {
  const transcript = state.transcript ?? [];
  let freed = 0;
  let dropped = 0;
  while (dropped < transcript.length && freed < excessBytes) {
    // +1 for the comma between entries.
    freed += Buffer.byteLength(JSON.stringify(transcript[dropped])) + 1;
    dropped++;
  }
  if (dropped === 0) return { state, dropped };
  return { state: { ...state, transcript: transcript.slice(dropped) }, dropped };
}
