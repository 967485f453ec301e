/**
 * The GitOps workflows: valid against GitHub's workflow schema (action-validator), and shaped as the project
 * promises: tests and rendered-artifact diffs on pull requests, a previewed diff per stack with the policy pack,
 * deployments per stack through GitHub environments, every credential from the stack's Pulumi ESC environment
 * (OIDC to Pulumi Cloud and to AWS, nothing stored in GitHub), and a daily drift check that expects no changes.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { validateWorkflow } from "@action-validator/core";
import { parse as parseYaml } from "yaml";

const ROOT = path.join(__dirname, "..", "..");
const DIR = path.join(ROOT, ".github", "workflows");

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- workflow YAML is untyped
type Y = Record<string, any>;
interface Step {
  if?: string;
  uses?: string;
  run?: string;
  name?: string;
  with?: Y;
  env?: Y;
}

const files = readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f));
const text = (file: string) => readFileSync(path.join(DIR, file), "utf8");
const workflow = (file: string) => parseYaml(text(file)) as Y;
const stackNames = readdirSync(path.join(ROOT, "stacks"))
  .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
  .filter((s): s is string => s !== undefined)
  .sort();

const pr = workflow("pull-request.yml");
const deploy = workflow("deploy.yml");
const drift = workflow("drift.yml");
const stackOp = workflow("pulumi.yml");
const steps = (job: Y): Step[] => job.steps as Step[];
const opSteps = steps(stackOp.jobs.pulumi);
const pulumiCommandStep = opSteps.find((s) => s.uses?.startsWith("pulumi/actions@") && s.with?.command)!;

describe("every workflow", () => {
  it.each(files)("%s is valid against the workflow schema", (file) => {
    expect(validateWorkflow(text(file)).errors).toEqual([]);
  });

  it("is checked by a validator that does catch mistakes", () => {
    const broken = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    stepz:\n      - run: echo\n";
    expect(validateWorkflow(broken).errors.length).toBeGreaterThan(0);
  });

  it.each(files)("%s pins every action to a major version (or a commit) and calls only workflows that exist", (file) => {
    const wf = workflow(file);
    for (const [id, job] of Object.entries(wf.jobs as Y)) {
      if (typeof job.uses === "string") {
        expect([id, job.uses]).toEqual([id, expect.stringMatching(/^\.\/\.github\/workflows\/[\w-]+\.yml$/)]);
        expect(existsSync(path.join(ROOT, job.uses))).toBe(true);
      }
      for (const step of (job.steps ?? []) as Step[]) {
        if (step.uses) expect([id, step.uses]).toEqual([id, expect.stringMatching(/^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/)]);
      }
    }
  });

  it.each(files)("%s holds no long-lived AWS key and grants only read access by default", (file) => {
    expect(text(file)).not.toMatch(/aws-access-key-id|aws-secret-access-key|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY/i);
    const wf = workflow(file);
    if (wf.permissions !== undefined) expect(wf.permissions).toEqual({ contents: "read" });
  });
});

describe("pull requests", () => {
  it("run the tests: npm ci && npm test, through .ci/run", () => {
    expect(pr.on).toEqual({ pull_request: { branches: ["main"] } });
    expect(pr.jobs.test.uses).toBe("./.github/workflows/test.yml");
    const testJob = workflow("test.yml").jobs.test;
    expect(steps(testJob).map((s) => s.run).filter(Boolean)).toEqual(["./.ci/run"]);
    const ci = readFileSync(path.join(ROOT, ".ci", "run"), "utf8").trim().split("\n");
    expect(ci[ci.length - 1]).toBe("npm ci && npm test");
  });

  it("render every stack's Genesys artifacts on the branch and its base, and show the diff", () => {
    const job = pr.jobs.synth;
    const scripts = steps(job)
      .map((s) => s.run ?? "")
      .join("\n");
    expect(scripts).toMatch(/for file in stacks\/Pulumi\.\*\.yaml/);
    expect(scripts.match(/npm run --silent synth -- "\$stack"/g)).toHaveLength(2);
    expect(scripts).toMatch(/git worktree add "\$RUNNER_TEMP\/base" "\$BASE_SHA"/);
    expect(scripts).toMatch(/git diff --no-index --no-color base head > synth\.diff/);
    expect(scripts).toMatch(/GITHUB_STEP_SUMMARY/);
    expect(steps(job).some((s) => s.uses?.startsWith("actions/upload-artifact@"))).toBe(true);
    expect(steps(job).some((s) => s.uses?.startsWith("actions/github-script@") && /createComment|updateComment/.test(s.with?.script))).toBe(true);
    expect(job.permissions).toEqual({ contents: "read", "pull-requests": "write" });
    expect(job.steps[0].with).toEqual({ "fetch-depth": 0 });
  });

  it("preview every stack with the policy pack and comment the diff, after the tests pass", () => {
    const job = pr.jobs.preview;
    expect(job.needs).toBe("test");
    expect([...job.strategy.matrix.stack].sort()).toEqual(stackNames);
    expect(job.strategy["fail-fast"]).toBe(false);
    expect(job.uses).toBe("./.github/workflows/pulumi.yml");
    expect(job.with).toMatchObject({ command: "preview", environment: "${{ matrix.stack }}-preview", "comment-on-pr": true, refresh: true });
    expect(job.permissions).toEqual({ contents: "read", "id-token": "write", "pull-requests": "write" });
    // Forks get no secrets or OIDC token: their previews are skipped instead of failing.
    expect(job.if).toMatch(/head\.repo\.full_name == github\.repository/);
  });
});

describe("the stack operation every pipeline uses", () => {
  const order = (predicate: (s: Step) => boolean) => opSteps.findIndex(predicate);
  const authStep = opSteps.find((s) => s.uses?.startsWith("pulumi/auth-actions@"));
  const previewSwap = opSteps.find((s) => /pulumi config env/.test(s.run ?? ""));

  it("runs in the stack's GitHub environment and logs in to Pulumi Cloud by OIDC, for a short-lived token", () => {
    expect(Object.keys(stackOp.on)).toEqual(["workflow_call"]);
    expect(stackOp.jobs.pulumi.environment).toBe("${{ inputs.environment }}");
    expect(authStep?.with).toEqual({
      organization: "${{ vars.PULUMI_ORGANIZATION }}",
      "requested-token-type": "${{ vars.PULUMI_TOKEN_TYPE || 'urn:pulumi:token-type:access_token:organization' }}",
      scope: "${{ vars.PULUMI_TOKEN_SCOPE }}",
    });
    expect(stackOp.jobs.pulumi.env.STACK).toBe("${{ vars.PULUMI_ORGANIZATION }}/virtual-agent/${{ inputs.stack }}");
  });

  it("takes every cloud and Genesys credential from the stack's ESC environment, none from GitHub", () => {
    for (const file of files) {
      expect([file, text(file)]).not.toEqual([file, expect.stringMatching(/configure-aws-credentials|AWS_ROLE_ARN|GENESYSCLOUD_|PULUMI_ACCESS_TOKEN|secrets\.(?!GITHUB_TOKEN)/)]);
    }
    for (const stack of stackNames) {
      const stackFile = parseYaml(readFileSync(path.join(ROOT, "stacks", `Pulumi.${stack}.yaml`), "utf8")) as Y;
      expect(stackFile.environment).toEqual([`virtual-agent/${stack}`]);
      for (const name of [stack, `${stack}-preview`]) expect(existsSync(path.join(ROOT, "esc", `${name}.yaml`))).toBe(true);
    }
  });

  it("opens the stack's read-only twin environment for previews (pull requests and drift), in its checkout only", () => {
    expect(previewSwap?.if).toBe("inputs.command == 'preview'");
    expect(previewSwap?.run?.trim().split("\n")).toEqual([
      'pulumi config env rm "virtual-agent/${{ inputs.stack }}" --stack "$STACK" --yes',
      'pulumi config env add "virtual-agent/${{ inputs.stack }}-preview" --stack "$STACK" --yes',
    ]);
    // After the CLI is installed and the token obtained, before the operation.
    expect(order((s) => s === previewSwap)).toBeGreaterThan(order((s) => s === authStep));
    expect(order((s) => s === previewSwap)).toBeGreaterThan(order((s) => s.uses?.startsWith("pulumi/actions@") === true && !s.with?.command));
    expect(order((s) => s === previewSwap)).toBeLessThan(opSteps.indexOf(pulumiCommandStep));
  });

  it("installs the CLI, runs pulumi install and npm ci before the operation", () => {
    const install = order((s) => s.uses?.startsWith("pulumi/actions@") === true && !s.with?.command);
    const pulumiInstall = order((s) => /^pulumi install\b/.test(s.run ?? ""));
    const npmCi = order((s) => s.run === "npm ci");
    const operation = opSteps.indexOf(pulumiCommandStep);
    expect(order((s) => s === authStep)).toBeLessThan(install);
    expect(install).toBeGreaterThanOrEqual(0);
    expect(install).toBeLessThan(pulumiInstall);
    expect(pulumiInstall).toBeLessThan(operation);
    expect(npmCi).toBeGreaterThan(pulumiInstall);
    expect(npmCi).toBeLessThan(operation);
  });

  it("applies the policy pack, shows the diff, keeps outputs out of logs and comments", () => {
    expect(pulumiCommandStep.with).toMatchObject({
      command: "${{ inputs.command }}",
      "stack-name": "${{ env.STACK }}",
      diff: true,
      policyPacks: "policy",
      "suppress-outputs": true,
      refresh: "${{ inputs.refresh }}",
      "expect-no-changes": "${{ inputs.expect-no-changes }}",
      "comment-on-pr": "${{ inputs.comment-on-pr }}",
    });
    expect(pulumiCommandStep.env).toBeUndefined();
    expect(existsSync(path.join(ROOT, pulumiCommandStep.with!.policyPacks, "PulumiPolicy.yaml"))).toBe(true);
  });
});

describe("deployments", () => {
  it("follow a merge to main: tests, then pulumi up per stack through its environment, prod last", () => {
    expect(deploy.on).toMatchObject({ push: { branches: ["main"] } });
    expect(deploy.concurrency).toEqual({ group: "deploy", "cancel-in-progress": false });
    const chain = ["dev", "staging", "prod"];
    chain.forEach((stack, i) => {
      const job = deploy.jobs[stack];
      expect(job.uses).toBe("./.github/workflows/pulumi.yml");
      expect(job.with).toEqual({ stack, command: "up", environment: stack });
      expect(job.needs).toBe(i === 0 ? "test" : chain[i - 1]);
      expect(job.permissions).toEqual({ contents: "read", "id-token": "write" });
      expect(job.secrets).toBe("inherit");
    });
    expect(chain.sort()).toEqual(stackNames);
  });
});

describe("drift detection", () => {
  it("runs on a schedule, per stack, as a refresh preview that expects no changes", () => {
    expect(drift.on.schedule).toEqual([{ cron: expect.stringMatching(/^\S+ \S+ \* \* \*$/) }]);
    const job = drift.jobs.drift;
    expect([...job.strategy.matrix.stack].sort()).toEqual(stackNames);
    expect(job.with).toMatchObject({ command: "preview", refresh: true, "expect-no-changes": true, environment: "${{ matrix.stack }}-preview" });
    expect(job.permissions).toEqual({ contents: "read", "id-token": "write" });
    expect(drift.jobs.report).toMatchObject({ needs: "drift", if: "failure()", permissions: { issues: "write" } });
  });
});

describe("the policy pack the pipelines apply", () => {
  it("is a Pulumi policy pack with its own package (a version for the pack) that builds the pack from policies.ts", () => {
    const policyDir = path.join(ROOT, "policy");
    expect(parseYaml(readFileSync(path.join(policyDir, "PulumiPolicy.yaml"), "utf8"))).toMatchObject({ runtime: "nodejs" });
    const pkg = JSON.parse(readFileSync(path.join(policyDir, "package.json"), "utf8")) as Y;
    expect(pkg.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(pkg.dependencies).toHaveProperty("@pulumi/policy");
    expect(existsSync(path.join(policyDir, pkg.main))).toBe(true);
    expect(readFileSync(path.join(policyDir, "index.ts"), "utf8")).toMatch(/new PolicyPack\("virtual-agent-baseline", \{[^}]*policies/);
  });
});
