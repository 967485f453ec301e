/**
 * Two projects, both run by `npm test` (`npx jest --selectProjects processes` runs one):
 * - "tests": everything that runs inside the jest worker: units, the service over HTTP on 127.0.0.1, Pulumi
 *   mocks, dynalite, the emulator;
 * - "processes": tests that start real processes and load them: service processes sharing a store, SIGTERM with
 *   turns in flight, store outages, the image's bundle, `npm start`, chromium.
 * A jest timeout only reports a hang. It is sized for a busy 2-core machine, never for a quiet one: with both
 * cores saturated by other processes (load average 6 to 20) a stack program under Pulumi mocks or a process start
 * takes ten to twenty times its quiet time. jest-circus reads `testTimeout` from the global configuration only,
 * so both projects share it.
 * @type {import('jest').Config}
 */

/** Under test/: a folder (ending in /) or a file whose tests start real processes. */
const PROCESS_TESTS = ["load/", "browser/", "package/", "robustness/exactlyOnce.test.ts", "service/shutdown.test.ts", "service/image.test.ts", "emulator/startLocal.test.ts", "emulator/startLocalDigital.test.ts"];

const shared = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  transform: {
    "^.+\\.ts$": ["ts-jest", { tsconfig: "<rootDir>/tsconfig.json", diagnostics: false }],
    // secretlint (the policy pack's secret scanner) ships as ES modules only: compiled to CommonJS for Jest's loader.
    "/node_modules/@secretlint/.+\\.js$": ["ts-jest", { tsconfig: { allowJs: true, module: "commonjs", target: "ES2022", esModuleInterop: true }, diagnostics: false }],
  },
  transformIgnorePatterns: ["/node_modules/(?!@secretlint/)"],
  setupFilesAfterEnv: ["<rootDir>/test/support/fastCheck.ts"],
};

module.exports = {
  projects: [
    {
      ...shared,
      displayName: "tests",
      testMatch: ["**/*.test.ts"],
      testPathIgnorePatterns: ["/node_modules/", ...PROCESS_TESTS.map((p) => `<rootDir>/test/${p.replace(/\./g, "\\.")}`)],
    },
    {
      ...shared,
      displayName: "processes",
      testMatch: PROCESS_TESTS.map((p) => `<rootDir>/test/${p.endsWith("/") ? `${p}**/*.test.ts` : p}`),
    },
  ],
  testTimeout: 300_000,
  reporters: ["default", "<rootDir>/test/support/summaryReporter.cjs"],
  // Pulumi mock tests and servers on loopback: keep workers to the machine's two cores.
  maxWorkers: 2,
};
