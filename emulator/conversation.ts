/**
 * One emulated Genesys conversation: its event log, its participant data, and the hand-off between the
 * customer (who sends) and the running flow (which receives). Customer input is queued in order, as Genesys
 * queues messages that arrive while the flow is busy; `deliver` resolves once the flow has dealt with the input
 * and waits again, so an API caller gets the bot's answer in the same request.
 */
import { randomUUID } from "node:crypto";
import { type CustomerInput, type EmulatorEvent, type EndReason, type EventBody } from "./events";

export class ConversationEndedError extends Error {
  constructor(readonly reason: EndReason | undefined) {
    super(
      reason === "transfer"
        ? "the conversation waits in an agent queue (transfer); the emulator has no agents, so start a new one"
        : `the conversation has ended (${reason ?? "ended"}); start a new one`,
    );
    this.name = "ConversationEndedError";
  }
}

/**
 * What the flow gets when it waits: the customer's input, the bot's own message (Digital Bot Connector replies that
 * come later), its timeout (`fired` when a tester fired it early), or nothing because the customer left.
 */
export type ReceiveResult = { kind: "input"; input: CustomerInput } | { kind: "bot"; item: unknown } | { kind: "timeout"; fired?: true } | { kind: "abandoned" };

export type ConversationStatus = "running" | "waiting" | "ended";

interface Pending {
  input: CustomerInput;
  handled: (handled: boolean) => void;
}

export class Conversation {
  readonly id = randomUUID();
  readonly events: EmulatorEvent[] = [];
  readonly createdAt = Date.now();
  status: ConversationStatus = "running";
  endReason: EndReason | undefined;
  customerMessages = 0;
  private readonly listeners = new Set<(event: EmulatorEvent) => void>();
  private readonly pending: Pending[] = [];
  /** What the bot sent on its own (Digital Bot Connector replies that come later), not yet taken by the flow. */
  private readonly fromBot: unknown[] = [];
  private current: Pending | undefined;
  private waiter: { resolve: (r: ReceiveResult) => void; timer: NodeJS.Timeout | undefined; followUp: boolean } | undefined;
  private abandoned = false;
  /** Aborted when the customer leaves, so a bot call in flight stops too. */
  private readonly leaving = new AbortController();
  private readonly idle: Array<() => void> = [];

  constructor(
    readonly language: string,
    readonly participantData: Record<string, string>,
  ) {}

  emit(body: EventBody): EmulatorEvent {
    const event = { ...body, seq: this.events.length + 1, at: new Date().toISOString() } as EmulatorEvent;
    this.events.push(event);
    for (const listener of this.listeners) listener(event);
    return event;
  }

  /** Calls the listener for every new event; returns the unsubscribe function. */
  subscribe(listener: (event: EmulatorEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  eventsAfter(seq: number): EmulatorEvent[] {
    return this.events.slice(Math.max(0, seq));
  }

  /**
   * The customer sends something. Resolves with `true` once the flow has handled it and waits again or has
   * ended, `false` if the conversation ended before the flow read it.
   */
  deliver(input: CustomerInput): Promise<boolean> {
    if (this.status === "ended") throw new ConversationEndedError(this.endReason);
    this.customerMessages++;
    this.emit({ type: "customer", input });
    return new Promise<boolean>((handled) => {
      this.pending.push({ input, handled });
      this.handOver();
    });
  }

  /**
   * The bot sent a message on its own (through the outgoing messages API): the flow takes it when it next waits,
   * before the customer's next message.
   */
  deliverFromBot(item: unknown): void {
    if (this.status === "ended") return;
    if (this.waiter) this.wake({ kind: "bot", item });
    else this.fromBot.push(item);
  }

  /**
   * The flow waits for the customer's next input (or the bot's own message), at most `timeoutMs` (none: no limit).
   * `followUp`: the wait is a bot's Follow-up Response Timeout, which a tester may fire early (fireFollowUpTimeout).
   */
  receive(timeoutMs?: number, { followUp = false }: { followUp?: boolean } = {}): Promise<ReceiveResult> {
    this.settleCurrent(true);
    if (this.abandoned) return Promise.resolve({ kind: "abandoned" });
    if (this.fromBot.length > 0) return Promise.resolve({ kind: "bot", item: this.fromBot.shift() });
    const next = this.pending.shift();
    if (next) {
      this.current = next;
      return Promise.resolve({ kind: "input", input: next.input });
    }
    this.status = "waiting";
    this.notifyIdle();
    return new Promise<ReceiveResult>((resolve) => {
      const timer = timeoutMs === undefined ? undefined : setTimeout(() => this.wake({ kind: "timeout" }), timeoutMs);
      timer?.unref();
      this.waiter = { resolve, timer, followUp };
    });
  }

  /** Fires the Follow-up Response Timeout the flow waits out now; false when it is not waiting for one. */
  fireFollowUpTimeout(): boolean {
    if (!this.waiter?.followUp || this.pending.length > 0) return false;
    this.wake({ kind: "timeout", fired: true });
    return true;
  }

  /** The customer left (a new conversation was started, or the emulator stops): the flow stops where it is. */
  abandon(): void {
    if (this.status === "ended") return;
    this.abandoned = true;
    this.leaving.abort();
    this.wake({ kind: "abandoned" });
  }

  get isAbandoned(): boolean {
    return this.abandoned;
  }

  get signal(): AbortSignal {
    return this.leaving.signal;
  }

  /** Marks the end; inputs the flow never read are reported unhandled. */
  end(reason: EndReason): void {
    if (this.status === "ended") return;
    this.status = "ended";
    this.endReason = reason;
    this.emit({ type: "ended", reason });
    this.settleCurrent(true);
    for (const p of this.pending.splice(0)) p.handled(false);
    if (this.waiter?.timer) clearTimeout(this.waiter.timer);
    this.waiter = undefined;
    this.notifyIdle();
  }

  /** Resolves when the flow waits for the customer or has ended. */
  whenIdle(): Promise<void> {
    if (this.status !== "running" && this.pending.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private handOver(): void {
    if (!this.waiter) return;
    const next = this.pending.shift();
    if (!next) return;
    this.current = next;
    this.wake({ kind: "input", input: next.input });
  }

  private wake(result: ReceiveResult): void {
    const waiter = this.waiter;
    if (!waiter) return;
    this.waiter = undefined;
    if (waiter.timer) clearTimeout(waiter.timer);
    this.status = "running";
    waiter.resolve(result);
  }

  private settleCurrent(handled: boolean): void {
    const current = this.current;
    this.current = undefined;
    current?.handled(handled);
  }

  private notifyIdle(): void {
    if (this.status === "running" || this.pending.length > 0) return;
    for (const resolve of this.idle.splice(0)) resolve();
  }
}
