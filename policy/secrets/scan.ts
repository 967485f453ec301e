/**
 * Looks through a resource's inputs, at any depth, for credentials in plain text: values shaped like one (the
 * patterns of secretlint's recommended preset, maintained with the token formats of AWS, GitHub, Slack, GCP,
 * Stripe, npm, private keys, connection strings and more, plus two structural checks secretlint has no rule for:
 * JSON Web Tokens and HTTP `Authorization` credentials), and values whose variable name says they are one.
 *
 * Linear and bounded: one walk over the inputs (JSON held in a string, such as container definitions or a policy
 * document, is parsed and walked too) with a cap on depth, on string values and on bytes, each reached limit
 * reported rather than silently skipped; the text goes to the scanner in windows of fixed size, so even a rule
 * with super-linear worst cases costs at most a constant per window, and the windows' number grows linearly.
 */
import type * as SecretlintCore from "@secretlint/core" with { "resolution-mode": "import" };
import type * as RecommendedRules from "@secretlint/secretlint-rule-preset-recommend" with { "resolution-mode": "import" };
import { isUnknownError } from "../support";
import { authorizationCredentialsIn, jwtsIn } from "./shapes";

// secretlint ships as ES modules only; Node (22.12+) requires them synchronously, and the tests transform them.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const core = require("@secretlint/core") as typeof SecretlintCore;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const preset = require("@secretlint/secretlint-rule-preset-recommend") as typeof RecommendedRules;

export interface ScanLimits {
  /** Deepest nesting walked (objects, lists, JSON inside strings). */
  maxDepth: number;
  /** Most string values looked at. */
  maxValues: number;
  /** Most characters of string values looked at. */
  maxBytes: number;
}

export const DEFAULT_LIMITS: ScanLimits = { maxDepth: 32, maxValues: 20_000, maxBytes: 1_048_576 };

/** Characters handed to the scanner at once, and how far consecutive windows overlap (longer than any token sought). */
export const WINDOW = { size: 65_536, overlap: 8_192 };
/** JSON inside a string is parsed up to this length (longer strings are scanned as text). */
const MAX_EMBEDDED_JSON = 262_144;

export interface SecretFinding {
  /** Where in the inputs, e.g. `containerDefinitions[0].environment[3].value`. */
  path: string;
  /** What it looks like, e.g. "a GitHub token", or why its name gives it away. */
  what: string;
  /** Found by its name (variable names) rather than its shape. */
  byName: boolean;
  /** The variable name, when the value has one (an environment variable's). */
  name?: string;
}

export interface ScanResult {
  findings: SecretFinding[];
  /** The limit reached, when the walk stopped before the end. */
  limitReached?: string;
}

export interface ScanOptions {
  /** Property paths whose values are meant to be secrets (the provider keeps them encrypted): not looked into. */
  exempt: (path: string) => boolean;
  /**
   * Whether the top-level keys are variable names (a dynamic resource's inputs are its own arguments). Deeper
   * keys are names only in environment-variable shapes: `{ name, value }` entries and variable maps.
   */
  topLevelKeysAreNames: boolean;
  limits?: ScanLimits;
  /** Called with each window of text handed to the scanner (tests count the work). */
  onWindow?: (length: number) => void;
}

/** Variable names that hold credentials, and the suffixes that only describe one (a header's name, an ARN). */
const SECRET_NAME = /(SECRET|PASSWORD|PASSWD|TOKEN|CREDENTIAL|PRIVATE_?KEY|API_?KEY|ACCESS_?KEY|AUTH)/i;
const DESCRIBES_A_SECRET = /(_HEADER|_NAME|_ARN|_ID|_URL|_URI|_PATH|_FILE|_REGION|_TTL|_SECONDS|_MS|_TYPE|_MODE)$/i;

/** The name says credential: `GENESYS_CLIENT_SECRET`, `clientSecret`, `api-key` (not `TOKEN_HEADER`, `secretArn`). */
export function namedLikeCredential(name: string): boolean {
  const snake = name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").replace(/-/g, "_");
  return SECRET_NAME.test(snake) && !DESCRIBES_A_SECRET.test(snake);
}

interface Segment {
  path: string;
  /** Offsets of the value's line (`name=` prefix included) inside the scanned text. */
  start: number;
  end: number;
  name?: string;
}

/** A property's value, or undefined when a preview cannot know it yet (only that value is skipped, not the walk). */
function read(container: Record<string, unknown> | unknown[], key: string | number): unknown {
  try {
    return (container as Record<string | number, unknown>)[key];
  } catch (e) {
    if (isUnknownError(e)) return undefined;
    throw e;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const childPath = (path: string, key: string | number) => (typeof key === "number" ? `${path}[${key}]` : path === "" ? key : `${path}.${key}`);

const RULE_NAMES: Record<string, string> = {
  aws: "an AWS credential",
  github: "a GitHub token",
  gitlab: "a GitLab token",
  slack: "a Slack token",
  gcp: "a Google Cloud key",
  privatekey: "a private key",
  npm: "an npm token",
  basicauth: "a URL with a password",
  "database-connection-string": "a database connection string with a password",
  openai: "an OpenAI key",
  anthropic: "an Anthropic key",
  stripe: "a Stripe key",
  sendgrid: "a SendGrid key",
};

function describeRule(ruleId: string): string {
  const short = ruleId.replace(/^@secretlint\/secretlint-rule-/, "");
  return RULE_NAMES[short] ?? `a credential (secretlint rule ${short})`;
}

const SCANNER_CONFIG = {
  rules: [
    {
      id: "@secretlint/secretlint-rule-preset-recommend",
      rule: preset.creator,
      // Access key ids alone are credentials too (the rule looks only for secret keys unless asked).
      rules: [{ id: "@secretlint/secretlint-rule-aws", options: { enableIDScanRule: true } }],
    },
  ],
};

/** Runs secretlint over the text in overlapping windows; returns (offset, what) for each match. */
async function scanText(text: string, onWindow?: (length: number) => void): Promise<Array<{ offset: number; what: string }>> {
  const found = new Map<string, { offset: number; what: string }>();
  for (let start = 0; start < text.length; start += WINDOW.size - WINDOW.overlap) {
    const window = text.slice(start, start + WINDOW.size);
    onWindow?.(window.length);
    const result = await core.lintSource({
      source: { content: window, filePath: "inputs", ext: "", contentType: "text" },
      // maskSecrets: nothing the scanner says may carry the value itself.
      options: { config: SCANNER_CONFIG as never, maskSecrets: true, noPhysicFilePath: true },
    });
    for (const m of result.messages) {
      const offset = start + m.range[0];
      found.set(`${m.ruleId}@${offset}`, { offset, what: describeRule(m.ruleId) });
    }
    if (start + WINDOW.size >= text.length) break;
  }
  for (const jwt of jwtsIn(text)) found.set(`jwt@${jwt}`, { offset: jwt, what: "a JSON Web Token" });
  for (const auth of authorizationCredentialsIn(text)) found.set(`auth@${auth.offset}`, { offset: auth.offset, what: `HTTP ${auth.scheme} credentials` });
  return [...found.values()];
}

/** The segment holding an offset (segments are sorted and disjoint). */
function segmentAt(segments: Segment[], offset: number): Segment | undefined {
  let lo = 0;
  let hi = segments.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = segments[mid]!;
    if (offset < s.start) hi = mid - 1;
    else if (offset >= s.end) lo = mid + 1;
    else return s;
  }
  return undefined;
}

/** Parses a string that holds a JSON object or list (container definitions, a policy document), else undefined. */
function embeddedJson(value: string): unknown {
  if (value.length > MAX_EMBEDDED_JSON) return undefined;
  const first = value.trimStart()[0];
  if (first !== "{" && first !== "[") return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

export async function scanForSecrets(inputs: Record<string, unknown>, options: ScanOptions): Promise<ScanResult> {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const findings: SecretFinding[] = [];
  const segments: Segment[] = [];
  const lines: string[] = [];
  let length = 0;
  let values = 0;
  let bytes = 0;
  let limitReached: string | undefined;

  // Iterative depth-first walk; `name` is the variable name a string value goes by, when it has one.
  const stack: Array<{ value: unknown; path: string; depth: number; name?: string }> = [];
  for (const key of Object.keys(inputs).reverse()) stack.push({ value: read(inputs, key), path: key, depth: 1, ...(options.topLevelKeysAreNames ? { name: key } : {}) });
  while (stack.length > 0) {
    const { value, path, depth, name } = stack.pop()!;
    if (options.exempt(path)) continue;
    if (depth > limits.maxDepth) {
      limitReached = `nesting deeper than ${limits.maxDepth} levels at ${path}`;
      break;
    }
    if (typeof value === "string") {
      values += 1;
      bytes += value.length;
      if (values > limits.maxValues || bytes > limits.maxBytes) {
        limitReached = values > limits.maxValues ? `more than ${limits.maxValues} string values` : `more than ${limits.maxBytes} characters of string values`;
        break;
      }
      const parsed = embeddedJson(value);
      if (parsed !== undefined) {
        stack.push({ value: parsed, path, depth: depth + 1 });
        continue;
      }
      if (name !== undefined && value !== "" && namedLikeCredential(name)) findings.push({ path, what: `named ${name}`, byName: true, name });
      // `name=value` lines give the scanner's keyword rules (aws_secret_access_key=...) the context they look for.
      const line = name !== undefined ? `${name}=${value}` : value;
      segments.push({ path, start: length, end: length + line.length, ...(name !== undefined ? { name } : {}) });
      lines.push(line);
      length += line.length + 1;
      continue;
    }
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: read(value, i), path: childPath(path, i), depth: depth + 1 });
      continue;
    }
    if (isObject(value)) {
      // `{ name, value }`: an environment variable (ECS, CodeBuild, Batch ...), whatever structure it sits in.
      const pair = { name: read(value, "name"), value: read(value, "value") };
      const pairName = typeof pair.name === "string" && typeof pair.value === "string" ? pair.name : undefined;
      const keys = Object.keys(value);
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i]!;
        const varName = key === "value" && pairName !== undefined ? pairName : isVariableMap(path) ? key : undefined;
        stack.push({ value: read(value, key), path: childPath(path, key), depth: depth + 1, ...(varName !== undefined ? { name: varName } : {}) });
      }
    }
  }

  const text = lines.join("\n");
  const reported = new Set(findings.map((f) => f.path));
  for (const { offset, what } of await scanText(text, options.onWindow)) {
    const segment = segmentAt(segments, offset);
    // One finding per value: its name already gave it away, or an earlier rule found it.
    if (!segment || reported.has(segment.path)) continue;
    reported.add(segment.path);
    findings.push({ path: segment.path, what, byName: false, ...(segment.name !== undefined ? { name: segment.name } : {}) });
  }
  findings.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { findings, ...(limitReached !== undefined ? { limitReached } : {}) };
}

/** Maps whose keys are environment variable names (Lambda's `environment.variables`, App Runner's, Batch's). */
function isVariableMap(path: string): boolean {
  return /(^|\.)(environment\.variables|runtimeEnvironmentVariables|environmentVariables)$/.test(path);
}
