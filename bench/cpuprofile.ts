/**
 * Reads a V8 `.cpuprofile` (what `node --cpu-prof` writes) into self and inclusive time per function, so a turn's
 * cost can be split into its parts without a graphical tool.
 */
import { readFileSync } from "node:fs";
import path from "node:path";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface FunctionCost {
  /** `name (file:line)`, the file relative to the repository or the package it comes from. */
  frame: string;
  /** Microseconds sampled in the function itself. */
  selfUs: number;
  /** Microseconds sampled in the function or anything it called (each sample counted once per function). */
  totalUs: number;
}

export interface ProfileSummary {
  /** Microseconds sampled in all (including idle and garbage collection). */
  sampledUs: number;
  idleUs: number;
  gcUs: number;
  functions: FunctionCost[];
}

/** Where a frame comes from: a bundled file's package, or the file itself. */
function placeOf(url: string): string {
  if (url === "") return "";
  const file = url.replace(/^file:\/\//, "");
  const at = file.lastIndexOf("node_modules/");
  if (at >= 0) return file.slice(at + "node_modules/".length);
  return path.relative(path.join(__dirname, ".."), file);
}

function frameOf(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const place = placeOf(url);
  return place ? `${functionName || "(anonymous)"} (${place}:${lineNumber + 1})` : functionName || "(anonymous)";
}

/**
 * Self and inclusive time per function over the samples taken within `window` (monotonic microseconds, the clock of
 * the profile's timestamps), or over the whole profile.
 */
export function summarizeProfile(file: string, window?: { fromUs: number; toUs: number }): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  // A sample's time is the delta to the next sample.
  const timeOf = new Map<number, number>();
  let time = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    time += profile.timeDeltas[i] ?? 0;
    if (window && (time < window.fromUs || time > window.toUs)) continue;
    const id = profile.samples[i] as number;
    const dt = profile.timeDeltas[i + 1] ?? 0;
    timeOf.set(id, (timeOf.get(id) ?? 0) + dt);
  }
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let sampledUs = 0;
  let idleUs = 0;
  let gcUs = 0;
  for (const [id, us] of timeOf) {
    const node = byId.get(id) as ProfileNode;
    sampledUs += us;
    const name = node.callFrame.functionName;
    if (name === "(idle)") idleUs += us;
    if (name === "(garbage collector)") gcUs += us;
    const frame = frameOf(node);
    self.set(frame, (self.get(frame) ?? 0) + us);
    // Inclusive: each distinct frame on the stack once.
    const onStack = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) onStack.add(frameOf(byId.get(at) as ProfileNode));
    for (const f of onStack) total.set(f, (total.get(f) ?? 0) + us);
  }
  const functions = [...total.entries()].map(([frame, totalUs]) => ({ frame, totalUs, selfUs: self.get(frame) ?? 0 }));
  return { sampledUs, idleUs, gcUs, functions };
}
