/**
 * `npm run doctor`: checks a stack's unconfirmed Bot Connector wiring and the deployer's permissions against a
 * live org, and explains each mismatch with the command that fixes it. `gatherOrgFacts` does the reading (the
 * Platform API calls); `diagnose` is pure and decides.
 */
import { GenesysApiError, listAll, type PlatformApi } from "../../../service/src/genesys";
import { type BotConnectorTypeSettings, type GenesysProtocol, uriPropertyField } from "../botConnectorConfig";
import { missingPermissions } from "./permissions";

export interface IntegrationTypeFacts {
  id: string;
  name: string;
  /** Slot key → accepted credential types. */
  credentials: Record<string, string[]>;
}

export interface OrgFacts {
  integrationTypes: IntegrationTypeFacts[];
  /** Config property key → title, of the type the stack names (or of the best candidate when it names none). */
  properties?: { typeId: string; keys: Record<string, string>; required: string[] };
  /** Names of the org's integration credential types. */
  credentialTypes: string[];
  /** The deployer's permissions, or why they could not be read. */
  permissions: { granted: string[]; client: string } | { unavailable: string };
}

export type FindingLevel = "ok" | "warning" | "problem";

export interface Finding {
  level: FindingLevel;
  check: string;
  detail: string;
  /** What to run or do; present on problems (and some warnings). */
  fix?: string;
}

export interface DoctorExpectations {
  stack: string;
  /** Which integration type the stack means: v1 the Bot Connector, v2 the Digital Bot Connector. Default v1. */
  protocol?: GenesysProtocol;
  type: BotConnectorTypeSettings;
  /** Permission groups the stack needs (requiredPermissions). */
  permissions: Array<{ part: string; permissions: string[] }>;
}

const isDigital = (t: IntegrationTypeFacts) => /digital/i.test(t.name);

/** The integration types whose name says Bot Connector, the protocol's own first (v1 the classic one, v2 the Digital one). */
export function botConnectorCandidates(types: readonly IntegrationTypeFacts[], protocol: GenesysProtocol = "v1"): IntegrationTypeFacts[] {
  const rank = (t: IntegrationTypeFacts) => (isDigital(t) === (protocol === "v2") ? 0 : 1);
  return types.filter((t) => /bot\s*connector/i.test(t.name)).sort((a, b) => rank(a) - rank(b) || a.id.localeCompare(b.id));
}

/** What the protocol's integration type and URI property are called, and the config key of the property. */
function protocolTerms(protocol: GenesysProtocol) {
  return protocol === "v2"
    ? { product: "Digital Bot Connector", uriCheck: "Bot Connector URI property", uriKey: "genesysBotConnectorUriProperty", uriHint: /bot\s*connector\s*ur[il]|ur[il]/i }
    : { product: "Bot Connector", uriCheck: "Handle Utterance URI property", uriKey: "genesysHandleUtteranceUriProperty", uriHint: /utterance|uri|url/i };
}

const set = (stack: string, key: string, value: string) => `pulumi config set --stack ${stack} virtual-agent:${key} ${value}`;

export function diagnose(expect: DoctorExpectations, facts: OrgFacts): Finding[] {
  const findings: Finding[] = [];
  const { stack, type } = expect;
  const protocol = expect.protocol ?? "v1";
  const terms = protocolTerms(protocol);
  // v1 shows every Bot Connector type (the classic one first); v2 only the Digital ones.
  const candidates = botConnectorCandidates(facts.integrationTypes, protocol).filter((c) => protocol === "v1" || isDigital(c));
  const configured = facts.integrationTypes.find((t) => t.id === type.integrationTypeId);

  // 1. The integration type.
  if (configured) {
    const looksRight = candidates.some((c) => c.id === configured.id);
    findings.push(
      looksRight
        ? { level: "ok", check: "integration type", detail: `"${configured.id}" is the org's "${configured.name}"` }
        : {
            level: "warning",
            check: "integration type",
            detail:
              `"${configured.id}" exists but is "${configured.name}", which does not look like the ${terms.product} (genesysProtocol ${protocol})` +
              (candidates.length ? ` (${terms.product} types: ${candidates.map((c) => `${c.id} "${c.name}"`).join(", ")})` : ""),
            ...(candidates[0] ? { fix: set(stack, "genesysIntegrationTypeId", candidates[0].id) } : {}),
          },
    );
  } else {
    findings.push({
      level: "problem",
      check: "integration type",
      detail:
        `the org has no integration type "${type.integrationTypeId}"` +
        (candidates.length
          ? `; its ${terms.product} types are ${candidates.map((c) => `${c.id} ("${c.name}")`).join(", ")}`
          : `; it lists no ${terms.product} type at all (is the ${terms.product} product enabled for the org?)`),
      ...(candidates[0] ? { fix: set(stack, "genesysIntegrationTypeId", candidates[0].id) } : {}),
    });
  }
  const inspected = configured ?? candidates[0];

  // 2. The URI property (v1 Handle Utterance URI, v2 Bot Connector URI).
  const uriProperty = type[uriPropertyField(protocol)] ?? "";
  if (facts.properties) {
    const keys = facts.properties.keys;
    if (uriProperty in keys) {
      findings.push({ level: "ok", check: terms.uriCheck, detail: `"${uriProperty}" ("${keys[uriProperty]}") is a config property of ${facts.properties.typeId}` });
    } else {
      const guess = Object.entries(keys).find(([k, title]) => terms.uriHint.test(`${k} ${title}`));
      findings.push({
        level: "problem",
        check: terms.uriCheck,
        detail: `${facts.properties.typeId} has no config property "${uriProperty}"; its properties are ${Object.entries(keys).map(([k, t]) => `${k} ("${t}")`).join(", ") || "(none)"}`,
        ...(guess ? { fix: set(stack, terms.uriKey, guess[0]) } : {}),
      });
    }
    const otherRequired = facts.properties.required.filter((k) => k !== uriProperty);
    if (otherRequired.length > 0) {
      findings.push({ level: "warning", check: "other required properties", detail: `${facts.properties.typeId} also requires ${otherRequired.join(", ")}, which the stack does not set` });
    }
  } else if (inspected) {
    findings.push({ level: "warning", check: terms.uriCheck, detail: `the config schema of ${inspected.id} could not be read` });
  }

  // 3. The credential slot and type.
  if (inspected) {
    const slots = inspected.credentials;
    const accepted = slots[type.credentialSlot];
    if (!accepted) {
      const only = Object.keys(slots).length === 1 ? Object.keys(slots)[0] : undefined;
      findings.push({
        level: "problem",
        check: "credential slot",
        detail: `${inspected.id} has no credential slot "${type.credentialSlot}"; its slots are ${Object.entries(slots).map(([k, t]) => `${k} (accepts ${t.join(", ") || "any"})`).join(", ") || "(none)"}`,
        ...(only ? { fix: set(stack, "genesysCredentialSlot", only) } : {}),
      });
    } else if (accepted.length > 0 && !accepted.includes(type.credentialType)) {
      const preferred = accepted.find((t) => t === "userDefined") ?? accepted[0];
      findings.push({
        level: "problem",
        check: "credential type",
        detail: `slot "${type.credentialSlot}" of ${inspected.id} accepts ${accepted.join(", ")}, not "${type.credentialType}"`,
        ...(preferred ? { fix: set(stack, "genesysCredentialType", preferred) } : {}),
      });
    } else {
      findings.push({ level: "ok", check: "credential slot and type", detail: `slot "${type.credentialSlot}" accepts "${type.credentialType}"` });
    }
  }
  if (facts.credentialTypes.length > 0 && !facts.credentialTypes.includes(type.credentialType)) {
    findings.push({
      level: "problem",
      check: "credential type",
      detail: `the org has no integration credential type "${type.credentialType}" (it has ${facts.credentialTypes.join(", ")})`,
    });
  }

  // 4. Permissions.
  if ("unavailable" in facts.permissions) {
    findings.push({
      level: "warning",
      check: "deployer permissions",
      detail: `not checked: ${facts.permissions.unavailable}`,
      fix: "grant the deploying client oauth:client:view and authorization:role:view so doctor can read its roles, or compare the roles by hand",
    });
  } else {
    const { granted, client } = facts.permissions;
    const missing = expect.permissions
      .map((g) => ({ part: g.part, missing: missingPermissions(granted, g.permissions) }))
      .filter((g) => g.missing.length > 0);
    if (missing.length === 0) {
      findings.push({ level: "ok", check: "deployer permissions", detail: `OAuth client ${client} holds every permission the stack needs` });
    } else {
      for (const g of missing) {
        findings.push({
          level: "problem",
          check: "deployer permissions",
          detail: `OAuth client ${client} lacks, for the ${g.part}: ${g.missing.join(", ")}`,
          fix: `add ${g.missing.join(", ")} to a role of the client (Admin > Roles / Permissions), or grant the client a role that has them`,
        });
      }
    }
  }
  return findings;
}

/** Reads what diagnose needs from the org (every call is a GET). */
export async function gatherOrgFacts(api: PlatformApi, type: BotConnectorTypeSettings, protocol: GenesysProtocol = "v1"): Promise<OrgFacts> {
  const rawTypes = await listAll<{ id: string; name?: string; credentials?: Record<string, { credentialTypes?: string[] }> }>(api, "/api/v2/integrations/types");
  const integrationTypes = rawTypes.map((t) => ({
    id: t.id,
    name: t.name ?? t.id,
    credentials: Object.fromEntries(Object.entries(t.credentials ?? {}).map(([slot, spec]) => [slot, spec.credentialTypes ?? []])),
  }));
  // The configured type's schema, unless it is not one of the protocol's types: then the best candidate's, so the fix names its keys.
  const candidates = botConnectorCandidates(integrationTypes, protocol).filter((c) => protocol === "v1" || /digital/i.test(c.name));
  const configured = integrationTypes.find((t) => t.id === type.integrationTypeId);
  const target = configured && (candidates.length === 0 || candidates.includes(configured)) ? configured : (candidates[0] ?? configured);
  let properties: OrgFacts["properties"];
  if (target) {
    const schema = await api
      .request<{ properties?: Record<string, { title?: string }>; required?: string[] }>(
        "GET",
        `/api/v2/integrations/types/${encodeURIComponent(target.id)}/configschemas/properties`,
      )
      .catch(() => undefined);
    if (schema) {
      properties = {
        typeId: target.id,
        keys: Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, p]) => [k, p.title ?? k])),
        required: schema.required ?? [],
      };
    }
  }
  const credentialTypes = await api
    .request<{ entities?: Array<{ name?: string }> }>("GET", "/api/v2/integrations/credentials/types")
    .then((r) => (r?.entities ?? []).map((e) => e.name).filter((n): n is string => typeof n === "string"))
    .catch(() => [] as string[]);
  return { integrationTypes, properties, credentialTypes, permissions: await readPermissions(api) };
}

async function readPermissions(api: PlatformApi): Promise<OrgFacts["permissions"]> {
  try {
    const me = await api.request<{ OAuthClient?: { id?: string; name?: string } }>("GET", "/api/v2/tokens/me");
    const clientId = me?.OAuthClient?.id;
    if (!clientId) return { unavailable: "the token does not belong to an OAuth client" };
    const client = await api.request<{ name?: string; roleDivisions?: Array<{ roleId: string }> }>("GET", `/api/v2/oauth/clients/${encodeURIComponent(clientId)}`);
    const roleIds = [...new Set((client?.roleDivisions ?? []).map((r) => r.roleId))].sort();
    const granted: string[] = [];
    for (const roleId of roleIds) {
      const role = await api.request<{ permissions?: string[]; permissionPolicies?: Array<{ domain: string; entityName: string; actionSet?: string[] }> }>(
        "GET",
        `/api/v2/authorization/roles/${encodeURIComponent(roleId)}`,
      );
      granted.push(...(role?.permissions ?? []));
      for (const p of role?.permissionPolicies ?? []) for (const action of p.actionSet ?? []) granted.push(`${p.domain}:${p.entityName}:${action}`);
    }
    return { granted, client: `"${client?.name ?? clientId}" (${clientId})` };
  } catch (err) {
    if (err instanceof GenesysApiError && (err.status === 403 || err.status === 404)) {
      return { unavailable: `reading the client's roles was refused (${err.status}${err.code ? ` ${err.code}` : ""})` };
    }
    throw err;
  }
}

export function formatFindings(findings: readonly Finding[]): string {
  const mark: Record<FindingLevel, string> = { ok: "ok     ", warning: "warning", problem: "PROBLEM" };
  return findings.map((f) => `${mark[f.level]}  ${f.check}: ${f.detail}${f.fix ? `\n         fix: ${f.fix}` : ""}`).join("\n");
}
