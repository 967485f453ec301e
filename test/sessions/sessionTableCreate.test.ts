/**
 * `npm run session-table:create` (its ensureSessionTable function) and the service's `SESSION_STORE=dynamodb`
 * wiring, configured only through the environment, against dynalite on 127.0.0.1.
 */
import { CreateTableCommand, DescribeTableCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { clientConfigFromEnv, ensureSessionTable } from "../../scripts/session-table-create";
import { loadConfig } from "../../service/src/config";
import { createSessionStore } from "../../service/src/sessions";
import { createSessionTableRequest, SESSION_TABLE } from "../../service/src/sessions/tableSchema";
import { localClient, type Restartable, startDynalite } from "./localDynamo";

let db: Restartable;
let client: DynamoDBClient;

beforeAll(async () => {
  db = await startDynalite();
  client = localClient(db.endpoint);
});

afterAll(async () => {
  client.destroy();
  await db.stop();
});

describe("ensureSessionTable", () => {
  it("creates the table from the shared schema, and accepts it unchanged when run again", async () => {
    const lines: string[] = [];
    expect(await ensureSessionTable(client, "t-create", { log: (l) => lines.push(l) })).toEqual({ created: true, ttl: "unsupported" });
    expect(await ensureSessionTable(client, "t-create")).toEqual({ created: false, ttl: "unsupported" });
    const table = (await client.send(new DescribeTableCommand({ TableName: "t-create" }))).Table;
    expect(table?.TableStatus).toBe("ACTIVE");
    expect(table?.KeySchema).toEqual([{ AttributeName: SESSION_TABLE.partitionKey, KeyType: "HASH" }]);
    expect(table?.BillingModeSummary?.BillingMode).toBe("PAY_PER_REQUEST");
    // dynalite has no UpdateTimeToLive: said plainly instead of failing.
    expect(lines.join("\n")).toMatch(/no TTL API/);
  });

  it("refuses a table of the same name with another key", async () => {
    await client.send(
      new CreateTableCommand({
        ...createSessionTableRequest("t-wrong"),
        AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
        KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
      }),
    );
    await expect(ensureSessionTable(client, "t-wrong")).rejects.toThrow(/different key \(partition key id:S\).*sessionId:S/);
  });

  it("uses placeholder credentials only for a loopback endpoint", () => {
    expect(clientConfigFromEnv({ AWS_ENDPOINT_URL_DYNAMODB: "http://127.0.0.1:4567" }).credentials).toBeDefined();
    expect(clientConfigFromEnv({ AWS_ENDPOINT_URL_DYNAMODB: "http://localhost:4567", AWS_REGION: "eu-west-1" })).toMatchObject({ region: "eu-west-1" });
    expect(clientConfigFromEnv({ AWS_ENDPOINT_URL_DYNAMODB: "https://dynamodb.eu-west-1.amazonaws.com" }).credentials).toBeUndefined();
    expect(clientConfigFromEnv({}).credentials).toBeUndefined();
  });
});

describe("SESSION_STORE=dynamodb", () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it("builds the DynamoDB store from the service configuration and reaches the table named by the AWS SDK's own variables", async () => {
    await ensureSessionTable(client, "t-env");
    Object.assign(process.env, {
      AWS_REGION: "us-east-1",
      AWS_ENDPOINT_URL_DYNAMODB: db.endpoint,
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
    });
    const config = loadConfig({ SESSION_STORE: "dynamodb", SESSION_TABLE: "t-env", VERIFY_TOKEN: "a-verify-token-long-enough" });
    const store = createSessionStore(config);
    try {
      expect(store.kind).toBe("dynamodb");
      await store.ping();
      await store.save("s1", { v: 1, botId: "b", botVersion: "1", genesysConversationId: "c", language: "en-us", params: {}, vars: {}, turns: 1 }, {
        expectedVersion: undefined,
        ttlSeconds: 60,
      });
      expect((await store.load("s1"))?.version).toBe(1);
    } finally {
      await store.close();
    }
  });
});
