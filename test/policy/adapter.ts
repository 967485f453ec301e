/**
 * Runs the CrossGuard policies of policy/policies.ts as plain functions over resources captured by the mocks, the
 * way the policy analyzer would during `pulumi preview --policy-pack policy` (pattern of pulumi-policy's own test
 * utilities): props are the resource inputs with secrets unwrapped, wrapped in the SDK's unknown-checking proxy,
 * so a policy that reads a value a preview does not know yet throws exactly as it would there. Stack policies
 * get every resource with its outputs (the mocks' state, with the `id` bridged providers keep among them) and,
 * per input property, the resources whose id or ARN it holds (what the engine records as property dependencies).
 * Config is read the way the analyzer reads it: `"advisory"` alone sets the level, an object may carry
 * `enforcementLevel` next to the policy's own properties.
 */
import * as policy from "@pulumi/policy";
import * as proxy from "@pulumi/policy/proxy";
import * as pulumi from "@pulumi/pulumi";
import { type CapturedResource, type Json, plainInput } from "../aws/mocks";

/** The analyzer's sentinel for a value a preview cannot know (`@pulumi/policy`'s own). */
const UNKNOWN = (proxy as unknown as { unknownStringValue: string }).unknownStringValue;

export interface Finding {
  policy: string;
  /** The level the analyzer would apply: the config's, else the policy's own, else mandatory. */
  level: policy.EnforcementLevel;
  resource: string;
  type: string;
  message: string;
}

export interface PolicyRun {
  violations: Finding[];
  /** Policy name → how many resources it examined (not "not applicable"). */
  examined: Record<string, number>;
  /** Checks that met a value unknown in the preview (the analyzer reports those as advisory, not as violations). */
  unknown: Finding[];
  /** Resources with at least one input unknown (only in a preview). */
  withUnknownInputs: string[];
}

export interface PolicyRunOptions {
  stack: string;
  project?: string;
  /** Per-policy config, as `--policy-pack-config` would give it. */
  config?: Record<string, Json | policy.EnforcementLevel>;
  /** Called with each config property a policy reads (tests check that the schema declares it). */
  onConfigRead?: (policy: string, property: string) => void;
}

/** Secrets unwrapped (policies see plain values) and unknowns turned into the analyzer's sentinel. */
function asAnalyzerValue(value: unknown): unknown {
  if (pulumi.isUnknown(value)) return UNKNOWN;
  const plain = plainInput(value);
  if (Array.isArray(plain)) return plain.map(asAnalyzerValue);
  if (plain && typeof plain === "object") return Object.fromEntries(Object.entries(plain).map(([k, v]) => [k, asAnalyzerValue(v)]));
  return plain;
}

const urnOf = (r: CapturedResource, stack: string, project: string) => `urn:pulumi:${stack}::${project}::${r.type}::${r.name}`;

class NotApplicable extends Error {}

/** A policy's config without the level (what `getConfig` returns), and the level the analyzer applies. */
function configOf(p: policy.Policy, options: PolicyRunOptions): { config: Json; level: policy.EnforcementLevel } {
  const raw = options.config?.[p.name];
  if (typeof raw === "string") return { config: {}, level: raw };
  const { enforcementLevel, ...config } = (raw ?? {}) as Json;
  return { config, level: (enforcementLevel as policy.EnforcementLevel | undefined) ?? p.enforcementLevel ?? "mandatory" };
}

/** Every string inside a value. */
function* stringsIn(value: unknown): Generator<string> {
  if (typeof value === "string") yield value;
  else if (Array.isArray(value)) for (const v of value) yield* stringsIn(v);
  else if (value && typeof value === "object") for (const v of Object.values(value)) yield* stringsIn(v);
}

const resourceOptions = (): policy.PolicyResourceOptions => ({
  protect: false,
  ignoreChanges: [],
  aliases: [],
  customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
  additionalSecretOutputs: [],
});

function isTypeOf(type: string, resourceClass: unknown): boolean {
  const isInstance = (resourceClass as { isInstance?: (o: unknown) => boolean }).isInstance;
  return typeof isInstance === "function" && isInstance({ __pulumiType: type }) === true;
}

const isUnknownError = (e: unknown) => typeof e === "object" && e !== null && "unknownTypeSentinel" in e;

export async function runPolicies(
  resources: CapturedResource[],
  policies: ReadonlyArray<policy.ResourceValidationPolicy | policy.StackValidationPolicy>,
  options: PolicyRunOptions,
): Promise<PolicyRun> {
  const project = options.project ?? "virtual-agent";
  const out: PolicyRun = { violations: [], examined: {}, unknown: [], withUnknownInputs: [] };
  const custom = resources.filter((r) => r.custom);
  out.withUnknownInputs = custom.filter((r) => JSON.stringify(asAnalyzerValue(r.inputs)).includes(UNKNOWN)).map((r) => r.type);

  for (const p of policies) {
    out.examined[p.name] = 0;
    const { config, level } = configOf(p, options);
    if (level === "disabled") continue;
    const read = options.onConfigRead;
    const getConfig = <T extends object>() =>
      (read ? new Proxy(config, { get: (target, key) => (read(p.name, String(key)), (target as Json)[key as string]) }) : config) as T;
    if ("validateResource" in p) {
      const validations = ([] as policy.ResourceValidation[]).concat(p.validateResource ?? []);
      for (const r of custom) {
        const props = policy.unknownCheckingProxy(asAnalyzerValue(r.inputs) as Json) as Json;
        const urn = urnOf(r, options.stack, project);
        let examined = false;
        for (const validate of validations) {
          const args: policy.ResourceValidationArgs = {
            type: r.type,
            props,
            urn,
            name: r.name,
            opts: resourceOptions(),
            stackTags: new Map(),
            isType: (cls) => isTypeOf(r.type, cls),
            asType: ((cls: unknown) => (isTypeOf(r.type, cls) ? props : undefined)) as policy.ResourceValidationArgs["asType"],
            getConfig,
            notApplicable: () => {
              throw new NotApplicable();
            },
          };
          const report = (message: string) => out.violations.push({ policy: p.name, level, resource: r.name, type: r.type, message });
          try {
            await validate(args, report);
            examined = true;
          } catch (e) {
            if (e instanceof NotApplicable) continue;
            if (isUnknownError(e)) out.unknown.push({ policy: p.name, level, resource: r.name, type: r.type, message: String((e as { message?: unknown }).message) });
            else throw e;
          }
        }
        if (examined) out.examined[p.name]! += 1;
      }
    } else if ("validateStack" in p) {
      const policyResources: policy.PolicyResource[] = custom.map((r) => {
        const props = policy.unknownCheckingProxy(asAnalyzerValue({ id: r.id, ...r.state }) as Json) as Json;
        return {
          type: r.type,
          props,
          urn: urnOf(r, options.stack, project),
          name: r.name,
          opts: resourceOptions(),
          dependencies: [],
          propertyDependencies: {},
          isType: (cls) => isTypeOf(r.type, cls),
          asType: ((cls: unknown) => (isTypeOf(r.type, cls) ? props : undefined)) as policy.PolicyResource["asType"],
        };
      });
      const byReference = new Map<string, policy.PolicyResource>();
      custom.forEach((r, i) => {
        for (const ref of [r.id, r.state.arn]) if (typeof ref === "string" && ref !== "") byReference.set(ref, policyResources[i]!);
      });
      custom.forEach((r, i) => {
        const dependencies = policyResources[i]!.propertyDependencies;
        for (const [key, value] of Object.entries(r.inputs)) {
          const deps = [...new Set([...stringsIn(plainInput(value))].map((v) => byReference.get(v)).filter((d): d is policy.PolicyResource => d !== undefined && d !== policyResources[i]))];
          if (deps.length > 0) dependencies[key] = deps;
        }
        policyResources[i]!.dependencies.push(...new Set(Object.values(dependencies).flat()));
      });
      const byUrn = new Map(policyResources.map((r) => [r.urn, r]));
      const report = (message: string, urn?: string) =>
        out.violations.push({ policy: p.name, level, resource: (urn && byUrn.get(urn)?.name) ?? "(stack)", type: (urn && byUrn.get(urn)?.type) ?? "", message });
      await p.validateStack(
        {
          resources: policyResources,
          stackTags: new Map(),
          getConfig,
          notApplicable: () => {
            throw new NotApplicable();
          },
        },
        report,
      );
      out.examined[p.name] = policyResources.length;
    }
  }
  return out;
}

/** Violations as readable lines (for failure messages). */
export function describe(findings: Finding[]): string {
  return findings.map((f) => `${f.policy} (${f.level}) on ${f.type} ${f.resource}: ${f.message}`).join("\n");
}
