/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": ["ts-jest", { tsconfig: "<rootDir>/tsconfig.json", diagnostics: false }],
  },
  testTimeout: 30000,
  reporters: ["default", "<rootDir>/test/support/summaryReporter.cjs"],
  // Pulumi mock tests and servers on loopback: keep workers to the machine's two cores.
  maxWorkers: 2,
};
