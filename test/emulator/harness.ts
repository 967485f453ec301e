/**
 * Helpers for the emulator tests: the dev stack's artifacts rendered by the same code as `npm run synth`, an
 * emulator listening on loopback, a chat client over the emulator's HTTP API, and a fake Bot Connector endpoint
 * that answers whatever a test wants.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { type AddressInfo } from "node:net";
import path from "node:path";
import { synthStack } from "../../scripts/synth";
import { createEmulator, type Emulator, type EmulatorOptions } from "../../emulator/emulator";
import { type EmulatorEvent, type FlowEvent } from "../../emulator/events";

const root = path.join(__dirname, "..", "..");

let dev: { flowYaml: string; botList: unknown } | undefined;

/** `npm run synth -- dev`, in memory. */
export function devArtifacts(): { flowYaml: string; botList: unknown } {
  if (!dev) {
    const files = synthStack({ projectDir: root, stack: "dev", botsDir: path.join(root, "service", "bots") }).files;
    dev = { flowYaml: files["architect-flow.yaml"], botList: JSON.parse(files["bot-list.json"] as string) };
  }
  return dev;
}

export interface RunningEmulator {
  emulator: Emulator;
  url: string;
  close(): Promise<void>;
}

export async function startEmulator(botConnector: EmulatorOptions["botConnector"], options: Partial<EmulatorOptions> = {}): Promise<RunningEmulator> {
  const emulator = createEmulator({ ...devArtifacts(), botConnector, ...options });
  const url = await emulator.listen(0);
  return { emulator, url, close: () => emulator.close() };
}

type Reply = { status: number; body: Record<string, unknown> };

export async function request(url: string, method: string, body?: unknown): Promise<Reply> {
  const res = await fetch(url, { method, ...(body !== undefined ? { headers: { "content-type": "application/json" }, body: JSON.stringify(body) } : {}) });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

type Message = Extract<EmulatorEvent, { type: "message" }>;

/** The customer's side of a conversation, through the emulator's HTTP API. */
export class Chat {
  readonly events: EmulatorEvent[] = [];
  status = "running";

  private constructor(
    private readonly base: string,
    readonly id: string,
  ) {}

  static async start(base: string, body: Record<string, unknown> = {}): Promise<Chat> {
    const res = await request(`${base}/api/conversations`, "POST", body);
    if (res.status !== 201) throw new Error(`start failed: ${res.status} ${JSON.stringify(res.body)}`);
    const chat = new Chat(base, res.body.id as string);
    chat.record(res.body);
    return chat;
  }

  private record(body: Record<string, unknown>): EmulatorEvent[] {
    const events = body.events as EmulatorEvent[];
    this.events.push(...events);
    this.status = body.status as string;
    return events;
  }

  async send(body: Record<string, unknown>): Promise<EmulatorEvent[]> {
    const res = await request(`${this.base}/api/conversations/${this.id}/messages`, "POST", body);
    if (res.status !== 200) throw new Error(`send failed: ${res.status} ${JSON.stringify(res.body)}`);
    return this.record(res.body);
  }

  say(text: string): Promise<EmulatorEvent[]> {
    return this.send({ text });
  }

  /** Clicks the most recent quick reply or card button with this label. */
  click(label: string): Promise<EmulatorEvent[]> {
    const button = buttonsIn(this.events)
      .reverse()
      .find((b) => b.text === label);
    if (!button) throw new Error(`no button "${label}"; shown: ${buttonsIn(this.events).map((b) => b.text).join(", ")}`);
    return this.send({ button });
  }

  flow<K extends FlowEvent["kind"]>(kind: K): Array<Extract<FlowEvent, { kind: K }>> {
    return flowEvents(this.events, kind);
  }

  calls(): Array<Extract<EmulatorEvent, { type: "call" }>> {
    return this.events.filter((e): e is Extract<EmulatorEvent, { type: "call" }> => e.type === "call");
  }
}

export function flowEvents<K extends FlowEvent["kind"]>(events: readonly EmulatorEvent[], kind: K): Array<Extract<FlowEvent, { kind: K }>> {
  return events.flatMap((e) => (e.type === "flow" && e.event.kind === kind ? [e.event as Extract<FlowEvent, { kind: K }>] : []));
}

/** What the customer sees: message texts and card titles, in order. */
export function shown(events: readonly EmulatorEvent[]): string[] {
  return events
    .filter((e): e is Message => e.type === "message")
    .flatMap((e) => [
      ...(e.message.text ? [e.message.text] : []),
      ...(e.message.content ?? []).flatMap((c) => (c.contentType === "Card" ? [c.card.title] : c.contentType === "Carousel" ? c.carousel.cards.map((k) => k.title) : [])),
    ]);
}

type Button = { type: "QuickReply" | "Button"; text: string; payload: string };

export function buttonsIn(events: readonly EmulatorEvent[]): Button[] {
  return events
    .filter((e): e is Message => e.type === "message")
    .flatMap((e) =>
      (e.message.content ?? []).flatMap((c): Button[] => {
        if (c.contentType === "QuickReply") return [{ type: "QuickReply", text: c.quickReply.text, payload: c.quickReply.payload }];
        const cards = c.contentType === "Card" ? [c.card] : c.carousel.cards;
        return cards.flatMap((card) => card.actions.flatMap((a): Button[] => (a.type === "Postback" && a.payload ? [{ type: "Button", text: a.text, payload: a.payload }] : [])));
      }),
    );
}

export interface FakeBotRequest {
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/** What the fake bot does with one request: answer with a status and a body (object or raw text), after a delay. */
export interface FakeAnswer {
  status?: number;
  body?: unknown;
  raw?: string;
  delayMs?: number;
}

export interface FakeBot {
  url: string;
  requests: FakeBotRequest[];
  /** The next answers, in order; the last one repeats. */
  answer(...answers: Array<FakeAnswer | ((req: FakeBotRequest) => FakeAnswer)>): void;
  close(): Promise<void>;
}

/** A deliberately misbehaving Bot Connector endpoint on 127.0.0.1. */
export async function startFakeBot(): Promise<FakeBot> {
  const requests: FakeBotRequest[] = [];
  let queue: Array<FakeAnswer | ((req: FakeBotRequest) => FakeAnswer)> = [{ body: { botState: "MoreData", replymessages: [] } }];
  const timers = new Set<NodeJS.Timeout>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const received: FakeBotRequest = { headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown> };
      requests.push(received);
      const next = queue.length > 1 ? queue.shift() : queue[0];
      const answer = typeof next === "function" ? next(received) : (next ?? {});
      const respond = () => {
        if (res.destroyed) return;
        res.writeHead(answer.status ?? 200, { "content-type": "application/json" });
        res.end(answer.raw ?? JSON.stringify(answer.body ?? {}));
      };
      if (answer.delayMs) {
        const timer = setTimeout(() => {
          timers.delete(timer);
          respond();
        }, answer.delayMs);
        timers.add(timer);
      } else respond();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/botconnector/messages`,
    requests,
    answer(...answers) {
      queue = answers;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
