/**
 * The body Genesys Cloud sends with an error status (the Platform API's `ErrorBody`). Every field is
 * optional because gateways and the login host answer with other shapes.
 */
export interface GenesysErrorBody {
  message?: string;
  code?: string;
  status?: number;
  messageWithParams?: string;
  messageParams?: Record<string, string>;
  contextId?: string;
  details?: Array<{ errorCode?: string; fieldName?: string; entityId?: string; entityName?: string }>;
  errors?: GenesysErrorBody[];
  /** The login host's OAuth error fields. */
  error?: string;
  description?: string;
  error_description?: string;
}

/**
 * A Platform API call answered with an error status. The message names the call, the status and what
 * Genesys said; it never contains request headers or bodies, so no token or secret can leak through it.
 */
export class GenesysApiError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly body: GenesysErrorBody | undefined,
    /** Genesys's correlation id for support cases (`inin-correlation-id`). */
    readonly correlationId: string | undefined,
    /** The Retry-After header of a 429 or 5xx, for a caller that retries on its own schedule. */
    readonly retryAfter?: string,
  ) {
    super(`${method} ${path} failed with ${status}${describeBody(body)}`);
    this.name = "GenesysApiError";
  }

  /** Genesys's error code (`bad.request`, `not.found`, `missing.permissions`, ...), when it sent one. */
  get code(): string | undefined {
    return this.body?.code ?? this.body?.error;
  }
}

/** The client credentials were refused by the login host (wrong id or secret, inactive client, wrong region). */
export class GenesysAuthError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
  ) {
    super(message);
    this.name = "GenesysAuthError";
  }
}

/** The host could not be reached or did not answer in time, after every retry. */
export class GenesysNetworkError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "GenesysNetworkError";
  }
}

function describeBody(body: GenesysErrorBody | undefined): string {
  if (!body) return "";
  const code = body.code ?? body.error;
  const text = body.messageWithParams ?? body.message ?? body.error_description ?? body.description;
  const parts = [code, text].filter((p): p is string => typeof p === "string" && p !== "");
  const context = body.contextId ? ` (contextId ${body.contextId})` : "";
  return parts.length > 0 ? `: ${parts.join(": ")}${context}` : context;
}

/** Every human-readable text in an error body, nested errors included (used to find which item was rejected). */
export function errorTexts(body: GenesysErrorBody | undefined): string[] {
  if (!body) return [];
  const own = [body.messageWithParams, body.message, body.error_description, body.description];
  for (const d of body.details ?? []) own.push(d.fieldName, d.errorCode);
  return [...own.filter((t): t is string => typeof t === "string" && t !== ""), ...(body.errors ?? []).flatMap(errorTexts)];
}
