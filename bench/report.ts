/**
 * What `npm run bench` reports, kept apart from the measuring so it can be tested on given numbers: the
 * statistics over runs, the machine line, the figures section (the same Markdown printed and written into
 * docs/performance.md) with each aim marked met or not met, and the replacement of that section between its
 * two markers.
 */

export interface Stats {
  min: number;
  median: number;
  max: number;
}

/** Min, median and max of at least one value (the median of an even count is the mean of the middle two). */
export function stats(values: readonly number[]): Stats {
  if (values.length === 0 || values.some((v) => !Number.isFinite(v))) throw new Error(`statistics need finite values, got [${values.join(", ")}]`);
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return { min: sorted[0] as number, median, max: sorted[sorted.length - 1] as number };
}

export const fmt = (n: number, digits = 0): string => n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** One load of one server: saturation (autocannon) or fixed offered rate (bench/openLoop.ts). */
export interface LoadFigures {
  rps: number;
  p99: number;
  /** Turns not answered 200 with a valid botState, and connection errors. */
  errors: number;
}

/** Everything one run of the benchmark measured. */
export interface RunFigures {
  /** Median of this run's starts, process spawn until /readyz answers 200, in ms. */
  readyMs: number;
  service: { saturation: LoadFigures; fixedRate: LoadFigures };
  bare: { saturation: LoadFigures; fixedRate: LoadFigures };
  dynamodb?: { saturation: LoadFigures; fixedRate: LoadFigures };
}

export interface Machine {
  cpu: string;
  cores: number;
  memoryBytes: number;
  os: string;
  node: string;
  /** The 1-minute load average when the benchmark started: the machine may be shared. */
  loadAverage: number;
}

export interface BenchSettings {
  /** The command that produced the figures, environment included. */
  command: string;
  runs: number;
  durationSeconds: number;
  connections: number;
  /** Offered turns/s of the fixed-rate runs. */
  rate: number;
  /** Offered turns/s of the DynamoDB fixed-rate run. */
  dynamoRate: number;
  readyStarts: number;
  /** Average answer size of the scripted sessions, which the bare server answers with. */
  answerBytes: number;
}

/** The aims, as ratios against the bare server measured in the same run. */
export const AIMS = {
  throughputRatio: 0.5,
  throughputRatioStretch: 0.7,
  fixedRateP99Ratio: 2,
  readyMs: 250,
} as const;

/** A figure over the runs with the ratio or value of each run. */
export interface Summary {
  readyMs: Stats;
  throughputRatio: Stats;
  saturationP99Ratio: Stats;
  fixedRateP99Ratio: Stats;
  service: { rps: Stats; p99: Stats; fixedRateP99: Stats; fixedRateRps: Stats };
  bare: { rps: Stats; p99: Stats; fixedRateP99: Stats; fixedRateRps: Stats };
  dynamodb?: { rps: Stats; p99: Stats; fixedRateP99: Stats; fixedRateRps: Stats };
  errors: number;
}

const ratio = (a: number, b: number) => a / Math.max(b, 0.001);

function serverSummary(runs: { saturation: LoadFigures; fixedRate: LoadFigures }[]) {
  return {
    rps: stats(runs.map((r) => r.saturation.rps)),
    p99: stats(runs.map((r) => r.saturation.p99)),
    fixedRateRps: stats(runs.map((r) => r.fixedRate.rps)),
    fixedRateP99: stats(runs.map((r) => r.fixedRate.p99)),
  };
}

const errorsOf = (s: { saturation: LoadFigures; fixedRate: LoadFigures } | undefined) => (s ? s.saturation.errors + s.fixedRate.errors : 0);

/** Ratios are taken within each run (service and bare server measured minutes apart at most), then summarised. */
export function summarize(runs: readonly RunFigures[]): Summary {
  if (runs.length === 0) throw new Error("no runs to summarise");
  const withDynamo = runs.flatMap((r) => (r.dynamodb ? [r.dynamodb] : []));
  if (withDynamo.length !== 0 && withDynamo.length !== runs.length) throw new Error("DynamoDB figures in some runs only");
  return {
    readyMs: stats(runs.map((r) => r.readyMs)),
    throughputRatio: stats(runs.map((r) => ratio(r.service.saturation.rps, r.bare.saturation.rps))),
    saturationP99Ratio: stats(runs.map((r) => ratio(r.service.saturation.p99, r.bare.saturation.p99))),
    fixedRateP99Ratio: stats(runs.map((r) => ratio(r.service.fixedRate.p99, r.bare.fixedRate.p99))),
    service: serverSummary(runs.map((r) => r.service)),
    bare: serverSummary(runs.map((r) => r.bare)),
    ...(withDynamo.length ? { dynamodb: serverSummary(withDynamo) } : {}),
    errors: runs.reduce((n, r) => n + errorsOf(r.service) + errorsOf(r.bare) + errorsOf(r.dynamodb), 0),
  };
}

/**
 * An aim is judged on the median over the runs; when the median meets it but the worst run does not, the mark
 * says so.
 */
export function verdict(s: Stats, meets: (value: number) => boolean, worst: "min" | "max"): string {
  if (!meets(s.median)) return "not met";
  return meets(s[worst]) ? "met" : "met (median; not in every run)";
}

function throughputVerdict(s: Stats): string {
  const base = verdict(s, (v) => v >= AIMS.throughputRatio, "min");
  if (base === "not met") return base;
  return s.median >= AIMS.throughputRatioStretch ? `${base}, stretch met` : `${base}, stretch not met`;
}

export function describeMachine(m: Machine): string {
  const gib = (m.memoryBytes / 1024 ** 3).toFixed(1);
  return `${m.cpu}, ${m.cores} cores, ${gib} GiB, ${m.os}; Node.js ${m.node}; load average ${m.loadAverage.toFixed(2)} at the start`;
}

/** The date and time of a run, to the minute, in UTC. */
export const runDate = (d: Date): string => `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;

const cells = (s: Stats, digits: number) => `${fmt(s.min, digits)} | ${fmt(s.median, digits)} | ${fmt(s.max, digits)}`;

/** The figures section: the same Markdown `npm run bench` prints and `--write-docs` writes. */
export function renderFigures(summary: Summary, settings: BenchSettings, machine: Machine, date: Date): string {
  const rate = fmt(settings.rate);
  const lines = [
    `Written by \`${settings.command}\` on ${runDate(date)}: ${settings.runs} runs, each ${settings.durationSeconds} s per load,`,
    `${settings.connections} connections, the service and the bare server measured one after the other within each run.`,
    "",
    `Machine: ${describeMachine(machine)}. The load generator runs on the same machine.`,
    "",
    "Aims, judged on the median over the runs (ratios are taken within each run, then summarised):",
    "",
    "| figure | min | median | max | aim | |",
    "|---|---:|---:|---:|---|---|",
    `| throughput at saturation, service / bare server | ${cells(summary.throughputRatio, 2)} | ≥ ${AIMS.throughputRatio} (stretch ${AIMS.throughputRatioStretch}) | ${throughputVerdict(summary.throughputRatio)} |`,
    `| p99 latency at ${rate} turns/s offered, service / bare server | ${cells(summary.fixedRateP99Ratio, 2)} | ≤ ${AIMS.fixedRateP99Ratio} | ${verdict(summary.fixedRateP99Ratio, (v) => v <= AIMS.fixedRateP99Ratio, "max")} |`,
    `| process start → \`/readyz\` 200, ms (median of ${settings.readyStarts} starts a run) | ${cells(summary.readyMs, 0)} | ≤ ${AIMS.readyMs} | ${verdict(summary.readyMs, (v) => v <= AIMS.readyMs, "max")} |`,
    "",
    `Saturation (as fast as ${settings.connections} connections go; answers average ${fmt(settings.answerBytes)} bytes, and the bare server answers as many):`,
    "",
    "| figure | min | median | max |",
    "|---|---:|---:|---:|",
    `| service (memory store), turns/s | ${cells(summary.service.rps, 0)} |`,
    `| bare node:http, turns/s | ${cells(summary.bare.rps, 0)} |`,
    `| service (memory store), p99 ms | ${cells(summary.service.p99, 1)} |`,
    `| bare node:http, p99 ms | ${cells(summary.bare.p99, 1)} |`,
    `| p99, service / bare server | ${cells(summary.saturationP99Ratio, 2)} |`,
    "",
    `Fixed offered rate (${rate} turns/s over ${settings.connections} keep-alive connections, latency from when each turn was due):`,
    "",
    "| figure | min | median | max |",
    "|---|---:|---:|---:|",
    `| service (memory store), turns/s answered | ${cells(summary.service.fixedRateRps, 0)} |`,
    `| bare node:http, turns/s answered | ${cells(summary.bare.fixedRateRps, 0)} |`,
    `| service (memory store), p99 ms | ${cells(summary.service.fixedRateP99, 1)} |`,
    `| bare node:http, p99 ms | ${cells(summary.bare.fixedRateP99, 1)} |`,
  ];
  if (summary.dynamodb) {
    const d = summary.dynamodb;
    lines.push(
      "",
      "DynamoDB session store against dynalite on the same machine, reported on its own (a third process on the same",
      "cores; dynalite is far slower than DynamoDB):",
      "",
      "| figure | min | median | max |",
      "|---|---:|---:|---:|",
      `| saturation, turns/s | ${cells(d.rps, 0)} |`,
      `| saturation, p99 ms | ${cells(d.p99, 1)} |`,
      `| ${fmt(settings.dynamoRate)} turns/s offered, turns/s answered | ${cells(d.fixedRateRps, 0)} |`,
      `| ${fmt(settings.dynamoRate)} turns/s offered, p99 ms | ${cells(d.fixedRateP99, 1)} |`,
    );
  }
  lines.push(
    "",
    summary.errors === 0
      ? "Every turn of every run was answered 200 with a valid `botState`."
      : `**${fmt(summary.errors)} turns over all runs were not answered 200 with a valid \`botState\`** (or their connection failed).`,
  );
  return lines.join("\n");
}

export const FIGURES_BEGIN = "<!-- figures:begin (written by npm run bench -- --write-docs; do not edit) -->";
export const FIGURES_END = "<!-- figures:end -->";

function occurrences(text: string, marker: string): number[] {
  const found: number[] = [];
  for (let i = text.indexOf(marker); i !== -1; i = text.indexOf(marker, i + marker.length)) found.push(i);
  return found;
}

/** `doc` with what stands between the two markers replaced by `content`; nothing outside them changes. */
export function replaceFigures(doc: string, content: string, file = "the document"): string {
  const begins = occurrences(doc, FIGURES_BEGIN);
  const ends = occurrences(doc, FIGURES_END);
  const fix = `put the figures section between one line ${FIGURES_BEGIN} and one line ${FIGURES_END}`;
  if (begins.length !== 1) throw new Error(`${file} has ${begins.length === 0 ? "no" : begins.length} ${FIGURES_BEGIN} markers, needs exactly one: ${fix}`);
  if (ends.length !== 1) throw new Error(`${file} has ${ends.length === 0 ? "no" : ends.length} ${FIGURES_END} markers, needs exactly one: ${fix}`);
  const begin = begins[0] as number;
  const end = ends[0] as number;
  if (end < begin) throw new Error(`${file} has ${FIGURES_END} before ${FIGURES_BEGIN}: ${fix}`);
  const from = begin + FIGURES_BEGIN.length;
  return `${doc.slice(0, from)}\n${content.replace(/\n+$/, "")}\n${doc.slice(end)}`;
}

/** The environment settings the benchmark reads, in the order a command line shows them. */
export const BENCH_SETTINGS = ["BENCH_RUNS", "BENCH_DURATION", "BENCH_CONNECTIONS", "BENCH_RATE", "BENCH_READY_STARTS", "BENCH_SKIP_DYNAMODB"] as const;

/** The command as it was run: the settings given in the environment, then `npm run bench` and its arguments. */
export function benchCommand(env: Record<string, string | undefined>, args: readonly string[]): string {
  const settings = BENCH_SETTINGS.filter((name) => env[name] !== undefined && env[name] !== "").map((name) => `${name}=${env[name]}`);
  return [...settings, "npm run bench", ...(args.length ? ["--", ...args] : [])].join(" ");
}
