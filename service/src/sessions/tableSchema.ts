/**
 * The DynamoDB session table, defined once. The service's store reads and writes items of this shape,
 * the Pulumi `SessionTable` component creates the table from it, the task role is granted exactly
 * `SESSION_STORE_ACTIONS` on it, and `npm run session-table:create` creates it for local runs and tests.
 *
 * This module has no imports on purpose: the Pulumi program loads it without loading the AWS SDK, and
 * the service must never import from outside `service/`, so the shared definition lives here.
 *
 * One item per bot session:
 *   sessionId (S, partition key)  the Bot Connector `botSessionId`
 *   version   (N)                 incremented by every write; the conditional write compares it
 *   state     (S)                 the SessionState as JSON text
 *   turnIds   (L of S, optional)  ids of the last turns saved (exactly-once outcomes)
 *   lastAnswer (S, optional)      the answer sent for the last of them, as the JSON text sent
 *   limitsLogged (SS, optional)   session limits already logged for this session
 *   expiresAt (N)                 epoch seconds; DynamoDB's TTL deletes the item some time after it,
 *                                 and the store treats an item past it as absent (TTL deletion lags)
 *   updatedAt (N)                 epoch milliseconds of the last write, for diagnostics
 */
export const SESSION_TABLE = {
  partitionKey: "sessionId",
  partitionKeyType: "S",
  versionAttribute: "version",
  stateAttribute: "state",
  turnIdsAttribute: "turnIds",
  lastAnswerAttribute: "lastAnswer",
  limitsLoggedAttribute: "limitsLogged",
  ttlAttribute: "expiresAt",
  updatedAtAttribute: "updatedAt",
  /** Tables are billed per request: session traffic follows conversations, not a provisioned rate. */
  billingMode: "PAY_PER_REQUEST",
} as const;

/**
 * The DynamoDB actions the store calls, and so all the task role may do on the table: one strongly
 * consistent GetItem and one conditional PutItem per turn, DeleteItem when a session is dropped, and
 * GetItem again for the readiness probe (so no DescribeTable permission is needed).
 */
export const SESSION_STORE_ACTIONS = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"] as const;

/** Key attribute definitions (DynamoDB declares only key attributes up front). */
export const SESSION_TABLE_KEY_ATTRIBUTES = [{ name: SESSION_TABLE.partitionKey, type: SESSION_TABLE.partitionKeyType }] as const;

/** A CreateTable request for the session table, shaped as the AWS SDK v3 `CreateTableCommandInput`. */
export function createSessionTableRequest(tableName: string) {
  return {
    TableName: tableName,
    AttributeDefinitions: SESSION_TABLE_KEY_ATTRIBUTES.map((a) => ({ AttributeName: a.name, AttributeType: a.type })),
    KeySchema: [{ AttributeName: SESSION_TABLE.partitionKey, KeyType: "HASH" as const }],
    BillingMode: SESSION_TABLE.billingMode,
  };
}
