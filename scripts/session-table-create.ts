/**
 * `npm run session-table:create`: creates the DynamoDB session table at the configured endpoint, for
 * local runs and tests (in AWS the Pulumi SessionTable component owns the table). Idempotent: an
 * existing table with the right key is accepted, and TTL is switched on when it is not.
 *
 * Environment: SESSION_TABLE (required), AWS_ENDPOINT_URL_DYNAMODB (e.g. http://127.0.0.1:4567 for
 * dynalite), AWS_REGION (default us-east-1). Against a loopback endpoint without AWS credentials in the
 * environment, placeholder credentials are used, as local DynamoDB-compatible servers accept any.
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  type DynamoDBClientConfig,
  ResourceInUseException,
  ResourceNotFoundException,
  type TableDescription,
  UpdateTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";
import { createSessionTableRequest, SESSION_TABLE } from "../service/src/sessions/tableSchema";

export interface EnsureResult {
  created: boolean;
  /** `unsupported`: the endpoint has no TTL API (dynalite); the store still ignores expired items. */
  ttl: "enabled" | "already-enabled" | "unsupported";
}

export interface EnsureOptions {
  log?: (line: string) => void;
  /** How long to wait for the table to become ACTIVE (default 60 s). */
  timeoutMs?: number;
}

/** Creates the session table (from the shared schema) unless it exists, waits until it is ACTIVE and enables TTL. */
export async function ensureSessionTable(client: DynamoDBClient, tableName: string, options: EnsureOptions = {}): Promise<EnsureResult> {
  const log = options.log ?? (() => {});
  let created = false;
  let table = await describe(client, tableName);
  if (!table) {
    try {
      await client.send(new CreateTableCommand(createSessionTableRequest(tableName)));
      created = true;
      log(`created table ${tableName}`);
    } catch (error) {
      // Another process created it between the describe and the create: accept theirs below.
      if (!(error instanceof ResourceInUseException)) throw error;
    }
  } else {
    log(`table ${tableName} exists`);
  }
  table = await waitUntilActive(client, tableName, options.timeoutMs ?? 60_000);
  checkKeySchema(table);
  return { created, ttl: await enableTtl(client, tableName, log) };
}

async function describe(client: DynamoDBClient, tableName: string): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

async function waitUntilActive(client: DynamoDBClient, tableName: string, timeoutMs: number): Promise<TableDescription> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const table = await describe(client, tableName);
    if (table?.TableStatus === "ACTIVE") return table;
    if (Date.now() > deadline) throw new Error(`table ${tableName} is not ACTIVE after ${timeoutMs} ms (status ${table?.TableStatus ?? "missing"})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function checkKeySchema(table: TableDescription): void {
  const hash = table.KeySchema?.find((k) => k.KeyType === "HASH")?.AttributeName;
  const range = table.KeySchema?.find((k) => k.KeyType === "RANGE")?.AttributeName;
  const type = table.AttributeDefinitions?.find((a) => a.AttributeName === hash)?.AttributeType;
  if (hash !== SESSION_TABLE.partitionKey || type !== SESSION_TABLE.partitionKeyType || range !== undefined) {
    throw new Error(
      `table ${table.TableName} exists with a different key (partition key ${hash}:${type}${range ? `, sort key ${range}` : ""}); ` +
        `the session store needs partition key ${SESSION_TABLE.partitionKey}:${SESSION_TABLE.partitionKeyType} and no sort key`,
    );
  }
}

async function enableTtl(client: DynamoDBClient, tableName: string, log: (line: string) => void): Promise<EnsureResult["ttl"]> {
  const attribute = SESSION_TABLE.ttlAttribute;
  const current = (await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }))).TimeToLiveDescription;
  if ((current?.TimeToLiveStatus === "ENABLED" || current?.TimeToLiveStatus === "ENABLING") && current.AttributeName === attribute) {
    return "already-enabled";
  }
  if (current?.TimeToLiveStatus === "ENABLED" || current?.TimeToLiveStatus === "ENABLING") {
    throw new Error(`table ${tableName} has TTL on attribute ${current.AttributeName}; the session store writes its expiry to ${attribute}`);
  }
  try {
    await client.send(new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: attribute, Enabled: true } }));
    log(`enabled TTL on ${attribute}`);
    return "enabled";
  } catch (error) {
    if (error instanceof Error && error.name === "UnknownOperationException") {
      log(`this endpoint has no TTL API; expired sessions stay until deleted, and the store ignores them when read`);
      return "unsupported";
    }
    throw error;
  }
}

/** Client settings from the environment; placeholder credentials only for a loopback endpoint. */
export function clientConfigFromEnv(env: NodeJS.ProcessEnv): DynamoDBClientConfig {
  const config: DynamoDBClientConfig = { region: env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim() || "us-east-1" };
  const endpoint = env.AWS_ENDPOINT_URL_DYNAMODB?.trim() || env.AWS_ENDPOINT_URL?.trim();
  if (endpoint && isLoopback(endpoint) && !env.AWS_ACCESS_KEY_ID && !env.AWS_PROFILE) {
    config.credentials = { accessKeyId: "local", secretAccessKey: "local" };
  }
  return config;
}

function isLoopback(endpoint: string): boolean {
  try {
    const host = new URL(endpoint).hostname;
    return host === "localhost" || host === "[::1]" || host.startsWith("127.");
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  const tableName = process.env.SESSION_TABLE?.trim();
  if (!tableName) throw new Error("SESSION_TABLE is not set: name the session table to create (e.g. SESSION_TABLE=sessions)");
  const config = clientConfigFromEnv(process.env);
  const client = new DynamoDBClient(config);
  try {
    const where = process.env.AWS_ENDPOINT_URL_DYNAMODB ?? process.env.AWS_ENDPOINT_URL ?? `AWS ${String(config.region)}`;
    const result = await ensureSessionTable(client, tableName, { log: (line) => process.stderr.write(`${line}\n`) });
    process.stdout.write(`${JSON.stringify({ table: tableName, endpoint: where, ...result })}\n`);
  } finally {
    client.destroy();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`session-table:create: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
