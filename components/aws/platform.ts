/**
 * CPU architecture: one setting drives both the image build (`docker --platform`) and the task's
 * `runtimePlatform`, because a mismatch only shows at run time (`exec format error`).
 */
export type CpuArchitecture = "X86_64" | "ARM64";

export const CPU_ARCHITECTURES: readonly CpuArchitecture[] = ["X86_64", "ARM64"];

const DOCKER_PLATFORMS: Record<CpuArchitecture, string> = { X86_64: "linux/amd64", ARM64: "linux/arm64" };

/** The docker build platform for a Fargate CPU architecture. */
export function dockerPlatform(architecture: CpuArchitecture): string {
  return DOCKER_PLATFORMS[architecture];
}

export function isCpuArchitecture(value: unknown): value is CpuArchitecture {
  return typeof value === "string" && (CPU_ARCHITECTURES as readonly string[]).includes(value);
}

function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let v = from; v <= to; v += step) out.push(v);
  return out;
}

/** Fargate's valid task sizes (Linux): CPU units → allowed memory in MiB. */
export const FARGATE_SIZES: ReadonlyMap<number, readonly number[]> = new Map([
  [256, [512, 1024, 2048]],
  [512, range(1024, 4096, 1024)],
  [1024, range(2048, 8192, 1024)],
  [2048, range(4096, 16384, 1024)],
  [4096, range(8192, 30720, 1024)],
  [8192, range(16384, 61440, 4096)],
  [16384, range(32768, 122880, 8192)],
]);

/** Why this cpu/memory pair is not a Fargate size, or undefined when it is one. */
export function fargateSizeProblem(cpu: number, memory: number): string | undefined {
  const allowed = FARGATE_SIZES.get(cpu);
  if (!allowed) return `cpu ${cpu} is not a Fargate size; use one of ${[...FARGATE_SIZES.keys()].join(", ")}`;
  if (!allowed.includes(memory)) {
    const options =
      allowed.length <= 4 ? allowed.join(", ") : `${allowed[0]}–${allowed[allowed.length - 1]} in steps of ${allowed[1]! - allowed[0]!}`;
    return `memory ${memory} MiB does not go with cpu ${cpu}; Fargate allows ${options} MiB`;
  }
  return undefined;
}

/** CloudWatch Logs' allowed retention periods in days (0, "never expire", is deliberately not offered). */
export const LOG_RETENTION_DAYS: readonly number[] = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];
