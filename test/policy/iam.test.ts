/**
 * The IAM policies against broken documents on the stacks' real roles: wildcard and service-wide actions,
 * NotAction/NotResource, resources of a whole account, permission management, AWS managed policies (administrator
 * ones above all), trust and resource policies that let anyone in. Documents come as JSON text or as objects, with
 * one statement or a list, as a Pulumi program may write them.
 */
import { DEFAULT_ALLOWED_ON_EVERY_RESOURCE, limitsBy, resourceBreadth } from "../../policy/iam";
import { expandAction, matchesPattern, onlyOnEveryResource } from "../../policy/iam/catalogue";
import { parsePolicyDocument } from "../../policy/iam/document";
import { type Json } from "../aws/mocks";
import { runStack, type StackRun } from "../stacks/harness";
import { type BrokenCase, broken, expectCaught, expectClean, policyDocument, set, T, withResource } from "./breaking";

let dev: StackRun;

beforeAll(async () => {
  dev = await runStack("dev");
}, 120_000);

const ACCOUNT = "123456789012";
const TABLE = `arn:aws:dynamodb:eu-central-1:${ACCOUNT}:table/va-sessions`;
const SECRET = `arn:aws:secretsmanager:eu-central-1:${ACCOUNT}:secret:va-verify-token-AbCdEf`;
const allow = (Action: unknown, Resource: unknown, extra: Json = {}) => ({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action, Resource, ...extra }] });
const taskPolicy = (document: unknown) => broken(dev, T.rolePolicy, policyDocument(document), "-task-policy");
const trust = (statement: Json) => broken(dev, T.role, set({ assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", ...statement }] }) }), "-task-role");
const ECS_TRUST = { Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" };
const GITHUB = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
const attach = (type: string, inputs: Json) => withResource(dev, type, "va-extra-attachment", { role: "va-aws-service-task-role", ...inputs });

const LEAST = "iam-least-privilege";
const MANAGED = "iam-no-aws-managed-policies";
const PRINCIPALS = "iam-principals-named";

const cases: BrokenCase[] = [
  ["every action on every resource", () => taskPolicy(allow("*", "*")), "dev", LEAST, /RolePolicy va-aws-service-task-policy: policy statement 1 allows every action of every service \(Action "\*"\)/],
  ["service-wide actions on the session table", () => taskPolicy(allow("dynamodb:*", TABLE)), "dev", LEAST, /statement 1 allows every dynamodb action \("dynamodb:\*"\); list the dynamodb actions the role needs/],
  [
    "service-wide actions on the secrets, as an object document with a Sid",
    () => broken(dev, T.rolePolicy, set({ policy: { Version: "2012-10-17", Statement: [{ Sid: "Secrets", Effect: "Allow", Action: ["secretsmanager:*"], Resource: [SECRET] }] } }), "-execution-policy"),
    "dev",
    LEAST,
    /policy statement 1 \(Secrets\) allows every secretsmanager action/,
  ],
  ["a service wildcard spelled with ?", () => taskPolicy(allow("dynamodb:?*", TABLE)), "dev", LEAST, /allows every dynamodb action \("dynamodb:\?\*"\)/],
  ["NotAction in an Allow", () => taskPolicy({ Statement: [{ Effect: "Allow", NotAction: "iam:*", Resource: TABLE }] }), "dev", LEAST, /uses NotAction in an Allow, which grants every action of every service except iam:\*/],
  ["NotResource in an Allow", () => taskPolicy(allow("dynamodb:GetItem", undefined, { NotResource: TABLE })), "dev", LEAST, /uses NotResource in an Allow, which applies to every resource except/],
  ["an item action on every resource", () => taskPolicy(allow(["dynamodb:GetItem", "dynamodb:PutItem"], "*")), "dev", LEAST, /allows dynamodb:GetItem, dynamodb:PutItem on every resource \(Resource "\*"\); name the exact ARNs \(only ecr:GetAuthorizationToken may stand on "\*"/],
  ["every table of the account", () => taskPolicy(allow("dynamodb:GetItem", `arn:aws:dynamodb:eu-central-1:${ACCOUNT}:table/*`)), "dev", LEAST, /Resource "arn:aws:dynamodb:eu-central-1:123456789012:table\/\*" covers every dynamodb table/],
  ["a secret of any account", () => taskPolicy(allow("secretsmanager:GetSecretValue", "arn:aws:secretsmanager:eu-central-1:*:secret:va-verify-token-*")), "dev", LEAST, /covers resources of every account/],
  ["every resource of every service, as an ARN", () => taskPolicy(allow("dynamodb:GetItem", "arn:aws:*:*:*:*")), "dev", LEAST, /covers resources of every service/],
  ["a role that can rewrite its own policies", () => taskPolicy(allow("iam:PutRolePolicy", `arn:aws:iam::${ACCOUNT}:role/va-task`)), "dev", LEAST, /lets the role change permissions \(iam:PutRolePolicy\), a way to grant itself more/],
  ["permission management hidden in a pattern", () => taskPolicy(allow("iam:Attach*Policy", `arn:aws:iam::${ACCOUNT}:role/va-task`)), "dev", LEAST, /lets the role change permissions \(iam:AttachGroupPolicy, iam:AttachRolePolicy, iam:AttachUserPolicy\)/],
  ["a pattern standing for dozens of actions", () => taskPolicy(allow("s3:Get*", "arn:aws:s3:::va-bucket/*")), "dev", LEAST, /"s3:Get\*" stands for \d+ actions \(more than 10\)/],
  ["one statement object, Action as a string", () => taskPolicy({ Statement: { Effect: "Allow", Action: "dynamodb:*", Resource: TABLE } }), "dev", LEAST, /statement 1 allows every dynamodb action/],
  ["a condition does not excuse a wildcard", () => taskPolicy(allow("*", "*", { Condition: { StringEquals: { "aws:SourceVpc": "vpc-1" } } })), "dev", LEAST, /allows every action of every service/],
  ["a document that is not JSON", () => taskPolicy("{ Statement: [ "), "dev", LEAST, /policy is not JSON; give a policy document/],
  ["a statement with both Action and NotAction", () => taskPolicy({ Statement: [{ Effect: "Allow", Action: "dynamodb:GetItem", NotAction: "iam:*", Resource: TABLE }] }), "dev", LEAST, /policy statement 1 has both Action and NotAction/],
  [
    "a role's inline policy with every action",
    () => broken(dev, T.role, set({ inlinePolicies: [{ name: "extra", policy: JSON.stringify(allow("*", "*")) }] }), "-task-role"),
    "dev",
    LEAST,
    /Role va-aws-service-task-role: inlinePolicies\[0\]\.policy statement 1 allows every action of every service/,
  ],
  ["a standalone policy with every action", () => withResource(dev, "aws:iam/policy:Policy", "va-extra-policy", { policy: allow("*", "*") }), "dev", LEAST, /Policy va-extra-policy: policy statement 1 allows every action/],

  ["AdministratorAccess attached to the task role", () => attach("aws:iam/rolePolicyAttachment:RolePolicyAttachment", { policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" }), "dev", MANAGED, /policyArn attaches AdministratorAccess, which grants administrator-level access; give the role an inline policy/],
  ["PowerUserAccess through the role's managedPolicyArns", () => broken(dev, T.role, set({ managedPolicyArns: ["arn:aws:iam::aws:policy/PowerUserAccess"] }), "-task-role"), "dev", MANAGED, /managedPolicyArns\[0\] attaches PowerUserAccess, which grants administrator-level access/],
  [
    "a job-function administrator policy through an exclusive attachment",
    () => withResource(dev, "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive", "va-extra-exclusive", { roleName: "va-task", policyArns: ["arn:aws:iam::aws:policy/job-function/SystemAdministrator"] }),
    "dev",
    MANAGED,
    /policyArns\[0\] attaches job-function\/SystemAdministrator, which grants administrator-level access/,
  ],
  [
    "the broad ECS execution policy, in GovCloud",
    () => attach("aws:iam/rolePolicyAttachment:RolePolicyAttachment", { policyArn: "arn:aws-us-gov:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy" }),
    "dev",
    MANAGED,
    /attaches service-role\/AmazonECSTaskExecutionRolePolicy, which is an AWS managed policy, broader than one service needs/,
  ],

  ["a trust policy for anyone", () => trust({ Principal: "*", Action: "sts:AssumeRole" }), "dev", PRINCIPALS, /assumeRolePolicy statement 1 lets any AWS principal in \(Principal "\*"\) with no condition naming who/],
  [
    "a trust for anyone, limited only if the key exists",
    () => trust({ Principal: { AWS: "*" }, Action: "sts:AssumeRole", Condition: { StringLikeIfExists: { "aws:PrincipalOrgID": "o-abc123" } } }),
    "dev",
    PRINCIPALS,
    /lets any AWS principal in/,
  ],
  ["a trust for anyone, limited by a wildcard", () => trust({ Principal: "*", Action: "sts:AssumeRole", Condition: { StringLike: { "aws:PrincipalOrgID": "*" } } }), "dev", PRINCIPALS, /lets any AWS principal in/],
  ["a trust for every principal of another account", () => trust({ Principal: { AWS: "arn:aws:iam::999988887777:root" }, Action: "sts:AssumeRole" }), "dev", PRINCIPALS, /trusts every principal of account 999988887777 .*name the role that may assume it/],
  ["a trust for an account given by its id", () => trust({ Principal: { AWS: "999988887777" }, Action: "sts:AssumeRole" }), "dev", PRINCIPALS, /trusts every principal of account 999988887777/],
  ["ECS tasks of any account (confused deputy)", () => trust(ECS_TRUST), "dev", PRINCIPALS, /lets ecs-tasks\.amazonaws\.com assume the role for any account \(confused deputy\); add Condition/],
  ["GitHub's OIDC provider without a subject", () => trust({ Principal: { Federated: GITHUB }, Action: "sts:AssumeRoleWithWebIdentity", Condition: { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" } } }), "dev", PRINCIPALS, /lets any identity of .*token\.actions\.githubusercontent\.com assume the role/],
  ["GitHub's OIDC provider with any repository", () => trust({ Principal: { Federated: GITHUB }, Action: "sts:AssumeRoleWithWebIdentity", Condition: { StringLike: { "token.actions.githubusercontent.com:sub": "repo:*" } } }), "dev", PRINCIPALS, /lets any identity of/],
  ["NotPrincipal in a trust", () => trust({ NotPrincipal: { AWS: `arn:aws:iam::${ACCOUNT}:role/x` }, Action: "sts:AssumeRole" }), "dev", PRINCIPALS, /uses NotPrincipal in an Allow, which trusts everyone except/],
  [
    "a secret readable by anyone",
    () => withResource(dev, "aws:secretsmanager/secretPolicy:SecretPolicy", "va-extra-secret-policy", { secretArn: SECRET, policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: "*", Action: "secretsmanager:GetSecretValue", Resource: "*" }] }) }),
    "dev",
    PRINCIPALS,
    /SecretPolicy va-extra-secret-policy: policy statement 1 lets any AWS principal in/,
  ],
];

it.each(cases)("catches %s", async (_, resources, stack, policy, fix) => {
  await expectCaught(resources(), stack, policy, fix);
});

describe("what passes", () => {
  it("the execution role's ecr:GetAuthorizationToken on *, and narrow patterns such as kms:GenerateDataKey*", async () => {
    await expectClean(
      taskPolicy({
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
          { Effect: "Allow", Action: ["kms:GenerateDataKey*", "kms:ReEncrypt*"], Resource: `arn:aws:kms:eu-central-1:${ACCOUNT}:key/1234` },
          { Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: "arn:aws:secretsmanager:eu-central-1:123456789012:secret:va-verify-token-??????" },
          { Effect: "Allow", Action: "logs:PutLogEvents", Resource: `arn:aws:logs:eu-central-1:${ACCOUNT}:log-group:va:log-stream:*` },
          { Effect: "Deny", Action: "*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } },
        ],
      }),
      "dev",
    );
  });

  it("a trust for anyone of the organisation, and a GitHub trust naming the repository and environment", async () => {
    await expectClean(trust({ Principal: "*", Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc123" } } }), "dev");
    await expectClean(
      trust({ Principal: { Federated: GITHUB }, Action: "sts:AssumeRoleWithWebIdentity", Condition: { StringEquals: { "token.actions.githubusercontent.com:sub": "repo:acme/virtual-agent:environment:prod" } } }),
      "dev",
    );
  });

  it("takes more actions on *, AWS managed policies and trusted accounts from the stack's policy config", async () => {
    await expectClean(taskPolicy(allow("sts:GetCallerIdentity", "*")), "dev", { [LEAST]: { allowedOnEveryResource: ["ecr:GetAuthorizationToken", "sts:GetCallerIdentity"] } });
    await expectClean(attach("aws:iam/rolePolicyAttachment:RolePolicyAttachment", { policyArn: "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy" }), "dev", {
      [MANAGED]: { allowedManagedPolicies: ["service-role/AmazonECSTaskExecutionRolePolicy"] },
    });
    await expectClean(trust({ Principal: { AWS: "arn:aws:iam::999988887777:root" }, Action: "sts:AssumeRole" }), "dev", { [PRINCIPALS]: { trustedAccounts: ["999988887777"] } });
  });

  it("a policy made advisory (or turned off) in the stack's config reports at that level (or not at all)", async () => {
    const advisory = await expectCaught(taskPolicy(allow("*", "*")), "dev", LEAST, /every action/, { [LEAST]: "advisory" });
    expect(new Set(advisory.map((v) => v.level))).toEqual(new Set(["advisory"]));
    await expectClean(taskPolicy(allow("*", "*")), "dev", { [LEAST]: { enforcementLevel: "disabled" } });
  });
});

describe("reading documents", () => {
  it("accepts text or objects, one statement or a list, strings or lists, and flattens conditions", () => {
    const text = parsePolicyDocument(JSON.stringify({ Statement: { Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*", Condition: { NumericLessThan: { "s3:max-keys": 10 } } } }));
    expect(text).toEqual({
      ok: true,
      statements: [{ position: 1, effect: "Allow", action: ["s3:GetObject"], resource: ["arn:aws:s3:::b/*"], conditions: [{ operator: "NumericLessThan", key: "s3:max-keys", values: ["10"] }] }],
    });
    expect(parsePolicyDocument({ Statement: [{ Effect: "Allow", Principal: "*", Action: ["sts:AssumeRole"] }] })).toMatchObject({ ok: true, statements: [{ principal: { AWS: ["*"] } }] });
  });

  it("refuses what IAM would refuse, saying what is wrong", () => {
    expect(parsePolicyDocument(42)).toEqual({ ok: false, problem: "is not a JSON object" });
    expect(parsePolicyDocument({ Version: "2012-10-17" })).toEqual({ ok: false, problem: "has no Statement" });
    expect(parsePolicyDocument({ Statement: [{ Effect: "allow", Action: "s3:*" }] })).toEqual({ ok: false, problem: 'statement 1: Effect must be "Allow" or "Deny"' });
    expect(parsePolicyDocument({ Statement: [{ Effect: "Allow", Action: [] }] })).toEqual({ ok: false, problem: "statement 1: Action must be a string or a list of strings" });
    expect(parsePolicyDocument({ Statement: [{ Effect: "Allow", Action: "s3:*", Principal: { Robot: "x" } }] })).toEqual({ ok: false, problem: "statement 1: Principal has an unknown principal type Robot" });
    expect(parsePolicyDocument("x".repeat(200_000))).toMatchObject({ ok: false, problem: expect.stringMatching(/far beyond what IAM accepts/) });
  });

  it("judges resource patterns by what they name", () => {
    expect(resourceBreadth("*")).toBe("every resource");
    expect(resourceBreadth(`arn:aws:dynamodb:eu-central-1:${ACCOUNT}:table/*`)).toBe("every dynamodb table");
    expect(resourceBreadth(`arn:aws:dynamodb:eu-central-1:${ACCOUNT}:table/va/index/*`)).toBeUndefined();
    expect(resourceBreadth(`arn:aws:secretsmanager:eu-central-1:${ACCOUNT}:secret:*`)).toBe("every secretsmanager secret");
    expect(resourceBreadth(`arn:aws:secretsmanager:eu-central-1:${ACCOUNT}:secret:va-*`)).toBeUndefined();
    expect(resourceBreadth("arn:aws:s3:::*")).toBe("every bucket");
    expect(resourceBreadth("arn:aws:s3:::va-logs/*")).toBeUndefined();
    expect(resourceBreadth(`arn:aws:sns:eu-central-1:${ACCOUNT}:*`)).toBe("every sns resource");
    expect(resourceBreadth("arn:aws:dynamodb:eu-central-1:*:table/va")).toBe("resources of every account");
  });

  it("matches action patterns against the catalogue, case-insensitively", async () => {
    expect(matchesPattern("GenerateDataKey*", "generatedatakeywithoutplaintext")).toBe(true);
    expect(matchesPattern("Get?tem", "GetItem")).toBe(true);
    expect(matchesPattern("*Item", "GetItems")).toBe(false);
    expect((await expandAction("kms:GenerateDataKey*")).actions).toEqual(expect.arrayContaining(["kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext"]));
    expect(await expandAction("*")).toMatchObject({ everything: true });
    expect(await expandAction("DynamoDB:*")).toMatchObject({ service: "dynamodb", serviceWide: true });
    expect(await expandAction("nosuchservice:Get*")).toMatchObject({ actions: [] });
  });

  it("takes a condition as limiting only when it must hold and names something", () => {
    const c = (operator: string, value: string) => [{ operator, key: "aws:PrincipalOrgID", values: [value] }];
    expect(limitsBy(c("StringEquals", "o-1"), ["aws:principalorgid"])).toBe(true);
    expect(limitsBy(c("ForAnyValue:StringLike", "o-1*"), ["aws:principalorgid"])).toBe(true);
    expect(limitsBy(c("StringEqualsIfExists", "o-1"), ["aws:principalorgid"])).toBe(false);
    expect(limitsBy(c("ForAllValues:StringEquals", "o-1"), ["aws:principalorgid"])).toBe(false);
    expect(limitsBy(c("StringNotEquals", "o-1"), ["aws:principalorgid"])).toBe(false);
    expect(limitsBy(c("StringLike", "*"), ["aws:principalorgid"])).toBe(false);
  });

  it("allows on * by default exactly the actions AWS defines on nothing narrower that the service calls", async () => {
    for (const action of DEFAULT_ALLOWED_ON_EVERY_RESOURCE) expect([action, await onlyOnEveryResource(action)]).toEqual([action, true]);
    // The session store's and the image pull's actions all take a resource: none of them may stand on *.
    for (const action of ["dynamodb:GetItem", "dynamodb:PutItem", "ecr:BatchGetImage", "secretsmanager:GetSecretValue", "logs:PutLogEvents"]) {
      expect([action, await onlyOnEveryResource(action)]).toEqual([action, false]);
    }
  });
});
