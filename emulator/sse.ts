/**
 * Server-sent events for one conversation. Each event carries its `seq` as the SSE id, so a browser that
 * reconnects (EventSource does so by itself) sends `Last-Event-ID` and gets exactly the events it missed.
 */
import { type ServerResponse } from "node:http";
import { type FastifyReply } from "fastify";
import { type Conversation } from "./conversation";
import { type EmulatorEvent } from "./events";

const HEARTBEAT_MS = 15_000;

export class EventStreams {
  private readonly open = new Set<ServerResponse>();

  /** Streams the conversation's events after `after`, then every new one, until the client goes away. */
  stream(reply: FastifyReply, conversation: Conversation, after: number): void {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    });
    const send = (event: EmulatorEvent) => res.write(`id: ${event.seq}\ndata: ${JSON.stringify(event)}\n\n`);
    res.write("retry: 1000\n\n");
    for (const event of conversation.eventsAfter(after)) send(event);
    const unsubscribe = conversation.subscribe(send);
    const heartbeat = setInterval(() => res.write(": ping\n\n"), HEARTBEAT_MS);
    heartbeat.unref();
    this.open.add(res);
    const done = () => {
      clearInterval(heartbeat);
      unsubscribe();
      this.open.delete(res);
    };
    // The response closes when the client goes away or the server ends the stream.
    res.on("close", done);
  }

  /** Ends every stream (the server is closing; browsers would otherwise keep it open). */
  closeAll(): void {
    for (const res of this.open) res.end();
    this.open.clear();
  }
}

/** `Last-Event-ID` (a reconnect) wins over `?after=`; anything else starts from the beginning. */
export function resumePoint(lastEventId: string | string[] | undefined, after: number | undefined): number {
  const header = Number(Array.isArray(lastEventId) ? lastEventId[0] : lastEventId);
  if (Number.isInteger(header) && header >= 0) return header;
  return after ?? 0;
}
