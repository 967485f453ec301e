/**
 * IAM policy documents for the service's two roles, as pure functions of known ARNs so that tests
 * and policies can read them. Every statement names exact resources; the one `*` is
 * `ecr:GetAuthorizationToken`, which AWS defines only on `*`.
 */
import { SESSION_STORE_ACTIONS } from "../../service/src/sessions/tableSchema";

export interface PolicyStatement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Action: string | string[];
  Resource?: string | string[];
  Principal?: Record<string, string | string[]>;
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: PolicyStatement[];
}

/** Trust for ECS tasks, limited to tasks of this account (confused-deputy protection). */
export function ecsTasksTrustPolicy(accountId: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: "ecs-tasks.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": accountId } },
      },
    ],
  };
}

export interface ExecutionPolicyInput {
  region: string;
  repositoryArn: string;
  logGroupArn: string;
  /** Secrets Manager ARNs the container receives through `valueFrom`. */
  secretArns: string[];
  /** The KMS key encrypting those secrets, when it is a customer managed key. */
  secretsKmsKeyArn?: string | undefined;
}

/**
 * What ECS needs to start the task, instead of the managed AmazonECSTaskExecutionRolePolicy (which
 * allows pulling any image and writing any log group): pull this one repository, write this one log
 * group, read these secrets.
 */
export function executionRolePolicy(input: ExecutionPolicyInput): PolicyDocument {
  const statements: PolicyStatement[] = [
    { Sid: "EcrAuthorization", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
    {
      Sid: "PullServiceImage",
      Effect: "Allow",
      Action: ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"],
      Resource: input.repositoryArn,
    },
    {
      Sid: "WriteServiceLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: [input.logGroupArn, `${input.logGroupArn}:log-stream:*`],
    },
  ];
  if (input.secretArns.length > 0) {
    statements.push({ Sid: "ReadServiceSecrets", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: [...input.secretArns].sort() });
  }
  if (input.secretsKmsKeyArn) {
    statements.push({
      Sid: "DecryptServiceSecrets",
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: input.secretsKmsKeyArn,
      Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${input.region}.amazonaws.com` } },
    });
  }
  return { Version: "2012-10-17", Statement: statements };
}

export interface TaskPolicyInput {
  region: string;
  tableArn: string;
  /** The table's customer managed KMS key, when it has one. */
  tableKmsKeyArn?: string | undefined;
}

/** What the running service may do: the session store's item calls on its own table, nothing else. */
export function taskRolePolicy(input: TaskPolicyInput): PolicyDocument {
  const statements: PolicyStatement[] = [{ Sid: "SessionTableItems", Effect: "Allow", Action: [...SESSION_STORE_ACTIONS], Resource: input.tableArn }];
  if (input.tableKmsKeyArn) {
    statements.push({
      Sid: "SessionTableKey",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*", "kms:DescribeKey"],
      Resource: input.tableKmsKeyArn,
      Condition: { StringEquals: { "kms:ViaService": `dynamodb.${input.region}.amazonaws.com` } },
    });
  }
  return { Version: "2012-10-17", Statement: statements };
}
