import {
  type AnswerDef,
  type BotDefinition,
  type CardActionDef,
  type CardDef,
  type ConditionDef,
  type LocalizedText,
  type LocalizedWords,
  type MessageDef,
  type NodeDef,
  NODE_KINDS,
  type NodeKind,
  type UpstreamNodeDef,
} from "./definition";
import { GENESYS_LIMITS, textLimitFor } from "./limits";
import { TemplateSyntaxError, templateRefs } from "./template";

/** One problem in a definition: a JSON-pointer-like path inside the file and what is wrong there. */
export interface DefinitionIssue {
  path: string;
  message: string;
}

export type Path = ReadonlyArray<string | number>;

export function pointer(path: Path): string {
  return "/" + path.map((p) => String(p).replace(/~/g, "~0").replace(/\//g, "~1")).join("/");
}

/** The kind of a node (its one kind key); validation has already ensured there is exactly one. */
export function nodeKind(node: NodeDef): NodeKind {
  const kind = NODE_KINDS.find((k) => node[k] !== undefined);
  if (!kind) throw new Error("node without a kind");
  return kind;
}

const CONTINUING: ReadonlySet<NodeKind> = new Set<NodeKind>(["say", "question", "optionalQuestion", "set"]);
const WAITING: ReadonlySet<NodeKind> = new Set<NodeKind>(["question", "optionalQuestion"]);

/** Node ids a node can lead to, with the path of the field that names each. */
export function successors(node: NodeDef): Array<{ target: string; path: Path; waits: boolean }> {
  const out: Array<{ target: string; path: Path; waits: boolean }> = [];
  const kind = NODE_KINDS.find((k) => node[k] !== undefined);
  const waits = kind !== undefined && WAITING.has(kind);
  if (node.next) out.push({ target: node.next, path: ["next"], waits });
  const question = node.question ?? node.optionalQuestion;
  if (question?.onNoMatch) out.push({ target: question.onNoMatch, path: [kind ?? "question", "onNoMatch"], waits: true });
  if (node.optionalQuestion?.skip.next) out.push({ target: node.optionalQuestion.skip.next, path: ["optionalQuestion", "skip", "next"], waits: true });
  // An agent's failure or its return of control continues in the same turn: neither waits for the customer.
  if (node.upstream?.onFailure) out.push({ target: node.upstream.onFailure, path: ["upstream", "onFailure"], waits: false });
  node.branch?.cases.forEach((c, i) => out.push({ target: c.next, path: ["branch", "cases", i, "next"], waits: false }));
  if (node.branch) out.push({ target: node.branch.default, path: ["branch", "default"], waits: false });
  return out;
}

/** How message checks report problems and check one text (its languages, templates and length). */
export interface MessageCheck {
  report(path: Path, message: string): void;
  text(path: Path, text: LocalizedText, limit: number): void;
  /** The channel limit of a message text. */
  textLimit: number;
}

function checkCard(path: Path, card: CardDef, payloads: Map<string, string>, check: MessageCheck): void {
  check.text([...path, "title"], card.title, 256);
  if (card.description) check.text([...path, "description"], card.description, 1024);
  const all: CardActionDef[] = card.defaultAction ? [card.defaultAction, ...card.actions] : card.actions;
  all.forEach((action, i) => {
    const actionPath = card.defaultAction && i === 0 ? [...path, "defaultAction"] : [...path, "actions", card.defaultAction ? i - 1 : i];
    check.text([...actionPath, "label"], action.label, 128);
    if (action.type === "postback") {
      const seen = payloads.get(action.payload);
      if (seen) check.report(actionPath, `payload "${action.payload}" is already used by ${seen}; button payloads must be unique within a card or carousel`);
      else payloads.set(action.payload, pointer(actionPath));
    }
  });
}

/**
 * The rules every message Genesys renders must keep, whoever wrote it (a bot definition or an upstream agent):
 * one form per message, quick reply payloads unique within a message, at most 10 cards in a carousel, postback
 * payloads unique within a card or carousel, and each text within its limit.
 */
export function checkMessageList(path: Path, messages: readonly MessageDef[], check: MessageCheck): void {
  messages.forEach((m, i) => {
    const mp = [...path, i];
    const forms = [m.text !== undefined || m.quickReplies !== undefined, m.card !== undefined, m.carousel !== undefined].filter(Boolean).length;
    if (forms !== 1) check.report(mp, "a message is text (optionally with quickReplies), quickReplies alone, one card, or one carousel");
    if (m.text !== undefined) check.text([...mp, "text"], m.text, check.textLimit);
    if (m.quickReplies) {
      if (m.quickReplies.length > GENESYS_LIMITS.quickRepliesPerMessage) {
        check.report([...mp, "quickReplies"], `${m.quickReplies.length} quick replies; at most ${GENESYS_LIMITS.quickRepliesPerMessage} per message`);
      }
      const seen = new Set<string>();
      m.quickReplies.forEach((qr, j) => {
        check.text([...mp, "quickReplies", j, "label"], qr.label, 128);
        if (seen.has(qr.payload)) check.report([...mp, "quickReplies", j, "payload"], `payload "${qr.payload}" repeats within the message`);
        seen.add(qr.payload);
      });
    }
    if (m.card) checkCard([...mp, "card"], m.card, new Map(), check);
    if (m.carousel) {
      if (m.carousel.length > GENESYS_LIMITS.cardsPerCarousel) {
        check.report([...mp, "carousel"], `${m.carousel.length} cards; Genesys allows at most ${GENESYS_LIMITS.cardsPerCarousel} in a carousel`);
      }
      const payloads = new Map<string, string>();
      m.carousel.forEach((card, j) => checkCard([...mp, "carousel", j], card, payloads, check));
    }
  });
}

/** True for a time zone name the runtime knows (IANA names such as Europe/Berlin, and UTC). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** Variables the service reads for itself: an upstream must never be sent one of these as its secret. */
const SERVICE_OWN_ENV = new Set(["VERIFY_TOKEN", "GENESYS_CLIENT_ID", "GENESYS_CLIENT_SECRET"]);

function isServiceOwnEnv(name: string): boolean {
  return SERVICE_OWN_ENV.has(name) || name.startsWith("AWS_");
}

/**
 * Checks what the JSON Schema cannot: references between nodes, intents and variables, languages,
 * Genesys limits, loops that would never wait for the customer, and regular expressions that do not compile.
 */
export function validateDefinition(def: BotDefinition): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
  const report = (path: Path, message: string) => issues.push({ path: pointer(path), message });

  const languages = new Set(def.languages);
  if (!languages.has(def.defaultLanguage)) {
    report(["defaultLanguage"], `"${def.defaultLanguage}" is not one of languages (${def.languages.join(", ")})`);
  }
  const textLimit = textLimitFor(def.channels ?? ["webmessaging"]);

  const intentNames = Object.keys(def.intents);
  if (intentNames.length > GENESYS_LIMITS.intentsPerVersion) {
    report(["intents"], `${intentNames.length} intents; Genesys allows at most ${GENESYS_LIMITS.intentsPerVersion} per bot version`);
  }
  for (const [name, intent] of Object.entries(def.intents)) {
    const slots = Object.keys(intent.slots ?? {});
    if (slots.length > GENESYS_LIMITS.slotsPerIntent) {
      report(["intents", name, "slots"], `${slots.length} slots; Genesys allows at most ${GENESYS_LIMITS.slotsPerIntent} per intent`);
    }
  }

  // A designed hand-over completes with a hand-over intent; where a definition names none, the default applies.
  const defaultHandover = def.defaultHandoverIntent;
  const handoverIntentProblem = (name: string): string | undefined => {
    const intent = Object.hasOwn(def.intents, name) ? def.intents[name] : undefined;
    if (!intent) return `intent "${name}" is not declared under intents`;
    return intent.handover ? undefined : `intent "${name}" is not marked handover: true`;
  };
  if (defaultHandover !== undefined) {
    const problem = handoverIntentProblem(defaultHandover);
    if (problem) report(["defaultHandoverIntent"], problem);
  }
  const needsDefaultHandover = (path: Path, what: string) => {
    if (defaultHandover === undefined) {
      report(path, `${what}, and a hand-over must complete with an intent Genesys routes: declare defaultHandoverIntent (an intent marked handover: true)`);
    }
  };
  if (def.timeZone !== undefined && !isTimeZone(def.timeZone)) {
    report(["timeZone"], `"${def.timeZone}" is not an IANA time zone such as Europe/Berlin or America/New_York`);
  }

  const declaredParams = new Set(Object.keys(def.parameters ?? {}));
  const assignedVars = new Set<string>();
  for (const node of Object.values(def.nodes)) {
    const q = node.question ?? node.optionalQuestion;
    if (q) assignedVars.add(q.var);
    for (const v of Object.keys(node.set ?? {})) assignedVars.add(v);
    for (const v of node.upstream?.variables ?? []) assignedVars.add(v);
  }

  const checkRef = (path: Path, ref: string) => {
    if (ref.startsWith("vars.") && !assignedVars.has(ref.slice(5))) {
      report(path, `"${ref}" is never set: no question or set node assigns variable "${ref.slice(5)}"`);
    } else if (ref.startsWith("params.") && !declaredParams.has(ref.slice(7))) {
      report(path, `"${ref}" is not declared under parameters (declare the Architect session variable the bot reads)`);
    }
  };
  const checkTemplate = (path: Path, template: string) => {
    try {
      for (const r of templateRefs(template)) checkRef(path, r.ref);
    } catch (err) {
      if (err instanceof TemplateSyntaxError) report(path, err.message);
      else throw err;
    }
  };
  const checkText = (path: Path, text: LocalizedText, limit = textLimit) => {
    const entries = typeof text === "string" ? [[undefined, text] as const] : Object.entries(text);
    if (typeof text !== "string") {
      for (const lang of def.languages) {
        if (text[lang] === undefined) report(path, `no text for language "${lang}" (every declared language needs one)`);
      }
    }
    for (const [lang, value] of entries) {
      const where = lang === undefined ? path : [...path, lang];
      if (lang !== undefined && !languages.has(lang)) report(where, `language "${lang}" is not one of languages (${def.languages.join(", ")})`);
      if (value.length > limit) report(where, `text of ${value.length} characters exceeds the channel limit of ${limit}`);
      checkTemplate(where, value);
    }
  };
  const checkWords = (path: Path, words: LocalizedWords) => {
    if (Array.isArray(words)) return;
    for (const lang of Object.keys(words)) {
      if (!languages.has(lang)) report([...path, lang], `language "${lang}" is not one of languages (${def.languages.join(", ")})`);
    }
  };
  const messageCheck: MessageCheck = { report, text: checkText, textLimit };
  const checkMessages = (path: Path, messages: MessageDef[]) => checkMessageList(path, messages, messageCheck);
  /** The engine adds a question's buttons to its last prompt message when that holds text or quick replies. */
  const checkQuestionButtons = (path: Path, messages: MessageDef[], added: number) => {
    const last = messages[messages.length - 1];
    const total = added + (last && !last.card && !last.carousel ? (last.quickReplies?.length ?? 0) : 0);
    if (added > 0 && total > GENESYS_LIMITS.quickRepliesPerMessage) {
      report(path, `the last message would carry ${total} quick replies (its own and the answer's buttons); at most ${GENESYS_LIMITS.quickRepliesPerMessage} per message`);
    }
  };
  const checkAnswer = (path: Path, answer: AnswerDef) => {
    switch (answer.type) {
      case "text":
        if (answer.minLength !== undefined && answer.maxLength !== undefined && answer.minLength > answer.maxLength) {
          report(path, "minLength is greater than maxLength");
        }
        break;
      case "number":
        if (answer.min !== undefined && answer.max !== undefined && answer.min > answer.max) report(path, "min is greater than max");
        break;
      case "date":
        if (answer.minDaysFromToday !== undefined && answer.maxDaysFromToday !== undefined && answer.minDaysFromToday > answer.maxDaysFromToday) {
          report(path, "minDaysFromToday is greater than maxDaysFromToday");
        }
        break;
      case "choice": {
        const values = new Set<string>();
        answer.options.forEach((o, i) => {
          if (values.has(o.value)) report([...path, "options", i, "value"], `option value "${o.value}" repeats`);
          values.add(o.value);
          checkText([...path, "options", i, "label"], o.label, 128);
          if (o.synonyms) checkWords([...path, "options", i, "synonyms"], o.synonyms);
        });
        break;
      }
      case "pattern":
        try {
          new RegExp(answer.regex, answer.flags);
        } catch (err) {
          report([...path, "regex"], `does not compile: ${(err as Error).message}`);
        }
        if (answer.example) checkText([...path, "example"], answer.example);
        break;
      case "yesNo":
      case "email":
        break;
    }
  };
  const checkCondition = (path: Path, c: ConditionDef) => {
    const keys = Object.keys(c);
    const forms = ["all", "any", "not", "ref"].filter((k) => keys.includes(k));
    if (forms.length !== 1) {
      report(path, "a condition has exactly one of all, any, not or ref");
      return;
    }
    if ("all" in c) c.all.forEach((s, i) => checkCondition([...path, "all", i], s));
    else if ("any" in c) c.any.forEach((s, i) => checkCondition([...path, "any", i], s));
    else if ("not" in c) checkCondition([...path, "not"], c.not);
    else {
      const ops = keys.filter((k) => k !== "ref");
      if (ops.length === 0) report(path, "a ref condition needs an operator: equals, in, matches, exists, greaterThan or lessThan");
      checkRef([...path, "ref"], c.ref);
      if (c.matches !== undefined) {
        try {
          new RegExp(c.matches, "i");
        } catch (err) {
          report([...path, "matches"], `does not compile: ${(err as Error).message}`);
        }
      }
    }
  };
  const checkSlotTemplates = (path: Path, intent: string, slots: Record<string, string> | undefined) => {
    const declared = (Object.hasOwn(def.intents, intent) ? def.intents[intent]?.slots : undefined) ?? {};
    for (const [slot, template] of Object.entries(slots ?? {})) {
      if (!Object.hasOwn(declared, slot)) report([...path, slot], `slot "${slot}" is not declared for intent "${intent}"`);
      checkTemplate([...path, slot], template);
    }
  };
  const checkParameters = (path: Path, params: Record<string, string> | undefined) => {
    for (const [name, template] of Object.entries(params ?? {})) checkTemplate([...path, name], template);
  };

  const usedUpstreams = new Set<string>();
  const checkUpstreamNode = (path: Path, u: UpstreamNodeDef) => {
    needsDefaultHandover(path, "an upstream agent may hand over without naming an intent");
    if (!Object.hasOwn(def.upstreams ?? {}, u.agent)) report([...path, "agent"], `upstream "${u.agent}" is not declared under upstreams`);
    usedUpstreams.add(u.agent);
    u.intents?.forEach((intent, i) => {
      if (!Object.hasOwn(def.intents, intent)) report([...path, "intents", i], `intent "${intent}" is not declared under intents`);
    });
    u.variables?.forEach((v, i) => {
      if (v === "__proto__") report([...path, "variables", i], 'variable name "__proto__" is reserved');
    });
  };

  // Own properties only: a reference to "constructor" or "__proto__" must not find Object.prototype's.
  if (!Object.hasOwn(def.nodes, def.start)) report(["start"], `node "${def.start}" does not exist`);
  def.interrupts?.forEach((intr, i) => {
    if (!Object.hasOwn(def.nodes, intr.goto)) report(["interrupts", i, "goto"], `node "${intr.goto}" does not exist`);
    if (intr.words) checkWords(["interrupts", i, "words"], intr.words);
  });
  for (const [key, text] of Object.entries(def.systemMessages ?? {})) {
    if (text !== undefined) checkText(["systemMessages", key], text);
  }
  const later = def.replyLater;
  if (later?.pleaseWait) checkText(["replyLater", "pleaseWait"], later.pleaseWait);
  if (later?.progress) checkText(["replyLater", "progress", "text"], later.progress.text);
  if (later?.busy) checkText(["replyLater", "busy"], later.busy);

  for (const [id, node] of Object.entries(def.nodes)) {
    const np: Path = ["nodes", id];
    const kinds = NODE_KINDS.filter((k) => node[k] !== undefined);
    if (kinds.length !== 1) {
      report(np, kinds.length === 0 ? `a node needs one of ${NODE_KINDS.join(", ")}` : `a node has exactly one kind, found ${kinds.join(" and ")}`);
      continue;
    }
    const kind = kinds[0] as NodeKind;
    if (CONTINUING.has(kind) && !node.next) report(np, `a ${kind} node needs next`);
    // An upstream node's next is optional: where the agent returns control, if it may.
    if (!CONTINUING.has(kind) && kind !== "upstream" && node.next) report([...np, "next"], `a ${kind} node does not continue; remove next`);
    for (const s of successors(node)) {
      if (!Object.hasOwn(def.nodes, s.target)) report([...np, ...s.path], `node "${s.target}" does not exist`);
    }
    if (node.say) checkMessages([...np, "say"], node.say);
    const question = node.question ?? node.optionalQuestion;
    // Assigning "__proto__" on a plain object changes its prototype instead of storing a value.
    if (question?.var === "__proto__") report([...np, kind, "var"], 'variable name "__proto__" is reserved');
    if (node.set && Object.hasOwn(node.set, "__proto__")) report([...np, "set", "__proto__"], 'variable name "__proto__" is reserved');
    if (question) {
      const qp: Path = [...np, kind];
      checkMessages([...qp, "prompt"], question.prompt);
      if (question.retryPrompt) checkMessages([...qp, "retryPrompt"], question.retryPrompt);
      checkAnswer([...qp, "answer"], question.answer);
      if (!question.onNoMatch) needsDefaultHandover(qp, "the question has no onNoMatch, so its last miss hands over");
      const answer = question.answer;
      const added =
        (answer.type === "choice" && answer.present !== "none" ? answer.options.length : answer.type === "yesNo" ? 2 : 0) +
        (node.optionalQuestion?.skip.button !== undefined ? 1 : 0);
      checkQuestionButtons([...qp, "prompt"], question.prompt, added);
      if (question.retryPrompt) checkQuestionButtons([...qp, "retryPrompt"], question.retryPrompt, added);
    }
    if (node.optionalQuestion) {
      const skip = node.optionalQuestion.skip;
      if (skip.words) checkWords([...np, "optionalQuestion", "skip", "words"], skip.words);
      if (skip.button) checkText([...np, "optionalQuestion", "skip", "button"], skip.button, 128);
    }
    node.branch?.cases.forEach((c, i) => checkCondition([...np, "branch", "cases", i, "when"], c.when));
    for (const [v, template] of Object.entries(node.set ?? {})) checkTemplate([...np, "set", v], template);
    if (node.complete) {
      const c = node.complete;
      if (!Object.hasOwn(def.intents, c.intent)) report([...np, "complete", "intent"], `intent "${c.intent}" is not declared under intents`);
      checkSlotTemplates([...np, "complete", "slots"], c.intent, c.slots);
      checkParameters([...np, "complete", "parameters"], c.parameters);
      if (c.say) checkMessages([...np, "complete", "say"], c.say);
    }
    if (node.handover) {
      const h = node.handover;
      if (h.intent !== undefined) {
        const problem = handoverIntentProblem(h.intent);
        if (problem) report([...np, "handover", "intent"], problem);
      } else {
        needsDefaultHandover([...np, "handover"], "the hand-over names no intent");
      }
      const intent = h.intent ?? defaultHandover;
      if (intent !== undefined) checkSlotTemplates([...np, "handover", "slots"], intent, h.slots);
      checkTemplate([...np, "handover", "reason"], h.reason);
      checkParameters([...np, "handover", "parameters"], h.parameters);
      if (h.say) checkMessages([...np, "handover", "say"], h.say);
    }
    if (node.upstream) checkUpstreamNode([...np, "upstream"], node.upstream);
  }
  for (const [name, upstream] of Object.entries(def.upstreams ?? {})) {
    if (!usedUpstreams.has(name)) report(["upstreams", name], `upstream "${name}" is declared but no upstream node uses it`);
    const secretEnv = upstream.auth.type === "bearer" ? ["tokenEnv", upstream.auth.tokenEnv] : ["secretEnv", upstream.auth.secretEnv];
    for (const [field, envName] of [["urlEnv", upstream.urlEnv], secretEnv] as const) {
      const path = field === "urlEnv" ? ["upstreams", name, "urlEnv"] : ["upstreams", name, "auth", field];
      if (isServiceOwnEnv(envName)) report(path, `${envName} belongs to the service itself; give the agent a variable of its own`);
    }
  }

  if (issues.length === 0) {
    checkReachability(def, report);
    checkLoopsWait(def, report);
    checkButtonsAnswerable(def, report);
  }
  return issues;
}

function checkReachability(def: BotDefinition, report: (path: Path, message: string) => void): void {
  const reached = new Set<string>();
  const queue = [def.start, ...(def.interrupts ?? []).map((i) => i.goto)];
  while (queue.length > 0) {
    const id = queue.pop() as string;
    if (reached.has(id)) continue;
    reached.add(id);
    const node = def.nodes[id];
    if (node) for (const s of successors(node)) queue.push(s.target);
  }
  for (const id of Object.keys(def.nodes)) {
    if (!reached.has(id)) report(["nodes", id], `node "${id}" is unreachable from start "${def.start}" and the interrupts`);
  }
}

/** A cycle through say/set/branch nodes only would run forever without waiting for the customer. */
function checkLoopsWait(def: BotDefinition, report: (path: Path, message: string) => void): void {
  const state = new Map<string, "visiting" | "done">();
  const visit = (id: string, trail: string[]): void => {
    const mark = state.get(id);
    if (mark === "done") return;
    if (mark === "visiting") {
      const cycle = [...trail.slice(trail.indexOf(id)), id];
      report(["nodes", id], `the nodes ${cycle.join(" → ")} form a loop that never waits for the customer`);
      return;
    }
    state.set(id, "visiting");
    const node = def.nodes[id];
    if (node) {
      for (const s of successors(node)) if (!s.waits) visit(s.target, [...trail, id]);
    }
    state.set(id, "done");
  };
  for (const id of Object.keys(def.nodes)) visit(id, []);
}

/** Indexes of the messages with a button the customer can press (a quick reply or a postback card action). */
function messagesWithButtons(messages: readonly MessageDef[]): number[] {
  const cards = (m: MessageDef) => [...(m.card ? [m.card] : []), ...(m.carousel ?? [])];
  return messages.flatMap((m, i) =>
    (m.quickReplies?.length ?? 0) > 0 || cards(m).some((c) => [c.defaultAction, ...c.actions].some((a) => a?.type === "postback")) ? [i] : [],
  );
}

/**
 * No dead buttons: a button sent in the turn that ends the session can never be answered (Genesys closes the bot
 * session, and the emulator page shows it disabled), so a definition that does so is refused.
 */
function checkButtonsAnswerable(def: BotDefinition, report: (path: Path, message: string) => void): void {
  const ends = new Map<string, boolean>();
  /** Every way on from this node ends the session before the customer can answer anything. */
  const endsWithoutWaiting = (id: string): boolean => {
    const known = ends.get(id);
    if (known !== undefined) return known;
    ends.set(id, false); // a loop waits somewhere (checkLoopsWait) or is reported there
    const node = def.nodes[id] as NodeDef;
    const kind = nodeKind(node);
    let result: boolean;
    if (kind === "complete" || kind === "handover") result = true;
    else if (kind === "say" || kind === "set") result = endsWithoutWaiting(node.next as string);
    else if (kind === "branch") result = successors(node).every((s) => endsWithoutWaiting(s.target));
    else result = false;
    ends.set(id, result);
    return result;
  };
  const dead = "has a button the customer can never use: the session ends in the same turn. Ask a question after it, or use a link";
  for (const [id, node] of Object.entries(def.nodes)) {
    const ending = node.complete ?? node.handover;
    const kind = node.complete ? "complete" : "handover";
    for (const i of messagesWithButtons(ending?.say ?? [])) report(["nodes", id, kind, "say", i], dead);
    if (node.say && endsWithoutWaiting(node.next as string)) for (const i of messagesWithButtons(node.say)) report(["nodes", id, "say", i], dead);
  }
}
