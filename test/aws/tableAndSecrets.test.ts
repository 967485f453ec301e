/**
 * The SessionTable and ServiceSecrets components under mocks.
 */
import * as pulumi from "@pulumi/pulumi";
import { ServiceSecrets } from "../../components/aws/secrets";
import { SessionTable } from "../../components/aws/sessionTable";
import { createSessionTableRequest, SESSION_TABLE } from "../../service/src/sessions/tableSchema";
import { VERIFY_TOKEN } from "./fixtures";
import { isSecretInput, type MockCloud, plainInput, promiseOf, setupMocks } from "./mocks";

let cloud: MockCloud;
beforeAll(async () => {
  cloud = await setupMocks();
});

describe("SessionTable", () => {
  it("is on demand, keyed and expired as the store's shared schema says, recoverable, encrypted and protected", async () => {
    const table = await cloud.build(() => new SessionTable("sessions"));
    const inputs = cloud.one("aws:dynamodb/table:Table").inputs;
    expect(inputs).toMatchObject({
      billingMode: "PAY_PER_REQUEST",
      hashKey: SESSION_TABLE.partitionKey,
      attributes: [{ name: SESSION_TABLE.partitionKey, type: "S" }],
      ttl: { attributeName: SESSION_TABLE.ttlAttribute, enabled: true },
      pointInTimeRecovery: { enabled: true, recoveryPeriodInDays: 35 },
      serverSideEncryption: { enabled: true },
      deletionProtectionEnabled: true,
    });
    expect(inputs.rangeKey).toBeUndefined();
    // The same key as `npm run session-table:create` creates locally.
    const local = createSessionTableRequest("x");
    expect(local.KeySchema).toEqual([{ AttributeName: inputs.hashKey, KeyType: "HASH" }]);
    expect(local.AttributeDefinitions).toEqual([{ AttributeName: inputs.attributes[0].name, AttributeType: inputs.attributes[0].type }]);
    expect(local.BillingMode).toBe(inputs.billingMode);
    expect(await promiseOf(table.tableName)).toBe(cloud.one("aws:dynamodb/table:Table").state.name);
    expect(table.kmsKeyArn).toBeUndefined();
  });

  it("takes a customer managed key, a recovery period and no deletion protection for throwaway stacks", async () => {
    const key = "arn:aws:kms:eu-west-1:123456789012:key/table";
    const table = await cloud.build(() => new SessionTable("sessions-cmk", { kmsKeyArn: key, deletionProtection: false, pointInTimeRecoveryDays: 7 }));
    expect(cloud.one("aws:dynamodb/table:Table").inputs).toMatchObject({
      serverSideEncryption: { enabled: true, kmsKeyArn: key },
      deletionProtectionEnabled: false,
      pointInTimeRecovery: { enabled: true, recoveryPeriodInDays: 7 },
    });
    expect(await promiseOf(table.kmsKeyArn!)).toBe(key);
  });

  it("refuses a recovery period DynamoDB does not offer", () => {
    expect(() => new SessionTable("bad", { pointInTimeRecoveryDays: 36 })).toThrow(/pointInTimeRecoveryDays: must be an integer from 1 to 35/);
  });
});

describe("ServiceSecrets", () => {
  it("stores each value in its own secret, as a Pulumi secret even when passed in plain, and hands out version-backed ARNs", async () => {
    const secrets = await cloud.build(
      () =>
        new ServiceSecrets("secrets", {
          verifyToken: pulumi.secret(VERIFY_TOKEN),
          additional: { GENESYS_CLIENT_ID: "client-id", GENESYS_CLIENT_SECRET: "client-secret-passed-plain" },
          kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/s",
          recoveryWindowInDays: 7,
        }),
    );
    const stored = cloud.ofType("aws:secretsmanager/secret:Secret");
    expect(stored.map((s) => s.name).sort()).toEqual(["secrets-genesys-client-id", "secrets-genesys-client-secret", "secrets-verify-token"]);
    for (const s of stored) expect(s.inputs).toMatchObject({ kmsKeyId: "arn:aws:kms:eu-west-1:123456789012:key/s", recoveryWindowInDays: 7 });
    const versions = cloud.ofType("aws:secretsmanager/secretVersion:SecretVersion");
    for (const v of versions) expect(isSecretInput(v.inputs.secretString)).toBe(true);
    const valueOf = (name: string) => plainInput(versions.find((v) => v.name === name)!.inputs.secretString);
    expect(valueOf("secrets-verify-token")).toBe(VERIFY_TOKEN);
    expect(valueOf("secrets-genesys-client-secret")).toBe("client-secret-passed-plain");

    const arns = await promiseOf(pulumi.output(secrets.arns));
    expect(arns).toEqual(Object.fromEntries(stored.map((s) => [s.name === "secrets-verify-token" ? "VERIFY_TOKEN" : s.name.replace("secrets-", "").toUpperCase().replace(/-/g, "_"), s.state.arn])));
    expect(await promiseOf(secrets.verifyTokenSecretArn)).toBe(stored.find((s) => s.name === "secrets-verify-token")!.state.arn);
    // Nothing but the versions carries a value.
    const elsewhere = JSON.stringify(cloud.resources.filter((r) => r.type !== "aws:secretsmanager/secretVersion:SecretVersion").map((r) => r.inputs));
    expect(elsewhere).not.toContain(VERIFY_TOKEN);
    expect(elsewhere).not.toContain("client-secret-passed-plain");
  });

  it.each<[string, object, RegExp]>([
    ["a bad variable name", { additional: { "client-id": "x" } }, /additional.client-id: is not a valid environment variable name/],
    ["the verify token twice", { additional: { VERIFY_TOKEN: "x" } }, /pass it as verifyToken/],
    ["a hosting variable", { additional: { SESSION_TABLE: "x" } }, /is set by the hosting/],
    ["a recovery window Secrets Manager does not offer", { recoveryWindowInDays: 3 }, /recoveryWindowInDays: must be 0 or 7 to 30/],
  ])("refuses %s", (_, extra, message) => {
    expect(() => new ServiceSecrets("bad", { verifyToken: "x", ...extra })).toThrow(message);
  });
});
