/**
 * Pulumi mocks for the Genesys component tests: captures every registered resource and invoke, returns
 * realistic computed outputs per type, and helps read Outputs, secretness and resource options.
 */
import * as pulumi from "@pulumi/pulumi";
import { settleRegistrations } from "../aws/mocks";

export interface Captured {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

export interface Harness {
  resources: Captured[];
  calls: Array<{ token: string; inputs: Record<string, unknown> }>;
  byType(type: string): Captured[];
  one(type: string): Captured;
  reset(): void;
  /** Waits until every registration started so far has reached the mocks. */
  settle(): Promise<void>;
}

/** The marker Pulumi's RPC layer puts on secret values (what the mock monitor receives for secret inputs). */
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export function isSecretInput(value: unknown): boolean {
  return typeof value === "object" && value !== null && (value as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG;
}

/** The captured inputs with every secret-wrapped value removed: what would be readable in plain text. */
export function withoutSecrets(value: unknown): unknown {
  if (isSecretInput(value)) return "[secret]";
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutSecrets(v)]));
  return value;
}

export function unwrapSecret(value: unknown): unknown {
  return isSecretInput(value) ? (value as { value: unknown }).value : value;
}

/** Computed outputs the real providers would return, so wiring between resources can be checked. */
function computedState(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
  switch (type) {
    case "genesyscloud:index/oauthClient:OauthClient":
      return { ...inputs, clientId: `${name}-client-id`, clientSecret: `${name}-client-secret-value` };
    case "random:index/randomPassword:RandomPassword":
      return { ...inputs, result: `generated-token-${name}-0123456789abcdef` };
    case "genesyscloud:index/flow:Flow":
      return { ...inputs, type: "inboundshortmessage", fileContentHash: "hash" };
    case "genesyscloud:index/webdeploymentsConfiguration:WebdeploymentsConfiguration":
      return { ...inputs, version: "3", status: "Active" };
    case "genesyscloud:index/webdeploymentsDeployment:WebdeploymentsDeployment":
      return {
        ...inputs,
        status: "Active",
        snippet: `<script type="text/javascript" charset="utf-8">(function (g, e, n, es, ys) {})(window, 'Genesys', 'https://apps.mypurecloud.de/genesys-bootstrap/genesys.min.js', { environment: 'prod-euc1', deploymentId: '${name}-id' });</script>`,
      };
    default:
      return inputs;
  }
}

export async function setupMocks(options: { preview?: boolean } = {}): Promise<Harness> {
  const resources: Captured[] = [];
  const calls: Array<{ token: string; inputs: Record<string, unknown> }> = [];
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        resources.push({ type: args.type, name: args.name, inputs: args.inputs });
        // In a preview the engine knows neither ids nor computed outputs of resources still to be created.
        if (options.preview) return { id: undefined, state: args.inputs };
        return { id: `${args.name}-id`, state: computedState(args.type, args.name, args.inputs) };
      },
      call(args) {
        calls.push({ token: args.token, inputs: args.inputs });
        switch (args.token) {
          case "genesyscloud:index/getAuthRole:getAuthRole":
            return { id: `role-id-of-${String(args.inputs.name)}`, name: args.inputs.name };
          case "genesyscloud:index/getRoutingQueue:getRoutingQueue":
            return { id: `queue-id-of-${String(args.inputs.name)}`, name: args.inputs.name };
          default:
            return args.inputs;
        }
      },
    },
    "virtual-agent",
    "test",
    options.preview ?? false,
  );
  return {
    resources,
    calls,
    byType: (type) => resources.filter((r) => r.type === type),
    one(type) {
      const found = resources.filter((r) => r.type === type);
      if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}: ${resources.map((r) => r.type).join(", ")}`);
      return found[0] as Captured;
    },
    reset() {
      resources.length = 0;
      calls.length = 0;
    },
    settle: () => settleRegistrations(() => resources.length),
  };
}

export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((v) => resolve(v)));
}

export async function secretOf<T>(output: pulumi.Output<T>): Promise<boolean> {
  return (output as unknown as { isSecret: Promise<boolean> }).isSecret;
}

/** Waits until the component's children have registered with the mock monitor. */
export async function settled(...outputs: Array<pulumi.Output<unknown>>): Promise<void> {
  await Promise.all(outputs.map((o) => valueOf(o)));
  await new Promise((resolve) => setImmediate(resolve));
}

/** Records the type, name and options of every child as the SDK constructs it (transformations run SDK-side). */
export function optionRecorder(): { transformation: pulumi.ResourceTransformation; seen: Array<{ type: string; name: string; opts: pulumi.ResourceOptions }> } {
  const seen: Array<{ type: string; name: string; opts: pulumi.ResourceOptions }> = [];
  return {
    seen,
    transformation: (args) => {
      seen.push({ type: args.type, name: args.name, opts: args.opts });
      return undefined;
    },
  };
}
