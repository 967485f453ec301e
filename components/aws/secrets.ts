import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ENV_NAME, HOSTING_ENVIRONMENT, VERIFY_TOKEN_ENV } from "./containerDefinition";
import { childTags, failOnProblems, Problems } from "./validation";

export const SECRETS_TYPE = "virtual-agent:aws:ServiceSecrets";

export interface ServiceSecretsArgs {
  /**
   * The Bot Connector integration's verify token (several comma-separated during a rotation), e.g. from
   * `config.requireSecret(...)` or the Genesys component's output. Reaches the container as `VERIFY_TOKEN`.
   */
  verifyToken: pulumi.Input<string>;
  /**
   * More secrets for the container, keyed by environment variable name: for instance `GENESYS_CLIENT_ID`
   * and `GENESYS_CLIENT_SECRET`, the OAuth client the service uses for hand-over context. Each becomes
   * its own secret, referenced by ARN from the task definition.
   */
  additional?: Record<string, pulumi.Input<string>>;
  /** Customer managed KMS key ARN for the secrets (default: the AWS managed key `aws/secretsmanager`). */
  kmsKeyArn?: pulumi.Input<string>;
  /** Days a deleted secret can still be restored: 0 (delete at once) or 7 to 30 (default 30). */
  recoveryWindowInDays?: number;
  tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

export function validateServiceSecretsArgs(args: ServiceSecretsArgs, problems = new Problems()): Problems {
  for (const envName of Object.keys(args.additional ?? {})) {
    if (!ENV_NAME.test(envName)) problems.add(`additional.${envName}`, "is not a valid environment variable name");
    else if (envName === VERIFY_TOKEN_ENV) problems.add(`additional.${envName}`, "is the verify token; pass it as verifyToken");
    else if ((HOSTING_ENVIRONMENT as readonly string[]).includes(envName)) problems.add(`additional.${envName}`, "is set by the hosting and cannot be a secret");
  }
  const window = args.recoveryWindowInDays;
  if (window !== undefined) {
    problems.require(window === 0 || (Number.isInteger(window) && window >= 7 && window <= 30), "recoveryWindowInDays", `must be 0 or 7 to 30, got ${window}`);
  }
  return problems;
}

/** A name-safe label for an environment variable: `GENESYS_CLIENT_SECRET` → `genesys-client-secret`. */
const label = (envName: string) => envName.toLowerCase().replace(/_/g, "-");

/**
 * The service's secrets in Secrets Manager, one per environment variable. Values come in as Pulumi
 * secrets (and are wrapped as such if they were not), so they stay encrypted in the state; the task
 * definition only ever sees the ARNs (`arns`), which the execution role may read and nothing else may.
 */
export class ServiceSecrets extends pulumi.ComponentResource {
  /** Environment variable name → secret ARN, for the container's `secrets` (`valueFrom`). */
  readonly arns: Record<string, pulumi.Output<string>>;
  readonly verifyTokenSecretArn: pulumi.Output<string>;
  readonly kmsKeyArn: pulumi.Output<string> | undefined;

  constructor(name: string, args: ServiceSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
    failOnProblems(SECRETS_TYPE, name, validateServiceSecretsArgs(args));
    super(SECRETS_TYPE, name, {}, opts);
    const values: Record<string, pulumi.Input<string>> = { [VERIFY_TOKEN_ENV]: args.verifyToken, ...(args.additional ?? {}) };
    this.arns = {};
    for (const envName of Object.keys(values).sort()) {
      const secret = new aws.secretsmanager.Secret(
        `${name}-${label(envName)}`,
        {
          description: `${envName} of the Genesys Bot Connector endpoint service (${name})`,
          ...(args.kmsKeyArn ? { kmsKeyId: args.kmsKeyArn } : {}),
          recoveryWindowInDays: args.recoveryWindowInDays ?? 30,
          tags: childTags(args.tags, `${name}-${label(envName)}`),
        },
        { parent: this },
      );
      const version = new aws.secretsmanager.SecretVersion(
        `${name}-${label(envName)}`,
        { secretId: secret.id, secretString: pulumi.secret(values[envName]!) },
        { parent: this },
      );
      // The version's ARN (the secret's) rather than the secret's: whatever uses it waits until a value
      // exists, so no task starts against an empty secret.
      this.arns[envName] = version.arn;
    }
    this.verifyTokenSecretArn = this.arns[VERIFY_TOKEN_ENV]!;
    this.kmsKeyArn = args.kmsKeyArn === undefined ? undefined : pulumi.output(args.kmsKeyArn);
    this.registerOutputs({ arns: this.arns });
  }
}
