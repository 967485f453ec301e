/**
 * What every policy module of the pack shares: the resource types it knows (with the provider's aliases), how a
 * check meets values a preview cannot know yet, how a validation picks the checks for a resource's type and names
 * the resource in each message, and which stacks count as production.
 */
import { type PolicyConfigSchema, type ReportViolation, type ResourceValidation, type ResourceValidationArgs } from "@pulumi/policy";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- resource inputs are untyped JSON
export type Props = Record<string, any>;

/** A type and the aliases the AWS provider keeps for it (a stack may use any of them). */
export const TYPES = {
  listener: ["aws:lb/listener:Listener", "aws:alb/listener:Listener", "aws:elasticloadbalancingv2/listener:Listener"],
  listenerRule: ["aws:lb/listenerRule:ListenerRule", "aws:alb/listenerRule:ListenerRule", "aws:elasticloadbalancingv2/listenerRule:ListenerRule"],
  loadBalancer: ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer", "aws:elasticloadbalancingv2/loadBalancer:LoadBalancer"],
  apiDomainName: ["aws:apigatewayv2/domainName:DomainName"],
  apiStage: ["aws:apigatewayv2/stage:Stage"],
  restApiStage: ["aws:apigateway/stage:Stage"],
  ecsService: ["aws:ecs/service:Service"],
  taskDefinition: ["aws:ecs/taskDefinition:TaskDefinition"],
  scalingTarget: ["aws:appautoscaling/target:Target"],
  subnet: ["aws:ec2/subnet:Subnet"],
  securityGroup: ["aws:ec2/securityGroup:SecurityGroup"],
  defaultSecurityGroup: ["aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"],
  ingressRule: ["aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"],
  legacyRule: ["aws:ec2/securityGroupRule:SecurityGroupRule"],
  logGroup: ["aws:cloudwatch/logGroup:LogGroup"],
  metricAlarm: ["aws:cloudwatch/metricAlarm:MetricAlarm"],
  compositeAlarm: ["aws:cloudwatch/compositeAlarm:CompositeAlarm"],
  table: ["aws:dynamodb/table:Table"],
  repository: ["aws:ecr/repository:Repository"],
  secret: ["aws:secretsmanager/secret:Secret"],
  kmsKey: ["aws:kms/key:Key"],
  lambdaFunction: ["aws:lambda/function:Function"],
  messengerDeployment: ["genesyscloud:index/webdeploymentsDeployment:WebdeploymentsDeployment"],
  integration: ["genesyscloud:index/integration:Integration"],
  oauthClient: ["genesyscloud:index/oauthClient:OauthClient"],
  authRole: ["genesyscloud:index/authRole:AuthRole"],
} as const;

export const isOneOf = (types: readonly string[], type: string) => types.includes(type);

/** Dynamic resources share one provider type (older SDKs: exactly `pulumi-nodejs:dynamic:Resource`). */
export const isDynamic = (type: string) => type === "pulumi-nodejs:dynamic:Resource" || type.startsWith("pulumi-nodejs:dynamic/");

/** The analyzer's UnknownValueError (not in the SDK's type declarations): it carries the sentinel it met. */
export const isUnknownError = (e: unknown) => typeof e === "object" && e !== null && "unknownTypeSentinel" in e;

/** Runs a check; a value it reads that a preview cannot know yet skips it (it runs again, with values, in `pulumi up`). */
export function whenKnown(check: () => void): void {
  try {
    check();
  } catch (e) {
    if (!isUnknownError(e)) throw e;
  }
}

/** `whenKnown` for checks that wait on something (a lookup in the IAM action catalogue, the secret scanner). */
export async function whenKnownAsync(check: () => Promise<void>): Promise<void> {
  try {
    await check();
  } catch (e) {
    if (!isUnknownError(e)) throw e;
  }
}

export interface Check {
  /** The resource types the check is for. */
  applies: (type: string) => boolean;
  check: (props: Props, args: ResourceValidationArgs, report: ReportViolation) => void | Promise<void>;
}

/** A check of these types. */
export const forTypes = (types: readonly string[], check: Check["check"]): Check => ({ applies: (type) => types.includes(type), check });

/** `RolePolicy va-aws-service-task-policy`: how every message names the resource it is about. */
export function resourceLabel(type: string, name: string): string {
  const short = type.split(":").pop() || type;
  return `${short} ${name}`;
}

/**
 * One validation per policy, running the checks for the resource's type (not applicable to any other type). Every
 * message starts with the resource it is about, so a report read outside the preview's tree still says where.
 */
export function validateByType(...checks: Check[]): ResourceValidation {
  return async (args, report) => {
    const matching = checks.filter((c) => c.applies(args.type));
    if (matching.length === 0) args.notApplicable(`not a resource type this policy checks`);
    const label = resourceLabel(args.type, args.name);
    const named: ReportViolation = (message) => report(`${label}: ${message}`);
    for (const c of matching) await c.check(args.props, args, named);
  };
}

/** The stack name inside a URN (`urn:pulumi:<stack>::<project>::...`). */
export function stackOfUrn(urn: string): string | undefined {
  return /^urn:pulumi:([^:]+)::/.exec(urn)?.[1];
}

export const asList = <T>(value: T | T[] | undefined | null): T[] => (value === undefined || value === null ? [] : Array.isArray(value) ? value : [value]);

/** The container definitions of a task definition (a JSON string in the inputs, or already a list). */
export function containersOf(props: Props): Props[] {
  const raw = props.containerDefinitions;
  const parsed: unknown = typeof raw === "string" ? JSON.parse(raw) : raw;
  return Array.isArray(parsed) ? (parsed as Props[]) : [];
}

/** Stacks whose names mark production, unless a policy's config says otherwise. */
export const DEFAULT_PRODUCTION_STACKS = ["prod", "production"];

/** The config property every production-aware policy takes. */
export const PRODUCTION_STACKS_PROPERTY = {
  productionStacks: {
    type: "array",
    items: { type: "string" },
    default: DEFAULT_PRODUCTION_STACKS,
    description: "Names of the production stacks (the stack part of the URN, without the organisation).",
  },
} as const satisfies PolicyConfigSchema["properties"];

export interface ProductionConfig {
  productionStacks?: string[];
}

/** The production stack a resource belongs to, or undefined when its stack is not one. */
export function productionStack(urn: string, config: ProductionConfig): string | undefined {
  const stack = stackOfUrn(urn);
  const production = config.productionStacks ?? DEFAULT_PRODUCTION_STACKS;
  return stack !== undefined && production.includes(stack) ? stack : undefined;
}

/** A check that runs only on resources of production stacks. */
export const inProduction =
  (check: (props: Props, args: ResourceValidationArgs, report: ReportViolation, stack: string) => void | Promise<void>): Check["check"] =>
  (props, args, report) => {
    const stack = productionStack(args.urn, args.getConfig<ProductionConfig>());
    return stack === undefined ? undefined : check(props, args, report, stack);
  };
