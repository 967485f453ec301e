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
  /** Self time by package (see packageOf), idle left out. */
  packages: Array<{ name: string; selfUs: number }>;
}

/** Lines of an esbuild bundle where each bundled source file starts (esbuild marks each with `// <path>`). */
const bundleIndexes = new Map<string, Array<{ line: number; source: string }>>();

function bundleIndex(file: string): Array<{ line: number; source: string }> {
  let index = bundleIndexes.get(file);
  if (!index) {
    index = [];
    let line = 0;
    for (const text of readFileSync(file, "utf8").split("\n")) {
      const m = /^\/\/ ((?:node_modules|service|\.\.)\/\S+)$/.exec(text);
      if (m?.[1]) index.push({ line, source: m[1] });
      line++;
    }
    bundleIndexes.set(file, index);
  }
  return index;
}

/** The source file a function of the profile comes from: in a bundle, the bundled file it was defined in. */
export function sourceOf(url: string, lineNumber: number): string {
  if (url === "") return "";
  if (url.startsWith("node:")) return url;
  const file = url.replace(/^file:\/\//, "");
  if (file.endsWith("/dist/main.js")) {
    const index = bundleIndex(file);
    let lo = 0;
    let hi = index.length - 1;
    let found = "";
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const entry = index[mid] as { line: number; source: string };
      if (entry.line <= lineNumber) {
        found = entry.source;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (found) return found;
  }
  return path.relative(path.join(__dirname, ".."), file);
}

/** The package a source belongs to (`fastify`, `@orama/stemmers`), `service/src/<dir>` for the service's own, `node` for Node's. */
export function packageOf(source: string): string {
  if (source.startsWith("node:")) return "node";
  const at = source.lastIndexOf("node_modules/");
  if (at >= 0) {
    const parts = source.slice(at + "node_modules/".length).split("/");
    return parts[0]?.startsWith("@") ? `${parts[0]}/${parts[1]}` : (parts[0] as string);
  }
  const parts = source.split("/");
  return parts[0] === "service" && parts[1] === "src" ? parts.slice(0, parts.length > 3 ? 3 : 2).join("/") : source;
}

function frameOf(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const source = sourceOf(url, lineNumber);
  const shortSource = source.replace(/^.*node_modules\//, "");
  return source ? `${functionName || "(anonymous)"} (${shortSource})` : functionName || "(anonymous)";
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
  const bySelfPackage = new Map<string, number>();
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
    if (name !== "(idle)") {
      const source = sourceOf(node.callFrame.url, node.callFrame.lineNumber);
      // Native frames by name: the socket write (its system call) is the largest, and the bare server pays it too.
      const pkg = source === "" ? (name.startsWith("(") ? name : `(native) ${name}`) : packageOf(source);
      bySelfPackage.set(pkg, (bySelfPackage.get(pkg) ?? 0) + us);
    }
    // Inclusive: each distinct frame on the stack once.
    const onStack = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) onStack.add(frameOf(byId.get(at) as ProfileNode));
    for (const f of onStack) total.set(f, (total.get(f) ?? 0) + us);
  }
  const functions = [...total.entries()].map(([frame, totalUs]) => ({ frame, totalUs, selfUs: self.get(frame) ?? 0 }));
  const packages = [...bySelfPackage.entries()].map(([name, selfUs]) => ({ name, selfUs })).sort((a, b) => b.selfUs - a.selfUs);
  return { sampledUs, idleUs, gcUs, functions, packages };
}
