import { checkSlotValue } from "../../emulator/botConnector/slotValues";

const value = (type: Parameters<typeof checkSlotValue>[0], v: unknown) => {
  const check = checkSlotValue(type, v);
  return check.ok ? check.value : `rejected: ${check.reason}`;
};

describe("slot values by Genesys slot type", () => {
  test("String and Integer, within Architect's limits", () => {
    expect(value("String", "A-1")).toBe("A-1");
    expect(value("String", 5)).toBe("rejected: is not a String");
    expect(value("String", "x".repeat(32_001))).toBe("rejected: is longer than 32000 characters");
    expect(value("Integer", 27)).toBe(27);
    expect(value("Integer", "-3")).toBe(-3);
    expect(value("Integer", 2.5)).toBe("rejected: is not an Integer");
    expect(value("Integer", 1_000_000_000_000_000)).toMatch(/^rejected: is outside the Integer range/);
  });

  test("Decimal, Boolean and Duration", () => {
    expect(value("Decimal", 3.14)).toBe(3.14);
    expect(value("Decimal", "-0.012")).toBe(-0.012);
    expect(value("Decimal", "pi")).toBe("rejected: is not a Decimal");
    expect(value("Boolean", false)).toBe(false);
    expect(value("Boolean", "True")).toBe(true);
    expect(value("Boolean", "yes")).toMatch(/^rejected/);
    expect(value("Duration", "PT1H30M")).toBe("PT1H30M");
    expect(value("Duration", "-P1DT3H")).toBe("-P1DT3H");
    expect(value("Duration", "P1Y")).toMatch(/^rejected: is not an XSD Duration without years or months/);
    expect(value("Duration", "PT")).toMatch(/^rejected/);
  });

  test("Datetime: extended ISO 8601, converted to UTC, 1800..2200, real calendar days", () => {
    expect(value("Datetime", "2007-04-25T14:21:08")).toBe("2007-04-25T14:21:08.000Z");
    expect(value("Datetime", "2007-04-25T14:21:08-05:00")).toBe("2007-04-25T19:21:08.000Z");
    expect(value("Datetime", "2026-11-25")).toBe("2026-11-25T00:00:00.000Z");
    expect(value("Datetime", "2026-02-29T00:00:00Z")).toBe("rejected: is not a calendar date");
    expect(value("Datetime", "1799-12-31T23:59:59Z")).toBe("rejected: is outside 1800-01-01..2200-12-31");
    expect(value("Datetime", "tomorrow")).toMatch(/^rejected: is not an extended ISO 8601 Datetime/);
  });

  test("Currency: object, v2's escaped JSON, or the blueprint's amount|code", () => {
    expect(value("Currency", { amount: "5.00", code: "USD" })).toEqual({ amount: "5.00", code: "USD" });
    expect(value("Currency", { amount: 3.49, code: "EUR" })).toEqual({ amount: "3.49", code: "EUR" });
    expect(value("Currency", '{"amount": 3.49, "code": "USD"}')).toEqual({ amount: "3.49", code: "USD" });
    expect(value("Currency", "17.00|usd")).toEqual({ amount: "17.00", code: "USD" });
    expect(value("Currency", { amount: "5", code: "dollars" })).toBe("rejected: has no three-letter ISO 4217 code");
    expect(value("Currency", "five")).toMatch(/^rejected: is not a Currency/);
  });

  test("collections hold items of their type and name the bad item", () => {
    expect(value("StringCollection", ["alpha", "beta"])).toEqual(["alpha", "beta"]);
    expect(value("IntegerCollection", [1, "2"])).toEqual([1, 2]);
    expect(value("IntegerCollection", [1, "two"])).toBe("rejected: item 1 is not an Integer");
    expect(value("StringCollection", "alpha")).toBe("rejected: is not a list (StringCollection)");
  });
});
