/**
 * The connection figures under mocks (docs/robustness.md): the load balancer's idle timeout and the service's
 * keep-alive timeout come from one figure (the service's 5 s longer), the service's connection limit and the
 * task's open-file limit (ulimits nofile, set explicitly) from another, and the limit the service computes from the
 * task's open-file limit is exactly its connection limit.
 */
import * as pulumi from "@pulumi/pulumi";
import { connectionFigures } from "../../components/aws/connectionFigures";
import { HostedService, type HostedServiceArgs } from "../../components/aws/hostedService";
import { connectionLimit } from "../../service/src/connections";
import { makeBuildContext, removeDir, VERIFY_TOKEN } from "./fixtures";
import { json, type MockCloud, setupMocks } from "./mocks";

let cloud: MockCloud;
let ctx: ReturnType<typeof makeBuildContext>;

beforeAll(async () => {
  cloud = await setupMocks();
  ctx = makeBuildContext();
});
afterAll(() => removeDir(ctx.root));

function args(overrides: Partial<HostedServiceArgs> = {}): HostedServiceArgs {
  return { image: { build: { context: ctx.context } }, secrets: { verifyToken: pulumi.secret(VERIFY_TOKEN) }, ...overrides };
}

interface Container {
  environment: Array<{ name: string; value: string }>;
  ulimits?: Array<{ name: string; softLimit: number; hardLimit: number }>;
}

function deployed() {
  const container = json<Container[]>(cloud.one("aws:ecs/taskDefinition:TaskDefinition").inputs.containerDefinitions)[0]!;
  const env = Object.fromEntries(container.environment.map((e) => [e.name, e.value]));
  return {
    idleTimeout: cloud.one("aws:lb/loadBalancer:LoadBalancer").inputs.idleTimeout as number,
    keepAliveMs: Number(env.KEEP_ALIVE_TIMEOUT_MS),
    maxConnections: Number(env.MAX_CONNECTIONS),
    nofile: container.ulimits?.find((u) => u.name === "nofile"),
  };
}

describe("connection figures set together", () => {
  test("defaults: ALB idle 60 s, service keep-alive 65 s, 8192 connections, nofile 9216 (soft = hard)", async () => {
    await cloud.build(() => new HostedService("va", args()));
    const d = deployed();
    expect(d.idleTimeout).toBe(60);
    expect(d.keepAliveMs).toBe(65_000);
    expect(d.maxConnections).toBe(8192);
    expect(d.nofile).toEqual({ name: "nofile", softLimit: 9216, hardLimit: 9216 });
  });

  test("a longer idle timeout and more connections move the service's figures with them", async () => {
    await cloud.build(() => new HostedService("va", args({ endpoint: { idleTimeoutSeconds: 350 }, service: { maxConnections: 20_000 } })));
    const d = deployed();
    expect(d.idleTimeout).toBe(350);
    expect(d.keepAliveMs).toBe(355_000);
    expect(d.keepAliveMs).toBeGreaterThan(d.idleTimeout * 1000);
    expect(d.maxConnections).toBe(20_000);
    expect(d.nofile?.softLimit).toBe(d.nofile?.hardLimit);
    // The service, reading that open-file limit from the process, keeps exactly MAX_CONNECTIONS.
    expect(connectionLimit(d.maxConnections, d.nofile?.softLimit)).toBe(20_000);
  });

  test.each([16, 100, 1000, 8192, 50_000, 1_000_000])("the service's own limit equals MAX_CONNECTIONS = %i under the task's nofile", (max) => {
    expect(connectionLimit(max, connectionFigures(60, max).openFiles)).toBe(max);
  });

  test("an idle timeout the service could not follow is refused before anything is created", () => {
    expect(() => new HostedService("bad", args({ endpoint: { idleTimeoutSeconds: 5000 } }))).toThrow(/idleTimeoutSeconds/);
  });
});
