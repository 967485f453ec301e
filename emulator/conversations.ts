/**
 * The emulator's conversations, in memory and bounded: when the limit is reached the oldest ended conversation
 * goes first, else the oldest one, whose flow is stopped (the customer "left").
 */
import { Conversation } from "./conversation";
import { runFlow, type FlowRuntime } from "./flow/run";

export class Conversations {
  private readonly byId = new Map<string, Conversation>();
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly runtime: FlowRuntime,
    private readonly limit: number,
  ) {}

  /**
   * Opens a conversation and starts its flow (the default one, or another bot's); resolves once the flow waits
   * for the customer or has ended.
   */
  async start(language: string, participantData: Record<string, string>, runtime: FlowRuntime = this.runtime): Promise<Conversation> {
    this.makeRoom();
    const conversation = new Conversation(language, { ...participantData });
    this.byId.set(conversation.id, conversation);
    conversation.emit({ type: "started", conversationId: conversation.id, language, flow: runtime.flow.name, participantData: { ...participantData } });
    const run = runFlow(conversation, runtime).finally(() => this.running.delete(run));
    this.running.add(run);
    await conversation.whenIdle();
    return conversation;
  }

  get(id: string): Conversation | undefined {
    return this.byId.get(id);
  }

  get size(): number {
    return this.byId.size;
  }

  /** The customer leaves: the flow stops and the conversation is forgotten. */
  remove(id: string): boolean {
    const conversation = this.byId.get(id);
    if (!conversation) return false;
    conversation.abandon();
    this.byId.delete(id);
    return true;
  }

  /** Stops every flow and waits for them to finish (bot calls in flight are cancelled). */
  async close(): Promise<void> {
    for (const conversation of this.byId.values()) conversation.abandon();
    await Promise.allSettled([...this.running]);
    this.byId.clear();
  }

  private makeRoom(): void {
    while (this.byId.size >= this.limit) {
      const all = [...this.byId.values()];
      const victim = all.find((c) => c.status === "ended") ?? all[0];
      if (!victim) return;
      this.remove(victim.id);
    }
  }
}
