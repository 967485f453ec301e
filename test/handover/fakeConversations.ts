/**
 * Message conversations for the fake Platform API (a plugin of test/fakes/genesysPlatform.ts): the two calls
 * hand-over context makes, with the shapes of the Platform API's models (MessageConversation,
 * MessageMediaParticipant, ParticipantAttributes) and its error bodies.
 *
 * - GET /api/v2/conversations/messages/{conversationId} → {id, participants: [{id, purpose, state, attributes}]}
 * - PATCH /api/v2/conversations/messages/{conversationId}/participants/{participantId}/attributes with
 *   {attributes: {string: string}} → merges, answers the participant's attributes
 *
 * Both need a valid bearer token from the fake's login host. With `holding`, requests wait until `release()` (a
 * test waits for `held` to reach a number); `maxInFlight` records the most requests the fake served at once (to
 * check the service's bounded concurrency).
 */
import { randomUUID } from "node:crypto";
import { errorBody, type FakeGenesysPlatform, type FakePlugin } from "../fakes/genesysPlatform";

export interface FakeParticipant {
  id: string;
  purpose: "customer" | "agent" | "acd" | "workflow" | "user" | "external";
  state: "alerting" | "connected" | "disconnected";
  attributes: Record<string, string>;
}

export class FakeConversations {
  readonly conversations = new Map<string, FakeParticipant[]>();
  /** Accepted attribute updates, in order. */
  readonly patches: Array<{ conversationId: string; participantId: string; attributes: Record<string, string> }> = [];
  holding = false;
  private inFlight = 0;
  maxInFlight = 0;
  private readonly waiting = new Set<() => void>();

  /** Requests held right now. */
  get held(): number {
    return this.waiting.size;
  }

  /** Stops holding and lets every held request go on. */
  release(): void {
    this.holding = false;
    for (const go of [...this.waiting]) go();
  }

  /** A web messaging conversation as Genesys has it during a bot session: the customer, the flow, maybe more. */
  add(conversationId: string = randomUUID(), participants?: FakeParticipant[]): { conversationId: string; customerId: string } {
    const list = participants ?? [
      { id: randomUUID(), purpose: "customer", state: "connected", attributes: { "context.customerName": "Ada" } },
      { id: randomUUID(), purpose: "workflow", state: "connected", attributes: {} },
    ];
    this.conversations.set(conversationId, list);
    return { conversationId, customerId: list.find((p) => p.purpose === "customer")?.id ?? "" };
  }

  customer(conversationId: string): FakeParticipant | undefined {
    return this.conversations.get(conversationId)?.find((p) => p.purpose === "customer" && p.state !== "disconnected");
  }

  reset(): void {
    this.release();
    this.conversations.clear();
    this.patches.length = 0;
    this.maxInFlight = 0;
  }

  private async slow<T>(work: () => T): Promise<T> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      if (this.holding) {
        await new Promise<void>((resolve) => {
          const go = () => {
            this.waiting.delete(go);
            resolve();
          };
          this.waiting.add(go);
        });
      }
      return work();
    } finally {
      this.inFlight--;
    }
  }

  plugin(): FakePlugin {
    return (app, fake: FakeGenesysPlatform) => {
      app.get<{ Params: { id: string } }>("/api/v2/conversations/messages/:id", async (request, reply) => {
        if (!fake.authorize(request, reply)) return reply;
        return this.slow(() => {
          const participants = this.conversations.get(request.params.id);
          if (!participants) return reply.code(404).send(errorBody(404, "not.found", `Conversation ${request.params.id} not found`));
          return {
            id: request.params.id,
            participants: participants.map((p) => ({ ...p, attributes: { ...p.attributes } })),
            selfUri: `/api/v2/conversations/messages/${request.params.id}`,
          };
        });
      });

      app.patch<{ Params: { id: string; participantId: string } }>("/api/v2/conversations/messages/:id/participants/:participantId/attributes", async (request, reply) => {
        if (!fake.authorize(request, reply)) return reply;
        return this.slow(() => {
          const participant = this.conversations.get(request.params.id)?.find((p) => p.id === request.params.participantId);
          if (!participant) return reply.code(404).send(errorBody(404, "not.found", `Participant ${request.params.participantId} not found`));
          const body = request.body as { attributes?: unknown } | undefined;
          const attributes = body?.attributes;
          if (!attributes || typeof attributes !== "object" || Array.isArray(attributes)) {
            return reply.code(400).send(errorBody(400, "bad.request", "attributes: may not be null"));
          }
          for (const [key, value] of Object.entries(attributes)) {
            if (typeof value !== "string") return reply.code(400).send(errorBody(400, "bad.request", `attributes[${key}]: must be a string`));
          }
          Object.assign(participant.attributes, attributes);
          this.patches.push({ conversationId: request.params.id, participantId: participant.id, attributes: { ...(attributes as Record<string, string>) } });
          return { attributes: { ...participant.attributes } };
        });
      });
    };
  }
}
