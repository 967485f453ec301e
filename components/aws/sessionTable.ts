import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { SESSION_TABLE, SESSION_TABLE_KEY_ATTRIBUTES } from "../../service/src/sessions/tableSchema";
import { checkInteger, childTags, failOnProblems, Problems } from "./validation";

export const SESSION_TABLE_TYPE = "virtual-agent:aws:SessionTable";

export interface SessionTableArgs {
  /** Customer managed KMS key ARN for encryption at rest (default: the AWS managed key `aws/dynamodb`). */
  kmsKeyArn?: pulumi.Input<string>;
  /** Refuse to delete the table, even on `pulumi destroy` (default true; turn off for throwaway stacks). */
  deletionProtection?: boolean;
  /** Days of point-in-time recovery, 1 to 35 (default 35). */
  pointInTimeRecoveryDays?: number;
  tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

export function validateSessionTableArgs(args: SessionTableArgs, problems = new Problems()): Problems {
  checkInteger(problems, "pointInTimeRecoveryDays", args.pointInTimeRecoveryDays, 1, 35);
  return problems;
}

/**
 * The DynamoDB table of bot sessions, shaped by the service's shared schema (`tableSchema.ts`): on-demand
 * billing, TTL on the expiry attribute the store writes, point-in-time recovery, encryption with a KMS key.
 */
export class SessionTable extends pulumi.ComponentResource {
  readonly table: aws.dynamodb.Table;
  readonly tableName: pulumi.Output<string>;
  readonly tableArn: pulumi.Output<string>;
  /** The customer managed key, when one was given (the task role needs to use it). */
  readonly kmsKeyArn: pulumi.Output<string> | undefined;

  constructor(name: string, args: SessionTableArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    failOnProblems(SESSION_TABLE_TYPE, name, validateSessionTableArgs(args));
    super(SESSION_TABLE_TYPE, name, {}, opts);
    this.table = new aws.dynamodb.Table(
      `${name}-table`,
      {
        billingMode: SESSION_TABLE.billingMode,
        hashKey: SESSION_TABLE.partitionKey,
        attributes: SESSION_TABLE_KEY_ATTRIBUTES.map((a) => ({ name: a.name, type: a.type })),
        ttl: { attributeName: SESSION_TABLE.ttlAttribute, enabled: true },
        pointInTimeRecovery: { enabled: true, recoveryPeriodInDays: args.pointInTimeRecoveryDays ?? 35 },
        // enabled = a KMS key (the AWS managed one unless kmsKeyArn names a customer managed key).
        serverSideEncryption: { enabled: true, ...(args.kmsKeyArn ? { kmsKeyArn: args.kmsKeyArn } : {}) },
        deletionProtectionEnabled: args.deletionProtection ?? true,
        tags: childTags(args.tags),
      },
      { parent: this },
    );
    this.tableName = this.table.name;
    this.tableArn = this.table.arn;
    this.kmsKeyArn = args.kmsKeyArn === undefined ? undefined : pulumi.output(args.kmsKeyArn);
    this.registerOutputs({ tableName: this.tableName, tableArn: this.tableArn });
  }
}
