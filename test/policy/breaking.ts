/**
 * Helpers for deliberately broken configurations: a deep copy of a stack's real (mocked) resources with one thing
 * changed the way a component regression or a hand-written resource would change it, or with a resource added.
 */
import { policies } from "../../policy/policies";
import { type CapturedResource, type Json } from "../aws/mocks";
import { type StackRun } from "../stacks/harness";
import { type Finding, type PolicyRunOptions, runPolicies } from "./adapter";

export type Mutation = (resource: CapturedResource) => void;

export const T = {
  listener: "aws:lb/listener:Listener",
  listenerRule: "aws:lb/listenerRule:ListenerRule",
  loadBalancer: "aws:lb/loadBalancer:LoadBalancer",
  service: "aws:ecs/service:Service",
  subnet: "aws:ec2/subnet:Subnet",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  securityGroup: "aws:ec2/securityGroup:SecurityGroup",
  defaultSecurityGroup: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  table: "aws:dynamodb/table:Table",
  repository: "aws:ecr/repository:Repository",
  secret: "aws:secretsmanager/secret:Secret",
  secretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
  taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
  scalingTarget: "aws:appautoscaling/target:Target",
  stage: "aws:apigatewayv2/stage:Stage",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  botList: "pulumi-nodejs:dynamic/genesys:BotList",
  deployment: "genesyscloud:index/webdeploymentsDeployment:WebdeploymentsDeployment",
  integration: "genesyscloud:index/integration:Integration",
  oauthClient: "genesyscloud:index/oauthClient:OauthClient",
  authRole: "genesyscloud:index/authRole:AuthRole",
  messengerConfiguration: "genesyscloud:index/webdeploymentsConfiguration:WebdeploymentsConfiguration",
};

const copyOf = (r: CapturedResource): CapturedResource => ({ ...r, inputs: structuredClone(r.inputs), state: structuredClone(r.state) });

/** A deep copy of the stack's resources with `mutate` applied to those of `type` (named `*suffix`, if given). */
export function broken(run: StackRun, type: string, mutate: Mutation, suffix?: string): CapturedResource[] {
  let hits = 0;
  const copy = run.cloud.resources.map((r) => {
    const c = copyOf(r);
    if (c.type === type && (suffix === undefined || c.name.endsWith(suffix))) {
      mutate(c);
      hits += 1;
    }
    return c;
  });
  if (hits === 0) throw new Error(`no ${type}${suffix ? ` named *${suffix}` : ""} to break`);
  return copy;
}

/** A deep copy of the stack's resources plus one more, as a hand-written resource next to the components would be. */
export function withResource(run: StackRun, type: string, name: string, inputs: Json, state: Json = {}): CapturedResource[] {
  const id = `${name}-id`;
  return [...run.cloud.resources.map(copyOf), { type, name, inputs, id, state: { ...inputs, ...state }, custom: true }];
}

/** Sets properties on the inputs and on the state (stack policies read outputs). */
export const set =
  (changes: Json): Mutation =>
  (r) => {
    Object.assign(r.inputs, structuredClone(changes));
    Object.assign(r.state, structuredClone(changes));
  };

/** Changes the first container of a task definition. */
export const container =
  (change: (c: Json) => void): Mutation =>
  (r) => {
    const defs = JSON.parse(r.inputs.containerDefinitions as string) as Json[];
    change(defs[0]!);
    r.inputs.containerDefinitions = JSON.stringify(defs);
  };

/** Sets a role's or role policy's document (the policy input of a RolePolicy). */
export const policyDocument = (document: unknown): Mutation => set({ policy: typeof document === "string" ? document : JSON.stringify(document) });

/** A case: what is broken, the resources, the stack, the one policy that must catch it, what its message must say. */
export type BrokenCase = [string, () => CapturedResource[], string, string, RegExp];

/** Runs every policy; the violations of the named policy alone must be reported, at least one, each matching. */
export async function expectCaught(resources: CapturedResource[], stack: string, policy: string, fix: RegExp, config?: PolicyRunOptions["config"]): Promise<Finding[]> {
  const { violations } = await runPolicies(resources, policies, { stack, ...(config ? { config } : {}) });
  expect([...new Set(violations.map((v) => v.policy))]).toEqual([policy]);
  expect(violations.map((v) => v.message)).toContainEqual(expect.stringMatching(fix));
  return violations;
}

/** Runs every policy; none may report anything. */
export async function expectClean(resources: CapturedResource[], stack: string, config?: PolicyRunOptions["config"]): Promise<void> {
  const { violations } = await runPolicies(resources, policies, { stack, ...(config ? { config } : {}) });
  expect(violations.map((v) => `${v.policy}: ${v.message}`)).toEqual([]);
}
