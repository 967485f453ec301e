/**
 * Architect expressions, as far as the flow renderer uses them (components/genesys/flow/render.ts):
 * `Message.Message.body`, `Message.Language`, `State.<variable>`, string and number literals, `NOT_SET`, the
 * functions `If`, `IsSet` and `ToString`, and `==` between two of these. Expressions are parsed when the flow loads, so a flow using anything else fails
 * at start-up with an error naming the expression, not in the middle of a conversation.
 */

export type Expression =
  | { kind: "literal"; value: string | number | boolean | undefined }
  | { kind: "variable"; name: string }
  | { kind: "messageBody" }
  | { kind: "messageLanguage" }
  | { kind: "equals"; left: Expression; right: Expression }
  | { kind: "call"; fn: KnownFunction; args: Expression[] };

const FUNCTIONS = { If: 3, IsSet: 1, ToString: 1 } as const;
type KnownFunction = keyof typeof FUNCTIONS;

export class ExpressionError extends Error {
  constructor(
    readonly expression: string,
    detail: string,
  ) {
    super(`expression ${JSON.stringify(expression)}: ${detail}`);
    this.name = "ExpressionError";
  }
}

type Token = { type: "ident" | "string" | "number" | "punct"; text: string; at: number };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i] as string;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '"') {
      let text = "";
      let j = i + 1;
      for (; j < source.length && source[j] !== '"'; j++) {
        if (source[j] === "\\" && j + 1 < source.length) j++;
        text += source[j];
      }
      if (j >= source.length) throw new ExpressionError(source, `unterminated string starting at ${i}`);
      tokens.push({ type: "string", text, at: i });
      i = j + 1;
    } else if (/[0-9]/.test(c) || (c === "-" && /[0-9]/.test(source[i + 1] ?? ""))) {
      const m = /^-?\d+(\.\d+)?/.exec(source.slice(i)) as RegExpExecArray;
      tokens.push({ type: "number", text: m[0], at: i });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*/.exec(source.slice(i)) as RegExpExecArray;
      tokens.push({ type: "ident", text: m[0], at: i });
      i += m[0].length;
    } else if (c === "(" || c === ")" || c === ",") {
      tokens.push({ type: "punct", text: c, at: i });
      i++;
    } else if (c === "=" && source[i + 1] === "=") {
      tokens.push({ type: "punct", text: "==", at: i });
      i += 2;
    } else {
      throw new ExpressionError(source, `unexpected "${c}" at ${i}`);
    }
  }
  return tokens;
}

/** Parses an expression; throws ExpressionError naming what the emulator does not know. */
export function parseExpression(source: string): Expression {
  const tokens = tokenize(source);
  let pos = 0;
  const peek = () => tokens[pos];
  const expect = (text: string) => {
    const t = tokens[pos];
    if (!t || t.text !== text) throw new ExpressionError(source, `expected "${text}"${t ? ` at ${t.at}` : " at the end"}`);
    pos++;
  };
  const parse = (): Expression => {
    const t = tokens[pos++];
    if (!t) throw new ExpressionError(source, "ends too early");
    if (t.type === "string") return { kind: "literal", value: t.text };
    if (t.type === "number") return { kind: "literal", value: Number(t.text) };
    if (t.type === "punct") throw new ExpressionError(source, `unexpected "${t.text}" at ${t.at}`);
    if (peek()?.text === "(") {
      if (!(t.text in FUNCTIONS)) {
        throw new ExpressionError(source, `the emulator does not implement the function ${t.text} (it knows ${Object.keys(FUNCTIONS).join(", ")})`);
      }
      const fn = t.text as KnownFunction;
      expect("(");
      const args: Expression[] = [];
      if (peek()?.text !== ")") {
        args.push(parse());
        while (peek()?.text === ",") {
          pos++;
          args.push(parse());
        }
      }
      expect(")");
      if (args.length !== FUNCTIONS[fn]) throw new ExpressionError(source, `${fn} takes ${FUNCTIONS[fn]} argument(s), got ${args.length}`);
      return { kind: "call", fn, args };
    }
    if (t.text === "NOT_SET") return { kind: "literal", value: undefined };
    if (t.text === "true" || t.text === "false") return { kind: "literal", value: t.text === "true" };
    // Architect's built-in names are case-insensitive; the renderer writes Message.Message.body.
    if (t.text.toLowerCase() === "message.message.body") return { kind: "messageBody" };
    if (t.text.toLowerCase() === "message.language") return { kind: "messageLanguage" };
    if (/^State\.[A-Za-z0-9_]+$/.test(t.text)) return { kind: "variable", name: t.text };
    throw new ExpressionError(source, `the emulator does not know the name ${t.text} (it knows Message.Message.body, Message.Language and State.<variable>)`);
  };
  const comparison = (): Expression => {
    const left = parse();
    if (peek()?.text !== "==") return left;
    pos++;
    return { kind: "equals", left, right: parse() };
  };
  const expression = comparison();
  if (pos < tokens.length) throw new ExpressionError(source, `unexpected "${tokens[pos]?.text}" at ${tokens[pos]?.at}`);
  return expression;
}

/** Every variable an expression reads. */
export function variablesIn(expression: Expression): string[] {
  if (expression.kind === "variable") return [expression.name];
  if (expression.kind === "equals") return [...variablesIn(expression.left), ...variablesIn(expression.right)];
  if (expression.kind === "call") return expression.args.flatMap(variablesIn);
  return [];
}

/** A flow value: a string, number, boolean, currency, collection, or undefined for NOT_SET. */
export type FlowValue = string | number | boolean | { amount: string; code: string } | FlowValue[] | undefined;

export interface ExpressionScope {
  variable(name: string): FlowValue;
  messageBody: string;
  /** The conversation's language, lower case (NOT_SET when the conversation has none). */
  messageLanguage: string | undefined;
}

/**
 * Architect's ToString. Numbers and booleans as JavaScript writes them; a datetime is kept in the ISO form the
 * emulator stores it in. Currency and collections: Architect's exact formatting is UNCONFIRMED; the emulator
 * writes `5.00 USD` and comma-separated items.
 */
export function architectToString(value: FlowValue): string | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return value.map((v) => architectToString(v) ?? "").join(",");
  if (typeof value === "object") return `${value.amount} ${value.code}`;
  return String(value);
}

export function evaluate(expression: Expression, scope: ExpressionScope): FlowValue {
  switch (expression.kind) {
    case "literal":
      return expression.value;
    case "variable":
      return scope.variable(expression.name);
    case "messageBody":
      return scope.messageBody;
    case "messageLanguage":
      return scope.messageLanguage;
    case "equals": {
      // Architect compares strings case-sensitively; comparing with NOT_SET is an error the renderer guards with IsSet.
      const [left, right] = [evaluate(expression.left, scope), evaluate(expression.right, scope)];
      if (left === undefined || right === undefined) throw new ExpressionError("==", "a NOT_SET value was compared; guard it with IsSet");
      return JSON.stringify(left) === JSON.stringify(right);
    }
    case "call": {
      const [a, b, c] = expression.args as [Expression, Expression, Expression];
      if (expression.fn === "IsSet") return evaluate(a, scope) !== undefined;
      if (expression.fn === "ToString") return architectToString(evaluate(a, scope));
      return evaluate(a, scope) === true ? evaluate(b, scope) : evaluate(c, scope);
    }
  }
}
