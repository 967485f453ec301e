/**
 * Every policy of the baseline over the mocked resource graph of every stack: no violation, each policy finds
 * what it checks, and the first preview of a stack (values unknown) yields no false positive either.
 */
import { policies } from "../../policy/policies";
import { runStack, STACKS } from "../stacks/harness";
import { describe as describeFindings, runPolicies, type PolicyRun } from "./adapter";

const results: Record<string, PolicyRun> = {};

beforeAll(async () => {
  for (const stack of STACKS) {
    const run = await runStack(stack);
    results[stack] = await runPolicies(run.cloud.resources, policies, { stack });
  }
  for (const stack of ["dev", "prod"]) {
    const preview = await runStack(stack, { firstPreview: true });
    results[`${stack} (first preview)`] = await runPolicies(preview.cloud.resources, policies, { stack });
  }
  // Five runs of the whole stack program and every policy: a budget for a machine busy with other work, not a speed.
}, 180_000);

it.each([...STACKS, "dev (first preview)", "prod (first preview)"])("the %s stack meets the whole baseline", (stack) => {
  const run = results[stack]!;
  expect(describeFindings(run.violations)).toBe("");
});

/** Policies for resources the shipped stacks do not create (their broken cases add them). */
const NOT_IN_SHIPPED_STACKS = ["kms-keys-rotate"];

it("every policy examines resources of the stacks (none matches nothing)", () => {
  for (const p of policies.filter((p) => !NOT_IN_SHIPPED_STACKS.includes(p.name))) {
    const examined = STACKS.reduce((n, stack) => n + results[stack]!.examined[p.name]!, 0);
    expect([p.name, examined > 0]).toEqual([p.name, true]);
  }
});

it("in a first preview, checks that meet an unknown value wait for `pulumi up` instead of failing", () => {
  // The container definitions hold the image digest, unknown until the image is pushed; the integration's URI
  // comes from an API that does not exist yet.
  const preview = results["dev (first preview)"]!;
  expect(preview.withUnknownInputs).toEqual(expect.arrayContaining(["aws:ecs/taskDefinition:TaskDefinition", "genesyscloud:index/integration:Integration"]));
  expect(preview.unknown).toEqual([]);
  // Deployed, only the bot list's declared outputs travel as unknown inputs (that is how a dynamic resource declares them).
  expect(results["dev"]!.withUnknownInputs).toEqual(["pulumi-nodejs:dynamic/genesys:BotList"]);
  expect(results["dev"]!.examined["containers-non-root-read-only"]).toBe(1);
});

it("every policy says what it enforces: security mandatory, production expectations advisory", () => {
  expect(new Set(policies.map((p) => p.name)).size).toBe(policies.length);
  const advisory = policies.filter((p) => p.enforcementLevel === "advisory").map((p) => p.name);
  expect(advisory.sort()).toEqual(
    [
      "customer-managed-keys-where-asked",
      "kms-keys-rotate",
      "production-alarms-notify",
      "production-at-least-two-tasks",
      "production-log-retention",
      "production-table-deletion-protection",
    ].sort(),
  );
  for (const p of policies) {
    expect([p.name, p.enforcementLevel]).toEqual([p.name, advisory.includes(p.name) ? "advisory" : "mandatory"]);
    expect(p.description.length).toBeGreaterThan(30);
  }
});
