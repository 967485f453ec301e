/**
 * Slot values in the Digital Bot Connector's entity format (every value a string in its type's format,
 * collections under `values`), from the engine's v1 formats; and the outgoing message body built from an answer.
 */
import { type SlotType } from "../../service/src/bots/definition";
import { formatSlotValue } from "../../service/src/engine/slots";
import { toEntities } from "../../service/src/protocol/v2/entities";
import { toOutgoingMessage } from "../../service/src/protocol/v2/response";

/** What the engine would send for a raw value, as v2 would get it. */
function entity(type: SlotType, raw: unknown) {
  const value = formatSlotValue(type, raw);
  return toEntities(value === undefined ? {} : { slot: value }, { slot: type })[0];
}

describe("entities", () => {
  test.each([
    ["String", "A-12345", { value: "A-12345" }],
    ["Integer", "42", { value: "42" }],
    ["Integer", "-999999999999999", { value: "-999999999999999" }],
    ["Decimal", "42.5", { value: "42.5" }],
    ["Decimal", "1234567890123456789012", { value: "1234567890123456800000" }],
    ["Decimal", "0.0000001", { value: "0.0000001" }],
    ["Boolean", "yes", { value: "true" }],
    ["Boolean", false, { value: "false" }],
    ["Duration", "PT1H30M", { value: "PT1H30M" }],
    ["Datetime", "2026-12-01", { value: "2026-12-01T00:00:00Z" }],
    ["Datetime", "2026-12-01T10:00:00+02:00", { value: "2026-12-01T08:00:00Z" }],
    ["Currency", "10.50 USD", { value: '{"amount":10.50,"code":"USD"}' }],
    ["Currency", { amount: "3.49", code: "eur" }, { value: '{"amount":3.49,"code":"EUR"}' }],
    ["StringCollection", ["flour", "sugar"], { values: ["flour", "sugar"] }],
    ["IntegerCollection", "6, 12, 24", { values: ["6", "12", "24"] }],
    ["BooleanCollection", [true, "no"], { values: ["true", "false"] }],
    ["CurrencyCollection", ["3.49|USD", "2.99|USD"], { values: ['{"amount":3.49,"code":"USD"}', '{"amount":2.99,"code":"USD"}'] }],
    ["DatetimeCollection", ["2024-02-01T10:00:00Z"], { values: ["2024-02-01T10:00:00Z"] }],
  ] as Array<[SlotType, unknown, { value?: string; values?: string[] }]>)("%s %j → %j", (type, raw, expected) => {
    expect(entity(type, raw)).toEqual({ name: "slot", type, ...expected });
  });

  test("a Currency entity is valid JSON text with amount and code, as Architect parses it", () => {
    const e = entity("Currency", "10.50 USD");
    expect(JSON.parse(e?.value as string)).toEqual({ amount: 10.5, code: "USD" });
  });

  test("entities follow the intent's declaration order; undeclared slots are left out", () => {
    const declared: Record<string, SlotType> = { b: "Integer", a: "String" };
    expect(toEntities({ a: "x", b: 2, extra: "dropped" }, declared)).toEqual([
      { name: "b", type: "Integer", value: "2" },
      { name: "a", type: "String", value: "x" },
    ]);
  });

  test("the outgoing body names the session as Genesys sent it, and errorInfo in the Platform API model's keys", () => {
    const body = toOutgoingMessage(
      { botId: "acme-support", botVersion: "1.0", botSessionId: "s-1", languageCode: "en-us" },
      { botState: "Failed", replyMessages: [], errorInfo: { errorCode: "UPSTREAM_TIMEOUT", errorMessage: "no answer" } },
    );
    expect(body).toEqual({
      botId: "acme-support",
      botVersion: "1.0",
      botSessionId: "s-1",
      languageCode: "en-us",
      botState: "Failed",
      errorInfo: { code: "UPSTREAM_TIMEOUT", message: "no answer" },
    });
  });
});
