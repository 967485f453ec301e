/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": ["ts-jest", { tsconfig: "<rootDir>/tsconfig.json", diagnostics: false }],
    // secretlint (the policy pack's secret scanner) ships as ES modules only: compiled to CommonJS for Jest's loader.
    "/node_modules/@secretlint/.+\\.js$": ["ts-jest", { tsconfig: { allowJs: true, module: "commonjs", target: "ES2022", esModuleInterop: true }, diagnostics: false }],
  },
  transformIgnorePatterns: ["/node_modules/(?!@secretlint/)"],
  testTimeout: 30000,
  reporters: ["default", "<rootDir>/test/support/summaryReporter.cjs"],
  // Pulumi mock tests and servers on loopback: keep workers to the machine's two cores.
  maxWorkers: 2,
};
