/**
 * What `npm run bench` reports, on given numbers (no benchmark runs here): the statistics over runs, ratios taken
 * within each run, the aims marked met or not met, and the figures section written between its markers only.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import {
  type BenchSettings,
  benchCommand,
  FIGURES_BEGIN,
  FIGURES_END,
  type LoadFigures,
  type Machine,
  renderFigures,
  replaceFigures,
  type RunFigures,
  stats,
  summarize,
  verdict,
} from "../../bench/report";

const load = (rps: number, p99: number, errors = 0): LoadFigures => ({ rps, p99, errors });

/** One run's figures: the service at `svcRps` against a bare server at `bareRps`. */
function run(readyMs: number, svcRps: number, bareRps: number, svcRateP99: number, bareRateP99: number, errors = 0): RunFigures {
  return {
    readyMs,
    service: { saturation: load(svcRps, 40, errors), fixedRate: load(2000, svcRateP99) },
    bare: { saturation: load(bareRps, 20), fixedRate: load(2000, bareRateP99) },
  };
}

const machine: Machine = { cpu: "AMD EPYC 7B13", cores: 2, memoryBytes: 24 * 1024 ** 3, os: "Linux 6.1.0 (x64)", node: "v24.22.3", loadAverage: 5.25 };
const settings: BenchSettings = {
  command: "npm run bench -- --write-docs",
  runs: 3,
  durationSeconds: 10,
  connections: 256,
  rate: 2000,
  dynamoRate: 100,
  readyStarts: 7,
  answerBytes: 366,
};
const date = new Date("2026-12-01T09:30:12Z");

/** The table row of a figure, split into its cells. */
function rowOf(section: string, startsWith: string): string[] {
  const line = section.split("\n").find((l) => l.startsWith(`| ${startsWith}`));
  if (!line) throw new Error(`no row ${startsWith} in\n${section}`);
  return line.split("|").slice(1, -1).map((c) => c.trim());
}

describe("stats", () => {
  it("gives min, median and max whatever the order", () => {
    expect(stats([9, 1, 5])).toEqual({ min: 1, median: 5, max: 9 });
    expect(stats([4])).toEqual({ min: 4, median: 4, max: 4 });
  });

  it("takes the mean of the middle two of an even count", () => {
    expect(stats([10, 1, 4, 2])).toEqual({ min: 1, median: 3, max: 10 });
  });

  it("refuses no values and values that are not numbers", () => {
    expect(() => stats([])).toThrow(/finite values/);
    expect(() => stats([1, NaN])).toThrow(/finite values/);
  });
});

describe("summarize", () => {
  const runs = [run(300, 5000, 20000, 6, 3), run(200, 9000, 18000, 4, 4), run(250, 7000, 14000, 10, 2)];
  const summary = summarize(runs);

  it("takes each ratio within its run, then min, median and max over the runs", () => {
    // Per run: 0.25, 0.5, 0.5 (not median service / median bare, which would be 7000 / 18000).
    expect(summary.throughputRatio).toEqual({ min: 0.25, median: 0.5, max: 0.5 });
    expect(summary.fixedRateP99Ratio).toEqual({ min: 1, median: 2, max: 5 });
    expect(summary.saturationP99Ratio).toEqual({ min: 2, median: 2, max: 2 });
  });

  it("summarises each server's figures and the start-up time", () => {
    expect(summary.service.rps).toEqual({ min: 5000, median: 7000, max: 9000 });
    expect(summary.bare.rps).toEqual({ min: 14000, median: 18000, max: 20000 });
    expect(summary.service.fixedRateP99).toEqual({ min: 4, median: 6, max: 10 });
    expect(summary.readyMs).toEqual({ min: 200, median: 250, max: 300 });
    expect(summary.dynamodb).toBeUndefined();
  });

  it("counts the errors of every load of every run", () => {
    expect(summarize([run(1, 1, 1, 1, 1, 2), run(1, 1, 1, 1, 1, 3)]).errors).toBe(5);
  });

  it("refuses no runs, and DynamoDB figures in some runs only", () => {
    expect(() => summarize([])).toThrow(/no runs/);
    const dynamo = { ...run(1, 1, 1, 1, 1), dynamodb: { saturation: load(400, 600), fixedRate: load(100, 20) } };
    expect(() => summarize([dynamo, run(1, 1, 1, 1, 1)])).toThrow(/DynamoDB figures in some runs only/);
    expect(summarize([dynamo, dynamo]).dynamodb?.rps).toEqual({ min: 400, median: 400, max: 400 });
  });
});

describe("verdict", () => {
  const atMost2 = (v: number) => v <= 2;
  it("judges the median, and says when the worst run misses", () => {
    expect(verdict({ min: 1, median: 1.5, max: 1.9 }, atMost2, "max")).toBe("met");
    expect(verdict({ min: 1, median: 1.5, max: 2.5 }, atMost2, "max")).toBe("met (median; not in every run)");
    expect(verdict({ min: 1, median: 2.1, max: 2.5 }, atMost2, "max")).toBe("not met");
  });
});

describe("renderFigures", () => {
  it("shows every figure as min, median and max, and marks each aim", () => {
    const section = renderFigures(summarize([run(300, 5000, 20000, 6, 3), run(200, 9000, 18000, 4, 4), run(240, 7000, 14000, 3, 2)]), settings, machine, date);
    expect(rowOf(section, "throughput at saturation, service / bare server")).toEqual(["throughput at saturation, service / bare server", "0.25", "0.50", "0.50", "≥ 0.5 (stretch 0.7)", "met (median; not in every run), stretch not met"]);
    expect(rowOf(section, "p99 latency at 2,000 turns/s offered")).toEqual(["p99 latency at 2,000 turns/s offered, service / bare server", "1.00", "1.50", "2.00", "≤ 2", "met"]);
    expect(rowOf(section, "process start")).toEqual(["process start → `/readyz` 200, ms (median of 7 starts a run)", "200", "240", "300", "≤ 250", "met (median; not in every run)"]);
    expect(rowOf(section, "service (memory store), turns/s |")).toEqual(["service (memory store), turns/s", "5,000", "7,000", "9,000"]);
    expect(rowOf(section, "bare node:http, p99 ms")).toEqual(["bare node:http, p99 ms", "20.0", "20.0", "20.0"]);
    expect(section).toContain("Every turn of every run was answered 200 with a valid `botState`.");
  });

  it("names the command, the date, the machine and Node", () => {
    const section = renderFigures(summarize([run(200, 8000, 10000, 2, 2)]), settings, machine, date);
    expect(section).toContain("Written by `npm run bench -- --write-docs` on 2026-12-01 09:30 UTC: 3 runs");
    expect(section).toContain("Machine: AMD EPYC 7B13, 2 cores, 24.0 GiB, Linux 6.1.0 (x64); Node.js v24.22.3; load average 5.25 at the start.");
  });

  it("marks the stretch aim, aims not met, and errors", () => {
    const section = renderFigures(summarize([run(400, 8000, 10000, 9, 2, 7)]), settings, machine, date);
    expect(rowOf(section, "throughput at saturation").at(-1)).toBe("met, stretch met");
    expect(rowOf(section, "p99 latency at 2,000").at(-1)).toBe("not met");
    expect(rowOf(section, "process start").at(-1)).toBe("not met");
    expect(section).toContain("**7 turns over all runs were not answered 200");
  });

  it("adds the DynamoDB figures when they were measured", () => {
    const dynamo = { ...run(1, 1, 1, 1, 1), dynamodb: { saturation: load(455, 681), fixedRate: load(100, 23.7) } };
    const section = renderFigures(summarize([dynamo]), settings, machine, date);
    expect(rowOf(section, "saturation, turns/s")).toEqual(["saturation, turns/s", "455", "455", "455"]);
    expect(rowOf(section, "100 turns/s offered, p99 ms")).toEqual(["100 turns/s offered, p99 ms", "23.7", "23.7", "23.7"]);
    expect(renderFigures(summarize([run(1, 1, 1, 1, 1)]), settings, machine, date)).not.toContain("DynamoDB");
  });
});

describe("replaceFigures", () => {
  const doc = ["# Performance", "", "Method.", "", FIGURES_BEGIN, "old figures", "more old figures", FIGURES_END, "", "## After", "Kept."].join("\n");

  it("replaces only what stands between the markers", () => {
    const written = replaceFigures(doc, "new figures\n");
    expect(written).toBe(["# Performance", "", "Method.", "", FIGURES_BEGIN, "new figures", FIGURES_END, "", "## After", "Kept."].join("\n"));
    // Written twice, the same: the markers survive and nothing accumulates.
    expect(replaceFigures(written, "new figures")).toBe(written);
  });

  it("fails with a clear message when a marker is missing", () => {
    expect(() => replaceFigures("# Performance\n", "x", "docs/performance.md")).toThrow(`docs/performance.md has no ${FIGURES_BEGIN} markers, needs exactly one`);
    expect(() => replaceFigures(`${FIGURES_BEGIN}\n`, "x")).toThrow(`has no ${FIGURES_END} markers, needs exactly one`);
  });

  it("fails with a clear message when a marker is duplicated or the two are out of order", () => {
    expect(() => replaceFigures(`${doc}\n${FIGURES_BEGIN}\n`, "x")).toThrow(`has 2 ${FIGURES_BEGIN} markers, needs exactly one`);
    expect(() => replaceFigures(`${doc}\n${FIGURES_END}\n`, "x")).toThrow(`has 2 ${FIGURES_END} markers, needs exactly one`);
    expect(() => replaceFigures(`${FIGURES_END}\n${FIGURES_BEGIN}\n`, "x")).toThrow(`has ${FIGURES_END} before ${FIGURES_BEGIN}`);
  });
});

describe("docs/performance.md", () => {
  it("has its figures section between one pair of markers, so --write-docs can write it", () => {
    const file = path.join(__dirname, "..", "..", "docs", "performance.md");
    const doc = readFileSync(file, "utf8");
    const written = replaceFigures(doc, "the figures", "docs/performance.md");
    expect(written.split(FIGURES_BEGIN)[0]).toBe(doc.split(FIGURES_BEGIN)[0]);
    expect(written.split(FIGURES_END)[1]).toBe(doc.split(FIGURES_END)[1]);
  });
});

describe("benchCommand", () => {
  it("shows the settings given in the environment, then the command and its arguments", () => {
    expect(benchCommand({}, [])).toBe("npm run bench");
    expect(benchCommand({ BENCH_DURATION: "1", BENCH_RUNS: "3", BENCH_DOCS_FILE: "/tmp/p.md", PATH: "/bin", BENCH_RATE: "" }, ["--write-docs"])).toBe(
      "BENCH_RUNS=3 BENCH_DURATION=1 npm run bench -- --write-docs",
    );
  });
});
