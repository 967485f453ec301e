/**
 * Local stand-ins for DynamoDB, all on 127.0.0.1 with ports chosen by the OS:
 * - `startDynalite()`: a DynamoDB-compatible server (in memory), stoppable and restartable on its port;
 * - `startProxy(port)`: a TCP forwarder in front of it, to cut the store off from a table that keeps
 *   its data (dynalite forgets everything when it stops);
 * - `startBlackHole()`: accepts connections and never answers, for timeouts and aborts.
 */
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

/**
 * Forwards 127.0.0.1:<own port> to 127.0.0.1:<targetPort>; with `delayMs`, each request chunk is held
 * that long first, so concurrent calls overlap the way they do over a real network.
 */
export async function startProxy(targetPort: number, delayMs = 0): Promise<Restartable> {
  const pairs = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, "127.0.0.1");
    pairs.add(upstream);
    upstream.on("close", () => pairs.delete(upstream));
    if (delayMs > 0) {
      client.on("data", (chunk) => setTimeout(() => upstream.destroyed || upstream.write(chunk), delayMs));
    } else {
      client.pipe(upstream);
    }
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
  return restartable(server, port, sockets, () => {
    for (const socket of pairs) socket.destroy();
  });
}

/** Accepts connections and never answers. */
export async function startBlackHole(): Promise<Restartable> {
  const server = net.createServer(() => {});
  const sockets = tracked(server);
  const port = await listen(server, 0);
  return restartable(server, port, sockets);
}
