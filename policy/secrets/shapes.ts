/**
 * Two credential shapes secretlint's recommended rules do not cover, found by structure rather than by a pattern
 * list, each in one pass over the text:
 *
 * - JSON Web Tokens: three base64url segments joined by dots whose first segment decodes to a JSON header with
 *   `alg` (an id token, an API bearer token, a Genesys or Okta access token);
 * - HTTP `Authorization` credentials: `Bearer <token>` or `Basic <base64 of user:password>`.
 */

/** Base64url characters plus the dots that join a token's segments. */
const TOKEN_RUN = /[A-Za-z0-9_\-.]+/g;
/** A JWT header is short; decoding more would only cost time. */
const MAX_HEADER = 2048;

function decodesToJwtHeader(segment: string): boolean {
  if (segment.length > MAX_HEADER || !segment.startsWith("eyJ")) return false;
  try {
    const header: unknown = JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
    return typeof header === "object" && header !== null && typeof (header as { alg?: unknown }).alg === "string";
  } catch {
    return false;
  }
}

/** Offsets of the JSON Web Tokens in the text (signed, three segments, or encrypted, five). */
export function jwtsIn(text: string): number[] {
  const offsets: number[] = [];
  for (const match of text.matchAll(TOKEN_RUN)) {
    const run = match[0];
    if (!run.includes("eyJ")) continue;
    // A run may carry a token inside other dotted text; a token starts where a segment starts with eyJ.
    const parts = run.split(".");
    let position = match.index;
    for (let i = 0; i < parts.length; i++) {
      const rest = parts.length - i;
      if (rest >= 3 && decodesToJwtHeader(parts[i]!) && parts[i + 1]!.length > 0) {
        offsets.push(position);
        break;
      }
      position += parts[i]!.length + 1;
    }
  }
  return offsets;
}

/** `Bearer <token>` (a token of 16 characters or more) or `Basic <base64 user:password>`. */
const AUTHORIZATION = /\b(Bearer|Basic)[ \t]+([A-Za-z0-9\-._~+/]+=*)/gi;

export function authorizationCredentialsIn(text: string): Array<{ offset: number; scheme: string }> {
  const found: Array<{ offset: number; scheme: string }> = [];
  for (const match of text.matchAll(AUTHORIZATION)) {
    const scheme = match[1]!.toLowerCase() === "bearer" ? "Bearer" : "Basic";
    const credential = match[2]!;
    if (scheme === "Bearer" ? credential.length >= 16 : decodesToUserPassword(credential)) found.push({ offset: match.index, scheme });
  }
  return found;
}

function decodesToUserPassword(credential: string): boolean {
  if (credential.length < 8 || credential.length > 4096) return false;
  const decoded = Buffer.from(credential, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon > 0 && colon < decoded.length - 1 && /^[\x20-\x7e]+$/.test(decoded);
}
