/**
 * Local stand-ins for DynamoDB, all on 127.0.0.1 with ports chosen by the OS:
 * - `startDynalite()`: a DynamoDB-compatible server (in memory), stoppable and restartable on its port;
 * - `startDynaliteProcess()`: the same in a process of its own, for load tests: under load, a table in the jest
 *   worker shares one slice of a core with the test driving it, and keeps the service waiting;
 * - `startProxy(port)`: a TCP forwarder in front of it, to cut the store off from a table that keeps
 *   its data (dynalite forgets everything when it stops), or to stall the requests to it for a while;
 * - `startBlackHole()`: accepts connections and never answers, for timeouts and aborts.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import net from "node:net";
import { type Server } from "node:http";
import { DynamoDBClient, type DynamoDBClientConfig } from "@aws-sdk/client-dynamodb";
// dynalite ships no type declarations; it returns a Node http.Server.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require("dynalite") as (options: { createTableMs?: number; deleteTableMs?: number; updateTableMs?: number }) => Server;

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

export interface Restartable {
  readonly port: number;
  readonly endpoint: string;
  /** Stops listening and drops every open connection. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
}

export function clientConfig(endpoint: string): DynamoDBClientConfig {
  return { region: "us-east-1", endpoint, credentials: { accessKeyId: "test", secretAccessKey: "test" } };
}

export function localClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ ...clientConfig(endpoint), maxAttempts: 1 });
}

async function listen(server: net.Server, port: number): Promise<number> {
  server.listen(port, "127.0.0.1");
  await once(server, "listening");
  return (server.address() as net.AddressInfo).port;
}

function restartable(server: net.Server, port: number, sockets: Set<net.Socket>, onStop?: () => void): Restartable {
  return {
    port,
    endpoint: `http://127.0.0.1:${port}`,
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      (server as Partial<Server>).closeAllConnections?.();
      onStop?.();
      await closed;
    },
    async start() {
      await listen(server, port);
    },
  };
}

function tracked(server: net.Server): Set<net.Socket> {
  const sockets = new Set<net.Socket>();
  server.on("connection", (socket: net.Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  return sockets;
}

/** dynalite in memory; after `stop()` and `start()` it is empty again (tables included). */
export async function startDynalite(): Promise<Restartable> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const sockets = tracked(server);
  const port = await listen(server, 0);
  return restartable(server, port, sockets);
}

export interface Proxy extends Restartable {
  /**
   * Holds every request from now on, as a stalled network would, until `resume()`: a test that needs calls to
   * overlap (two turns reading the same session, turns in flight at SIGTERM) holds them until they all have.
   */
  pause(): void;
  /** Sends what was held, in order, and forwards again. */
  resume(): void;
  /** DynamoDB calls held since the last pause, all or of one operation (`GetItem`, `PutItem`, ...). */
  held(operation?: string): number;
}

const OPERATION = /x-amz-target: *DynamoDB_\d+\.(\w+)/gi;

/** dynalite in a child process; `stop()` ends the process. */
export async function startDynaliteProcess(): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const program = `require("dynalite")({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 }).listen(0, "127.0.0.1", function () { console.log(this.address().port); });`;
  const child = spawn(process.execPath, ["-e", program], { cwd: __dirname, stdio: ["ignore", "pipe", "inherit"] });
  const exited = once(child, "exit");
  const [line] = (await Promise.race([once(child.stdout, "data"), exited.then(() => Promise.reject(new Error("dynalite did not start")))])) as [Buffer];
  return {
    endpoint: `http://127.0.0.1:${Number(line.toString().trim())}`,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill();
        await exited;
      }
    },
  };
}

/** Forwards 127.0.0.1:<own port> to 127.0.0.1:<targetPort>. */
export async function startProxy(targetPort: number): Promise<Proxy> {
  const pairs = new Set<net.Socket>();
  let paused = false;
  const held: Array<{ upstream: net.Socket; chunk: Buffer }> = [];
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, "127.0.0.1");
    pairs.add(upstream);
    upstream.on("close", () => pairs.delete(upstream));
    client.on("data", (chunk: Buffer) => {
      if (paused) held.push({ upstream, chunk });
      else if (!upstream.destroyed) upstream.write(chunk);
    });
    upstream.pipe(client);
    const drop = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("error", drop);
    upstream.on("error", drop);
    client.on("close", drop);
  });
  const sockets = tracked(server);
  const port = await listen(server, 0);
  return {
    ...restartable(server, port, sockets, () => {
      for (const socket of pairs) socket.destroy();
    }),
    pause() {
      paused = true;
    },
    resume() {
      paused = false;
      for (const { upstream, chunk } of held.splice(0)) if (!upstream.destroyed) upstream.write(chunk);
    },
    held(operation) {
      const operations = held.flatMap(({ chunk }) => [...chunk.toString("latin1").matchAll(OPERATION)].map((m) => m[1]));
      return operation ? operations.filter((o) => o === operation).length : operations.length;
    },
  };
}

/** Accepts connections and never answers; counts the connections it was offered. */
export async function startBlackHole(): Promise<Restartable & { readonly connections: number }> {
  let connections = 0;
  const server = net.createServer(() => connections++);
  const sockets = tracked(server);
  const port = await listen(server, 0);
  return {
    ...restartable(server, port, sockets),
    get connections() {
      return connections;
    },
  };
}
