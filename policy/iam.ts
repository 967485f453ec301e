/**
 * IAM: what the stack's roles may do, which policies they carry, and who may assume them or use its resources.
 *
 * The service needs little: its execution role pulls one image, writes one log group and reads its own secrets;
 * its task role reads and writes items of one table (with the KMS keys of each, when customer managed). The one
 * action AWS defines only on `*` among those is `ecr:GetAuthorizationToken`, so that is all `*` may carry unless a
 * stack's policy config says otherwise.
 *
 * Conditions never excuse a wildcard action or resource in a permission policy (a condition narrows a grant
 * that must already be right); they do decide whether a wildcard or a service principal in a trust or resource
 * policy is limited to someone.
 */
import { type ReportViolation, type ResourceValidationPolicy } from "@pulumi/policy";
import { expandAction, managesPermissions } from "./iam/catalogue";
import { type Condition, parsePolicyDocument, type Statement, statementLabel } from "./iam/document";
import { asList, forTypes, type Props, validateByType, whenKnownAsync } from "./support";

/** What the service's roles need on `*` (AWS defines these actions on no narrower resource). */
export const DEFAULT_ALLOWED_ON_EVERY_RESOURCE = ["ecr:GetAuthorizationToken"];
export const DEFAULT_MAX_ACTIONS_PER_WILDCARD = 10;
/** Service principals that send aws:SourceAccount/aws:SourceArn when they assume a role, so a trust can require it. */
export const DEFAULT_SERVICES_REQUIRING_SOURCE = ["ecs-tasks.amazonaws.com"];

const IAM = {
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  userPolicy: "aws:iam/userPolicy:UserPolicy",
  groupPolicy: "aws:iam/groupPolicy:GroupPolicy",
  policy: "aws:iam/policy:Policy",
  role: "aws:iam/role:Role",
};

interface LocatedDocument {
  /** Where the document sits in the resource's inputs, e.g. `inlinePolicies[0].policy`. */
  path: string;
  document: unknown;
}

/** The permission (identity) policy documents a resource carries. */
function permissionDocuments(type: string, props: Props): LocatedDocument[] {
  if (type === IAM.role) {
    return asList<Props>(props.inlinePolicies)
      .map((p, i) => ({ path: `inlinePolicies[${i}].policy`, document: p?.policy }))
      .filter((d) => d.document !== undefined && d.document !== "");
  }
  return props.policy === undefined ? [] : [{ path: "policy", document: props.policy }];
}

const hasWildcard = (s: string) => s.includes("*") || s.includes("?");
const onlyWildcards = (s: string) => s !== "" && /^[*?]+$/.test(s);

/**
 * Why a resource pattern covers more than named resources, or undefined: a wildcard for the partition, service
 * or account, or for the resource's name itself (`table/*`, `secret:*`). A name prefix (`secret:va-verify-*`, for
 * Secrets Manager's random suffix) and wildcards below a named resource (`log-group:x:log-stream:*`) are scoped.
 */
export function resourceBreadth(resource: string): string | undefined {
  if (onlyWildcards(resource)) return "every resource";
  const parts = resource.split(":");
  if (parts[0] !== "arn" || parts.length < 6) return undefined;
  const [, partition = "", service = "", , account = ""] = parts;
  if (hasWildcard(partition) || hasWildcard(service)) return "resources of every service";
  if (hasWildcard(account)) return "resources of every account";
  const rest = parts.slice(5).join(":");
  if (service === "s3") {
    const bucket = rest.split("/")[0] ?? "";
    return onlyWildcards(bucket) || bucket === "" ? "every bucket" : undefined;
  }
  const separator = rest.search(/[/:]/);
  if (separator < 0) return onlyWildcards(rest) ? `every ${service} resource` : undefined;
  const kind = rest.slice(0, separator);
  const name = rest.slice(separator + 1).split(/[/:]/)[0] ?? "";
  if (hasWildcard(kind)) return `every ${service} resource`;
  return onlyWildcards(name) ? `every ${service} ${kind}` : undefined;
}

interface PermissionConfig {
  allowedOnEveryResource?: string[];
  allowedPermissionsManagementActions?: string[];
  maxActionsPerWildcard?: number;
}

const quoteList = (items: string[], max = 5) => items.slice(0, max).join(", ") + (items.length > max ? ` and ${items.length - max} more` : "");

/** What is wrong with one Allow statement of a permission policy. */
async function permissionProblems(s: Statement, config: PermissionConfig): Promise<string[]> {
  const problems: string[] = [];
  const allowedStarList = config.allowedOnEveryResource ?? DEFAULT_ALLOWED_ON_EVERY_RESOURCE;
  const allowedStar = new Set(allowedStarList.map((a) => a.toLowerCase()));
  const allowedManagement = new Set((config.allowedPermissionsManagementActions ?? []).map((a) => a.toLowerCase()));
  const maxPerWildcard = config.maxActionsPerWildcard ?? DEFAULT_MAX_ACTIONS_PER_WILDCARD;
  const at = statementLabel(s);

  if (s.notAction) {
    problems.push(`${at} uses NotAction in an Allow, which grants every action of every service except ${quoteList(s.notAction)}; list the actions the role needs in Action`);
  }
  const granted: string[] = [];
  let wildcardActions = false;
  for (const pattern of s.action ?? []) {
    const expanded = await expandAction(pattern);
    if (expanded.everything) {
      problems.push(`${at} allows every action of every service (Action "*"); list the actions the role needs, e.g. "dynamodb:GetItem"`);
      wildcardActions = true;
      continue;
    }
    if (expanded.serviceWide) {
      problems.push(`${at} allows every ${expanded.service} action ("${pattern}"); list the ${expanded.service} actions the role needs`);
      wildcardActions = true;
      continue;
    }
    if (hasWildcard(pattern)) {
      wildcardActions = true;
      if (expanded.actions.length > maxPerWildcard) {
        problems.push(`${at}: "${pattern}" stands for ${expanded.actions.length} actions (more than ${maxPerWildcard}); list the actions the role needs`);
      }
    }
    granted.push(...expanded.actions);
  }
  const management: string[] = [];
  for (const action of granted) {
    if (!allowedManagement.has(action.toLowerCase()) && (await managesPermissions(action))) management.push(action);
  }
  if (management.length > 0) {
    problems.push(`${at} lets the role change permissions (${quoteList(management)}), a way to grant itself more; remove them (or list them in allowedPermissionsManagementActions)`);
  }

  if (s.notResource) {
    problems.push(`${at} uses NotResource in an Allow, which applies to every resource except ${quoteList(s.notResource)}; name the resources in Resource`);
  }
  for (const resource of s.resource ?? []) {
    const breadth = resourceBreadth(resource);
    if (breadth === undefined) continue;
    if (breadth === "every resource") {
      const needsStar = !wildcardActions && !s.notAction && granted.length > 0 && granted.every((a) => allowedStar.has(a.toLowerCase()));
      if (!needsStar) {
        const others = s.notAction ? ["every action but those in NotAction"] : (s.action ?? []).filter((a) => !allowedStar.has(a.toLowerCase()));
        problems.push(
          `${at} allows ${quoteList(others)} on every resource (Resource "${resource}"); name the exact ARNs (only ${quoteList(allowedStarList)} may stand on "*", as AWS defines no narrower resource for them)`,
        );
      }
    } else {
      problems.push(`${at}: Resource "${resource}" covers ${breadth}; name the exact ARN of the resource the role needs`);
    }
  }
  return problems;
}

async function reportDocuments(
  documents: LocatedDocument[],
  report: ReportViolation,
  problemsOf: (s: Statement) => string[] | Promise<string[]>,
): Promise<void> {
  for (const { path, document } of documents) {
    const parsed = parsePolicyDocument(document);
    if (!parsed.ok) {
      report(`${path} ${parsed.problem}; give a policy document {"Version": "2012-10-17", "Statement": [...]} (JSON text or an object)`);
      continue;
    }
    for (const s of parsed.statements) {
      if (s.effect !== "Allow") continue; // a Deny only takes away
      for (const problem of await problemsOf(s)) report(`${path} ${problem}`);
    }
  }
}

export const iamLeastPrivilege: ResourceValidationPolicy = {
  name: "iam-least-privilege",
  description:
    "Permission policies (inline, standalone, role inline) name their actions and resources: no \"*\" or service-wide actions, no NotAction/NotResource, no permission management, \"*\" only for actions AWS defines on nothing narrower.",
  enforcementLevel: "mandatory",
  severity: "critical",
  configSchema: {
    properties: {
      allowedOnEveryResource: {
        type: "array",
        items: { type: "string" },
        default: DEFAULT_ALLOWED_ON_EVERY_RESOURCE,
        description: "Actions a statement may allow on Resource \"*\" (AWS defines them on no narrower resource).",
      },
      allowedPermissionsManagementActions: {
        type: "array",
        items: { type: "string" },
        default: [],
        description: "Permission-management actions (IAM's access level, e.g. iam:PutRolePolicy) a role may hold.",
      },
      maxActionsPerWildcard: {
        type: "integer",
        minimum: 1,
        default: DEFAULT_MAX_ACTIONS_PER_WILDCARD,
        description: "Most actions one wildcard pattern such as kms:GenerateDataKey* may stand for.",
      },
    },
  },
  validateResource: validateByType(
    forTypes([IAM.rolePolicy, IAM.userPolicy, IAM.groupPolicy, IAM.policy, IAM.role], (props, args, report) =>
      whenKnownAsync(() => reportDocuments(permissionDocuments(args.type, props), report, (s) => permissionProblems(s, args.getConfig<PermissionConfig>()))),
    ),
  ),
};

/** AWS managed policies that grant administrator-level access (or everything a job function does). */
const ADMINISTRATOR_LEVEL = /^(AdministratorAccess(-.*)?|PowerUserAccess|IAMFullAccess|job-function\/.*|.*FullAccess)$/;
const AWS_MANAGED = /^arn:aws[a-z-]*:iam::aws:policy\/(.+)$/;

interface AttachmentConfig {
  allowedManagedPolicies?: string[];
}

const ATTACHMENTS = {
  single: ["aws:iam/rolePolicyAttachment:RolePolicyAttachment", "aws:iam/userPolicyAttachment:UserPolicyAttachment", "aws:iam/groupPolicyAttachment:GroupPolicyAttachment", "aws:iam/policyAttachment:PolicyAttachment"],
  exclusive: [
    "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
    "aws:iam/userPolicyAttachmentsExclusive:UserPolicyAttachmentsExclusive",
    "aws:iam/groupPolicyAttachmentsExclusive:GroupPolicyAttachmentsExclusive",
  ],
};

function attachedArns(type: string, props: Props): Array<{ path: string; arn: unknown }> {
  if (ATTACHMENTS.single.includes(type)) return [{ path: "policyArn", arn: props.policyArn }];
  if (ATTACHMENTS.exclusive.includes(type)) return asList(props.policyArns).map((arn, i) => ({ path: `policyArns[${i}]`, arn }));
  return asList(props.managedPolicyArns).map((arn, i) => ({ path: `managedPolicyArns[${i}]`, arn }));
}

export const iamNoAwsManagedPolicies: ResourceValidationPolicy = {
  name: "iam-no-aws-managed-policies",
  description:
    "Roles, users and groups get no AWS managed policy (administrator-level ones least of all) unless the config lists it: those grant far more than one service needs and change without review.",
  enforcementLevel: "mandatory",
  severity: "critical",
  configSchema: {
    properties: {
      allowedManagedPolicies: {
        type: "array",
        items: { type: "string" },
        default: [],
        description: "AWS managed policies that may be attached, by name (AmazonSSMManagedInstanceCore), path and name (service-role/...) or ARN.",
      },
    },
  },
  validateResource: validateByType(
    forTypes([...ATTACHMENTS.single, ...ATTACHMENTS.exclusive, IAM.role], (props, args, report) =>
      whenKnownAsync(async () => {
        const allowed = new Set(args.getConfig<AttachmentConfig>().allowedManagedPolicies ?? []);
        for (const { path, arn } of attachedArns(args.type, props)) {
          if (typeof arn !== "string") continue;
          const managed = AWS_MANAGED.exec(arn.trim())?.[1];
          if (managed === undefined) continue; // a customer managed policy: its document is checked where the stack defines it
          const name = managed.split("/").pop()!;
          if (allowed.has(arn) || allowed.has(managed) || allowed.has(name)) continue;
          const what = ADMINISTRATOR_LEVEL.test(managed) || ADMINISTRATOR_LEVEL.test(name) ? "grants administrator-level access" : "is an AWS managed policy, broader than one service needs";
          report(`${path} attaches ${managed}, which ${what}; give the role an inline policy naming the actions and ARNs it needs (or list the policy in allowedManagedPolicies)`);
        }
      }),
    ),
  ),
};

/** Condition keys that limit a wildcard principal to an organisation, an account, a source or a network path. */
const LIMITING_KEYS = [
  "aws:principalorgid",
  "aws:principalorgpaths",
  "aws:principalaccount",
  "aws:principalarn",
  "aws:sourceaccount",
  "aws:sourcearn",
  "aws:sourceorgid",
  "aws:sourceorgpaths",
  "aws:sourcevpc",
  "aws:sourcevpce",
];
const SOURCE_KEYS = ["aws:sourceaccount", "aws:sourcearn"];
/** Operators that require the key to be present and to match (IfExists and ForAllValues hold when the key is absent). */
const LIMITING_OPERATORS = ["stringequals", "stringlike", "stringequalsignorecase", "arnequals", "arnlike"];

/** Whether a condition limits the statement to the given keys' values (present, positive, and not just wildcards). */
export function limitsBy(conditions: Condition[], keys: string[] | ((key: string) => boolean)): boolean {
  const keyMatches = typeof keys === "function" ? keys : (key: string) => keys.includes(key);
  return conditions.some((c) => {
    const operator = c.operator.toLowerCase().replace(/^foranyvalue:/, "");
    return LIMITING_OPERATORS.includes(operator) && keyMatches(c.key.toLowerCase()) && c.values.length > 0 && c.values.every((v) => !onlyWildcards(v));
  });
}

const ACCOUNT_PRINCIPAL = /^(\d{12})$|^arn:aws[a-z-]*:iam::(\d{12}):root$/;

interface PrincipalConfig {
  trustedAccounts?: string[];
  servicesRequiringSourceCondition?: string[];
}

/** A federated identity's subject must be named: `repo:*` or `*` lets any identity of the provider in. */
const BROAD_SUBJECT = /^[*?]*$|^[^:*?]+:[*?]+$/;

function principalProblems(s: Statement, config: PrincipalConfig, trust: boolean): string[] {
  const problems: string[] = [];
  const at = statementLabel(s);
  if (s.notPrincipal) {
    problems.push(`${at} uses NotPrincipal in an Allow, which trusts everyone except the principals listed; name the principals in Principal`);
  }
  const principal = s.principal ?? {};
  for (const value of principal.AWS ?? []) {
    if (onlyWildcards(value)) {
      if (!limitsBy(s.conditions, LIMITING_KEYS)) {
        problems.push(
          `${at} lets any AWS principal in (Principal "*") with no condition naming who; name the principal, or add Condition StringEquals on aws:PrincipalOrgID, aws:PrincipalAccount or aws:SourceArn`,
        );
      }
      continue;
    }
    const account = ACCOUNT_PRINCIPAL.exec(value.trim());
    const accountId = account?.[1] ?? account?.[2];
    if (trust && accountId !== undefined && !(config.trustedAccounts ?? []).includes(accountId)) {
      problems.push(`${at} trusts every principal of account ${accountId} (${value}); name the role that may assume it (arn:aws:iam::${accountId}:role/<name>), or list the account in trustedAccounts`);
    }
  }
  if (trust) {
    const needSource = (config.servicesRequiringSourceCondition ?? DEFAULT_SERVICES_REQUIRING_SOURCE).map((x) => x.toLowerCase());
    for (const service of principal.Service ?? []) {
      if (needSource.includes(service.toLowerCase()) && !limitsBy(s.conditions, SOURCE_KEYS)) {
        problems.push(
          `${at} lets ${service} assume the role for any account (confused deputy); add Condition { StringEquals: { "aws:SourceAccount": "<this account>" } } (or aws:SourceArn)`,
        );
      }
    }
    const webIdentity = (s.action ?? []).some((a) => /^sts:(\*|AssumeRoleWithWebIdentity)$/i.test(a) || a === "*");
    for (const provider of principal.Federated ?? []) {
      if (!webIdentity) continue;
      const namesSubject = limitsBy(s.conditions, (key) => key.endsWith(":sub")) && s.conditions.filter((c) => c.key.toLowerCase().endsWith(":sub")).every((c) => c.values.every((v) => !BROAD_SUBJECT.test(v)));
      if (!namesSubject) {
        problems.push(`${at} lets any identity of ${provider} assume the role; add a Condition (StringEquals or StringLike) on its ":sub" key naming the subject, e.g. "repo:<org>/<repo>:environment:prod"`);
      }
    }
  }
  return problems;
}

/** Resource policies: who else may use a resource the stack creates. */
const RESOURCE_POLICIES: Record<string, string> = {
  "aws:secretsmanager/secretPolicy:SecretPolicy": "policy",
  "aws:secretsmanager/secret:Secret": "policy",
  "aws:ecr/repositoryPolicy:RepositoryPolicy": "policy",
  "aws:ecr/registryPolicy:RegistryPolicy": "policy",
  "aws:kms/key:Key": "policy",
  "aws:kms/keyPolicy:KeyPolicy": "policy",
  "aws:s3/bucketPolicy:BucketPolicy": "policy",
  "aws:sns/topic:Topic": "policy",
  "aws:sns/topicPolicy:TopicPolicy": "policy",
  "aws:sqs/queue:Queue": "policy",
  "aws:sqs/queuePolicy:QueuePolicy": "policy",
  "aws:dynamodb/resourcePolicy:ResourcePolicy": "policy",
  "aws:dynamodb/table:Table": "resourcePolicy",
  "aws:cloudwatch/logResourcePolicy:LogResourcePolicy": "policyDocument",
  "aws:apigateway/restApiPolicy:RestApiPolicy": "policy",
  "aws:apigateway/restApi:RestApi": "policy",
};

export const iamPrincipalsNamed: ResourceValidationPolicy = {
  name: "iam-principals-named",
  description:
    "Trust policies and resource policies name who they let in: no \"*\" principal without a condition naming an organisation, account or source, no NotPrincipal, account roots only when trusted, service principals limited to this account, federated identities limited to a subject.",
  enforcementLevel: "mandatory",
  severity: "critical",
  configSchema: {
    properties: {
      trustedAccounts: {
        type: "array",
        items: { type: "string", pattern: "^\\d{12}$" },
        default: [],
        description: "Accounts whose every principal (the account root) a role may trust.",
      },
      servicesRequiringSourceCondition: {
        type: "array",
        items: { type: "string" },
        default: DEFAULT_SERVICES_REQUIRING_SOURCE,
        description: "Service principals whose trust must carry an aws:SourceAccount or aws:SourceArn condition.",
      },
    },
  },
  validateResource: validateByType(
    forTypes([IAM.role], (props, args, report) =>
      whenKnownAsync(async () => {
        const config = args.getConfig<PrincipalConfig>();
        await reportDocuments([{ path: "assumeRolePolicy", document: props.assumeRolePolicy }], report, (s) => principalProblems(s, config, true));
      }),
    ),
    forTypes(Object.keys(RESOURCE_POLICIES), (props, args, report) =>
      whenKnownAsync(async () => {
        const path = RESOURCE_POLICIES[args.type]!;
        const document = props[path];
        if (document === undefined || document === null || document === "") return;
        const config = args.getConfig<PrincipalConfig>();
        await reportDocuments([{ path, document }], report, (s) => principalProblems(s, config, false));
      }),
    ),
  ),
};

export const iamPolicies = [iamLeastPrivilege, iamNoAwsManagedPolicies, iamPrincipalsNamed];
