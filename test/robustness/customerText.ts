/**
 * Every function that does work on what a customer (or an upstream agent, or Architect's session variables) sends,
 * in one table: the property tests run each on adversarial strings and check that the work is linear and bounded.
 * A new function that touches customer text belongs in this list.
 *
 * Each entry takes one string and puts it where that function meets customer input: typed text, a button's text and
 * payload, an answer of every question type of the sample bot, a slot value of every Genesys type, a template value,
 * a condition's value, a parameter, an upstream agent's reply, the transcript, hand-over attributes, the log line.
 */
import { Writable } from "node:stream";
import pino from "pino";
import { type AnswerDef, type ConditionDef, type NodeDef, SLOT_TYPES } from "../../service/src/bots/definition";
import { chooseLanguage, normalizeWords } from "../../service/src/bots/localize";
import { renderTemplate } from "../../service/src/bots/template";
import { parseAnswer, parseNumber, parseYesNo } from "../../service/src/engine/answers";
import { MAX_DATE_TEXT, parseDate } from "../../service/src/engine/dates";
import { phraseOf, saysExactly, saysWithin, tokens, utteranceOf } from "../../service/src/engine/matching";
import { numberFromWords } from "../../service/src/engine/numberWords";
import { evaluateCondition } from "../../service/src/engine/conditions";
import { splitPayload } from "../../service/src/engine/content";
import { runTurn } from "../../service/src/engine/engine";
import { formatSlotValue } from "../../service/src/engine/slots";
import { type SessionState } from "../../service/src/engine/state";
import { appendTranscript } from "../../service/src/engine/transcript";
import { handoverAttributes } from "../../service/src/handover/attributes";
import { bindLogger } from "../../service/src/observability/logger";
import { toTurnRequest, v1TurnId } from "../../service/src/protocol/request";
import { type TurnInput } from "../../service/src/protocol/types";
import { admitParameters } from "../../service/src/sessions/limits";
import { capTurnInput } from "../../service/src/turn";
import { checkUpstreamReply } from "../../service/src/upstream/reply";
import { loadSampleBot, runnable } from "../bots/fixtures";
import { NOW, turnRequest } from "../engine/chat";

export interface TextFunction {
  name: string;
  run(text: string): unknown;
  /**
   * A function that refuses texts longer than this without scanning them (a date is never longer than
   * MAX_DATE_TEXT): the library behind it may scan a short text more than linearly, but its work is bounded by
   * the cap, not by the customer.
   */
  inputCap?: number;
}

const definition = loadSampleBot();
const bot = runnable(definition);
const answerContext = { language: "en-us", defaultLanguage: definition.defaultLanguage, now: NOW, timeZone: definition.timeZone ?? "UTC" };
const agentPhrase = phraseOf("speak to a real person", "en-us");

/** Every question of the sample bot (each answer type it uses) and the conditions of its branches. */
const questions = Object.entries(definition.nodes).filter(([, node]) => node.question ?? node.optionalQuestion) as Array<[string, NodeDef]>;
const answerDefs: AnswerDef[] = questions.map(([, node]) => (node.question ?? node.optionalQuestion)!.answer);
const conditions: ConditionDef[] = Object.values(definition.nodes).flatMap((node) => node.branch?.cases.map((c) => c.when) ?? []);

/** Answer types the sample bot does not use, so each type's parser is covered whatever the sample holds. */
const EXTRA_ANSWERS: AnswerDef[] = [
  { type: "text", minLength: 2, maxLength: 50 },
  { type: "number" },
  { type: "yesNo" },
  { type: "email" },
  { type: "date" },
  { type: "choice", options: [{ value: "a", label: "Alpha", synonyms: ["first one"] }, { value: "b", label: "Beta" }] },
];

function awaiting(node: string): SessionState {
  return {
    v: 1,
    botId: definition.id,
    botVersion: definition.version,
    genesysConversationId: "conversation-1",
    language: "en-us",
    params: { customerName: "Ada" },
    vars: { orderNumber: "A-12345" },
    turns: 1,
    awaiting: { node, attempts: 0 },
  };
}

function runAtEveryQuestion(input: TurnInput): void {
  runTurn(bot, undefined, turnRequest(input), { now: NOW, transcript: { turns: 10, textChars: 200 } });
  for (const [id] of questions) runTurn(bot, awaiting(id), turnRequest(input), { now: NOW, transcript: { turns: 10, textChars: 200 } });
}

const discard = new Writable({ write: (_chunk, _encoding, done) => done() });
const turnLog = bindLogger(pino({ level: "info" }, discard), { botSessionId: "s" });

export const CUSTOMER_TEXT_FUNCTIONS: TextFunction[] = [
  { name: "normalizeWords", run: (t) => normalizeWords(t) },
  { name: "tokens", run: (t) => tokens(normalizeWords(t)) },
  ...["en-us", "de-de"].flatMap((lang): TextFunction[] => [
    { name: `utteranceOf, saysExactly, saysWithin (${lang})`, run: (t) => { const u = utteranceOf(t, lang); return [saysExactly(u, agentPhrase), saysWithin(u, agentPhrase)]; } },
    { name: `numberFromWords (${lang})`, run: (t) => numberFromWords(normalizeWords(t), lang) },
    { name: `parseNumber (${lang})`, run: (t) => parseNumber(t, lang) },
    { name: `parseYesNo (${lang})`, run: (t) => parseYesNo(t, lang) },
    { name: `parseDate (${lang})`, run: (t) => parseDate(t, lang, NOW, "Europe/Berlin"), inputCap: MAX_DATE_TEXT },
  ]),
  { name: "chooseLanguage (languageCode)", run: (t) => chooseLanguage(t, ["en-us", "de-de"], "en-us") },
  { name: "capTurnInput", run: (t) => capTurnInput(turnRequest({ kind: "button", text: t, payload: t }), 4000) },
  {
    name: "toTurnRequest and v1TurnId (the v1 adapter)",
    run: (t) =>
      v1TurnId(
        toTurnRequest(
          {
            botId: "Acme Support",
            botVersion: "1.0",
            botSessionId: "s",
            botSessionTimeout: 60,
            languageCode: "en-us",
            inputMessage: { type: "Structured", text: t, content: [{ contentType: "ButtonResponse", buttonResponse: { type: "QuickReply", text: t, payload: t } }] },
            parameters: { p: t },
          },
          t,
        ),
      ),
  },
  { name: "splitPayload (button payload)", run: (t) => splitPayload(t) },
  ...[...answerDefs, ...EXTRA_ANSWERS].map(
    (def, i): TextFunction => ({
      name: `parseAnswer ${def.type} #${i}`,
      run: (t) => [parseAnswer(def, { text: t }, answerContext), parseAnswer(def, { text: t, payload: t }, answerContext)],
    }),
  ),
  ...SLOT_TYPES.map((type): TextFunction => ({ name: `formatSlotValue ${type}`, run: (t) => formatSlotValue(type, t) })),
  {
    name: "renderTemplate with customer values",
    run: (t) => renderTemplate("Hi {{params.customerName|there}}, {{vars.answer}} ({{language}})", { vars: { answer: t }, params: { customerName: t }, language: "en-us" }),
  },
  {
    name: "evaluateCondition (every branch of the sample bot, and each operator)",
    run: (t) => {
      const scope = { vars: { orderNumber: t, answer: t }, params: { customerTier: t }, language: "en-us" };
      const all: ConditionDef[] = [...conditions, { ref: "vars.answer", equals: "x" }, { ref: "vars.answer", in: ["a", "b"] }, { ref: "vars.answer", greaterThan: 3 }, { ref: "vars.answer", matches: "^x" }];
      return all.map((c) => evaluateCondition(c, scope));
    },
  },
  { name: "runTurn: typed text at the start and at every question", run: (t) => runAtEveryQuestion({ kind: "text", text: t }) },
  { name: "runTurn: a button with this text and payload at every question", run: (t) => runAtEveryQuestion({ kind: "button", text: t, payload: t }) },
  { name: "appendTranscript", run: (t) => appendTranscript([], t, [{ type: "Text", text: t }], { turns: 10, textChars: 200 }) },
  {
    name: "handoverAttributes",
    run: (t) =>
      handoverAttributes(
        {
          genesysConversationId: "c",
          botSessionId: "s",
          bot: { id: "b", version: "1" },
          outcome: "failed",
          reason: t,
          slots: { s: t },
          variables: { v: t },
          transcript: [{ customer: t, bot: [t] }],
          at: NOW,
        },
        { prefix: "va.", valueChars: 2000 },
      ),
  },
  {
    name: "checkUpstreamReply (an agent's texts and variables)",
    run: (t) =>
      checkUpstreamReply(
        { action: "complete", messages: [{ text: t }], intent: "Done", slots: { amount: t }, variables: { v: t }, parameters: { p: t } },
        { intents: { Done: { slots: { amount: "Currency" } } }, variables: new Set(["v"]), parameters: new Set(["p"]), canReturn: false, textLimit: 4000 },
      ),
  },
  { name: "admitParameters", run: (t) => admitParameters({ a: t }, { [t]: t, b: t }, { maxParameters: 50, parameterMaxChars: 2000 }) },
  { name: "turn log line with customer text", run: (t) => turnLog.summary({ customerText: t }, "turn") },
];
