import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  type DynamoDBClientConfig,
  GetItemCommand,
  PutItemCommand,
} from "@aws-sdk/client-dynamodb";
import { type SessionState } from "../engine/state";
import {
  DEFAULT_SESSION_MAX_BYTES,
  encodeSession,
  MAX_RECORD_BYTES,
  type SaveOptions,
  SessionConflictError,
  type SessionMeta,
  type SessionStore,
  SessionStoreUnavailableError,
  type StoredSession,
} from "./store";
import { SESSION_TABLE } from "./tableSchema";

export interface DynamoSessionStoreOptions {
  /** The session table (`SESSION_TABLE`). */
  tableName: string;
  /** The turn budget (`TURN_BUDGET_MS`): per-attempt timeouts and retries are sized to fit inside it. */
  turnBudgetMs: number;
  /**
   * Extra AWS SDK client settings, mostly for tests (endpoint, credentials). Without them the SDK reads
   * `AWS_REGION`, `AWS_ENDPOINT_URL_DYNAMODB` and the ECS task role's credentials itself.
   */
  clientConfig?: DynamoDBClientConfig;
  now?: () => number;
  /** Largest serialised session (state and meta) written, in bytes (`SESSION_MAX_BYTES`, default 100 KiB). */
  maxSessionBytes?: number;
}

export interface SdkTimeouts {
  maxAttempts: number;
  connectionTimeoutMs: number;
  requestTimeoutMs: number;
}

/** Longest total back-off the SDK's standard retry strategy waits over three attempts (100 ms base, doubling, jittered). */
const RETRY_BACKOFF_CEILING_MS = 600;
const MAX_ATTEMPTS = 3;

/**
 * Timeouts and retries for one store call, sized so that a turn's two calls (load and save), each with
 * every attempt and its back-off, fit inside the turn budget: 2 × (3 × attempt timeout + back-off).
 * DynamoDB answers in milliseconds, so even the smallest attempt timeout (100 ms) is generous. Below a
 * budget of about 2 s, and for throttling (whose back-off starts at 500 ms), the turn's AbortSignal is
 * what bounds the wait.
 */
export function sdkTimeouts(turnBudgetMs: number): SdkTimeouts {
  if (!Number.isFinite(turnBudgetMs) || turnBudgetMs <= 0) throw new Error(`turnBudgetMs must be a positive number, got ${turnBudgetMs}`);
  const perAttempt = Math.floor((turnBudgetMs - 2 * RETRY_BACKOFF_CEILING_MS) / (2 * MAX_ATTEMPTS));
  const requestTimeoutMs = Math.min(3000, Math.max(100, perAttempt));
  return { maxAttempts: MAX_ATTEMPTS, connectionTimeoutMs: Math.min(requestTimeoutMs, 1000), requestTimeoutMs };
}

const READINESS_KEY = "__readyz__";
const K = SESSION_TABLE;
const NAMES = { "#pk": K.partitionKey, "#ver": K.versionAttribute, "#state": K.stateAttribute, "#exp": K.ttlAttribute };
const READ_NAMES = {
  "#ver": K.versionAttribute,
  "#state": K.stateAttribute,
  "#exp": K.ttlAttribute,
  "#ids": K.turnIdsAttribute,
  "#answer": K.lastAnswerAttribute,
  "#limits": K.limitsLoggedAttribute,
};

/**
 * Sessions in a DynamoDB table (`SESSION_STORE=dynamodb`). Per turn: one strongly consistent GetItem
 * and one PutItem conditioned on the version read, so two instances answering turns of the same
 * session can never silently overwrite each other: the later write fails with SessionConflictError.
 * Anything else that goes wrong (unreachable, throttled past the retries, out of budget) is a
 * SessionStoreUnavailableError, so the turn fails cleanly instead of hanging.
 */
export class DynamoSessionStore implements SessionStore {
  readonly kind = "dynamodb";
  private readonly client: DynamoDBClient;
  private readonly tableName: string;
  private readonly now: () => number;
  private readonly maxSessionBytes: number;

  constructor(options: DynamoSessionStoreOptions) {
    if (!options.tableName?.trim()) throw new Error("the DynamoDB session store needs a table name (SESSION_TABLE)");
    this.tableName = options.tableName.trim();
    this.maxSessionBytes = options.maxSessionBytes ?? DEFAULT_SESSION_MAX_BYTES;
    if (!(this.maxSessionBytes > 0 && this.maxSessionBytes <= MAX_RECORD_BYTES)) {
      throw new Error(`maxSessionBytes must be from 1 to ${MAX_RECORD_BYTES} (DynamoDB items hold at most 400 KB), got ${this.maxSessionBytes}`);
    }
    this.now = options.now ?? Date.now;
    const timeouts = sdkTimeouts(options.turnBudgetMs);
    this.client = new DynamoDBClient({
      maxAttempts: timeouts.maxAttempts,
      retryMode: "standard",
      requestHandler: {
        connectionTimeout: timeouts.connectionTimeoutMs,
        requestTimeout: timeouts.requestTimeoutMs,
        throwOnRequestTimeout: true,
      },
      ...options.clientConfig,
    });
  }

  async load(sessionId: string, signal?: AbortSignal): Promise<StoredSession | undefined> {
    const out = await this.call("read the session", signal, (abortSignal) =>
      this.client.send(
        new GetItemCommand({
          TableName: this.tableName,
          Key: key(sessionId),
          ConsistentRead: true,
          ProjectionExpression: Object.keys(READ_NAMES).join(", "),
          ExpressionAttributeNames: READ_NAMES,
        }),
        { abortSignal },
      ),
    );
    const item = out.Item;
    if (!item) return undefined;
    const expiresAt = numberOf(item[K.ttlAttribute]);
    // DynamoDB deletes expired items only eventually (typically within days), so expiry is checked here.
    if (expiresAt !== undefined && expiresAt <= this.nowSeconds()) return undefined;
    const version = numberOf(item[K.versionAttribute]);
    const json = item[K.stateAttribute]?.S;
    if (version === undefined || json === undefined) throw new SessionStoreUnavailableError("the stored session record is incomplete");
    try {
      const stored: StoredSession = { state: JSON.parse(json) as SessionState, version };
      const meta = metaOf(item);
      if (meta) stored.meta = meta;
      return stored;
    } catch (error) {
      throw new SessionStoreUnavailableError("the stored session record is not valid JSON", { cause: error });
    }
  }

  async save(sessionId: string, state: SessionState, options: SaveOptions): Promise<number> {
    if (!Number.isFinite(options.ttlSeconds) || options.ttlSeconds <= 0) {
      throw new RangeError(`ttlSeconds must be a positive number, got ${options.ttlSeconds}`);
    }
    const stateJson = encodeSession(state, options.meta, this.maxSessionBytes);
    const nowMs = this.now();
    const nowSeconds = Math.floor(nowMs / 1000);
    const version = (options.expectedVersion ?? 0) + 1;
    const isNew = options.expectedVersion === undefined;
    const item: Record<string, AttributeValue> = {
      ...key(sessionId),
      [K.versionAttribute]: { N: String(version) },
      [K.stateAttribute]: { S: stateJson },
      [K.ttlAttribute]: { N: String(nowSeconds + Math.ceil(options.ttlSeconds)) },
      [K.updatedAtAttribute]: { N: String(nowMs) },
    };
    const meta = options.meta;
    if (meta?.turnIds?.length) item[K.turnIdsAttribute] = { L: meta.turnIds.map((id) => ({ S: id })) };
    if (meta?.lastAnswer !== undefined) item[K.lastAnswerAttribute] = { S: meta.lastAnswer };
    if (meta?.limitsLogged?.length) item[K.limitsLoggedAttribute] = { SS: [...new Set(meta.limitsLogged)] };
    try {
      await this.call("write the session", options.signal, (abortSignal) =>
        this.client.send(
          new PutItemCommand({
            TableName: this.tableName,
            Item: item,
            // A new session may replace only an item that is absent or already expired (not yet swept by TTL).
            ConditionExpression: isNew ? "attribute_not_exists(#pk) OR #exp <= :now" : "#ver = :expected",
            ExpressionAttributeNames: isNew ? { "#pk": NAMES["#pk"], "#exp": NAMES["#exp"] } : { "#ver": NAMES["#ver"] },
            ExpressionAttributeValues: isNew ? { ":now": { N: String(nowSeconds) } } : { ":expected": { N: String(options.expectedVersion) } },
          }),
          { abortSignal },
        ),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new SessionConflictError(sessionId);
      throw error;
    }
    return version;
  }

  async delete(sessionId: string, signal?: AbortSignal): Promise<void> {
    await this.call("delete the session", signal, (abortSignal) =>
      this.client.send(new DeleteItemCommand({ TableName: this.tableName, Key: key(sessionId) }), { abortSignal }),
    );
  }

  /** Reads a reserved key: proves the table exists and the task role may read it, with no extra permission. */
  async ping(signal?: AbortSignal): Promise<void> {
    await this.call("reach the session table", signal, (abortSignal) =>
      this.client.send(new GetItemCommand({ TableName: this.tableName, Key: key(READINESS_KEY) }), { abortSignal }),
    );
  }

  async close(): Promise<void> {
    this.client.destroy();
  }

  private nowSeconds(): number {
    return Math.floor(this.now() / 1000);
  }

  /**
   * Runs one SDK call, cancelled by the caller's signal. The signal also ends the wait at once, even
   * while the SDK sits in a retry back-off, so a turn never outlives its budget because of the store.
   */
  private async call<T>(what: string, signal: AbortSignal | undefined, send: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (signal?.aborted) throw new SessionStoreUnavailableError(`could not ${what}: the turn budget ran out first`, { cause: signal.reason });
    const controller = new AbortController();
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => {
        controller.abort(signal?.reason);
        reject(new SessionStoreUnavailableError(`could not ${what}: the turn budget ran out first`, { cause: signal?.reason }));
      };
      signal?.addEventListener("abort", onAbort, { once: true });
    });
    try {
      return await Promise.race([send(controller.signal), aborted]);
    } catch (error) {
      // A failed condition is an answer, not an outage: save() turns it into a SessionConflictError.
      if (error instanceof SessionStoreUnavailableError || error instanceof ConditionalCheckFailedException) throw error;
      const name = error instanceof Error ? error.name : "Error";
      const detail = error instanceof Error && error.message ? `${name}: ${error.message}` : name;
      throw new SessionStoreUnavailableError(`could not ${what} in DynamoDB table "${this.tableName}" (${detail})`, { cause: error });
    } finally {
      if (onAbort) signal?.removeEventListener("abort", onAbort);
    }
  }
}

function key(sessionId: string): Record<string, AttributeValue> {
  return { [K.partitionKey]: { S: sessionId } };
}

function metaOf(item: Record<string, AttributeValue>): SessionMeta | undefined {
  const ids = item[K.turnIdsAttribute]?.L?.map((v) => v.S).filter((id): id is string => id !== undefined);
  const answer = item[K.lastAnswerAttribute]?.S;
  const limits = item[K.limitsLoggedAttribute]?.SS;
  if (!ids && answer === undefined && !limits) return undefined;
  return { ...(ids ? { turnIds: ids } : {}), ...(answer !== undefined ? { lastAnswer: answer } : {}), ...(limits ? { limitsLogged: limits } : {}) };
}

function numberOf(value: AttributeValue | undefined): number | undefined {
  if (value?.N === undefined) return undefined;
  const n = Number(value.N);
  return Number.isFinite(n) ? n : undefined;
}
