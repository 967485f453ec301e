import { execFileSync } from "node:child_process";
import path from "node:path";
import { SLOT_TYPES, type SlotType } from "../../service/src/bots/definition";
import { formatSlotValue } from "../../service/src/engine/slots";

const f = formatSlotValue;
const SLOTS_MODULE = path.join(__dirname, "..", "..", "service", "src", "engine", "slots.ts");

describe("formatSlotValue: each Genesys slot type", () => {
  it("String: text, numbers and booleans as text, at most 32000 characters", () => {
    expect(f("String", "A-12345")).toBe("A-12345");
    expect(f("String", 42)).toBe("42");
    expect(f("String", false)).toBe("false");
    expect(f("String", "x".repeat(40000))).toHaveLength(32000);
    expect(f("String", "")).toBeUndefined();
    expect(f("String", null)).toBeUndefined();
  });

  it("Integer: whole numbers within ±999999999999999, as numbers", () => {
    expect(f("Integer", 27)).toBe(27);
    expect(f("Integer", " 27 ")).toBe(27);
    expect(f("Integer", "-5")).toBe(-5);
    expect(f("Integer", "+5")).toBe(5);
    expect(f("Integer", 999_999_999_999_999)).toBe(999_999_999_999_999);
    expect(f("Integer", "999999999999999")).toBe(999_999_999_999_999);
    for (const bad of [1_000_000_000_000_000, "1000000000000000", 2.5, "2.5", "three", NaN, true, ""]) {
      expect([bad, f("Integer", bad)]).toEqual([bad, undefined]);
    }
  });

  it("Decimal: finite numbers", () => {
    expect(f("Decimal", 3.14)).toBe(3.14);
    expect(f("Decimal", "3.14")).toBe(3.14);
    expect(f("Decimal", "-0.5")).toBe(-0.5);
    expect(f("Decimal", "7")).toBe(7);
    for (const bad of [Infinity, NaN, "3,14", "1e5", "abc", true]) expect([bad, f("Decimal", bad)]).toEqual([bad, undefined]);
  });

  it("Boolean: true/false from booleans and their words", () => {
    expect(f("Boolean", true)).toBe(true);
    expect(f("Boolean", "false")).toBe(false);
    expect(f("Boolean", " TRUE ")).toBe(true);
    expect(f("Boolean", "yes")).toBe(true);
    expect(f("Boolean", "no")).toBe(false);
    for (const bad of ["maybe", 1, 0, ""]) expect([bad, f("Boolean", bad)]).toEqual([bad, undefined]);
  });

  it("Duration: ISO 8601 without year and month components", () => {
    for (const ok of ["P1D", "PT1H30M", "-P1DT3H", "PT0.5S", "P10DT2H3M4S"]) expect(f("Duration", ok)).toBe(ok);
    for (const bad of ["P1Y", "P2M", "P", "PT", "P1DT", "1 hour", "P1W", 90]) expect([bad, f("Duration", bad)]).toEqual([bad, undefined]);
  });

  it("Datetime: ISO 8601 converted to UTC, without fractions, between 1800 and 2200", () => {
    expect(f("Datetime", "2026-12-01")).toBe("2026-12-01T00:00:00");
    expect(f("Datetime", "1955-11-05T12:00:00")).toBe("1955-11-05T12:00:00");
    expect(f("Datetime", "2026-03-10T12:00:00.123Z")).toBe("2026-03-10T12:00:00");
    expect(f("Datetime", "2026-03-10T12:00+02:00")).toBe("2026-03-10T10:00:00");
    expect(f("Datetime", "2026-03-10T23:30:00-05:00")).toBe("2026-03-11T04:30:00");
    expect(f("Datetime", "1800-01-01")).toBe("1800-01-01T00:00:00");
    expect(f("Datetime", "2200-12-31T23:59:59Z")).toBe("2200-12-31T23:59:59");
  });

  it("Datetime: rejects values outside 1800-01-01..2200-12-31, also after the conversion to UTC", () => {
    for (const bad of ["1799-12-31", "2201-01-01", "2200-12-31T23:00:00-05:00", "1800-01-01T00:30:00+01:00"]) {
      expect([bad, f("Datetime", bad)]).toEqual([bad, undefined]);
    }
  });

  it("Datetime: rejects impossible calendar days and non-dates", () => {
    for (const bad of ["2026-02-30", "2026-02-29", "2026-04-31", "2026-13-01", "2026-01-01T25:00", "tomorrow", 20260101, "01.12.2026"]) {
      expect([bad, f("Datetime", bad)]).toEqual([bad, undefined]);
    }
    expect(f("Datetime", "2028-02-29")).toBe("2028-02-29T00:00:00");
  });

  it("Datetime: a time without offset is UTC, whatever the server's time zone", () => {
    // Jest's process.env does not reach the time zone of the running process, so ask a child with TZ set.
    const inZone = (tz: string, value: string) =>
      execFileSync(
        process.execPath,
        ["-r", require.resolve("tsx/cjs"), "-e", `process.stdout.write(String(require(${JSON.stringify(SLOTS_MODULE)}).formatSlotValue("Datetime", ${JSON.stringify(value)})))`],
        { env: { ...process.env, TZ: tz }, encoding: "utf8" },
      );
    expect(inZone("America/New_York", "2026-01-15T10:00")).toBe("2026-01-15T10:00:00");
    expect(inZone("Asia/Kolkata", "2026-07-01T00:15:00")).toBe("2026-07-01T00:15:00");
    expect(inZone("Asia/Kolkata", "2026-07-01T00:15:00+05:30")).toBe("2026-06-30T18:45:00");
  });

  it("Currency: amount and upper-case ISO 4217 code", () => {
    expect(f("Currency", "17.00|USD")).toEqual({ amount: "17.00", code: "USD" });
    expect(f("Currency", "5 eur")).toEqual({ amount: "5", code: "EUR" });
    expect(f("Currency", { amount: 5, code: "chf" })).toEqual({ amount: "5", code: "CHF" });
    expect(f("Currency", { amount: "3.49", code: "USD" })).toEqual({ amount: "3.49", code: "USD" });
    for (const bad of ["17.00", "USD", "17|US", "x|USD", { amount: "a", code: "USD" }, { amount: 1, code: "EURO" }, 5]) {
      expect([bad, f("Currency", bad)]).toEqual([bad, undefined]);
    }
  });

  describe("collections", () => {
    it("take arrays or comma-separated lists, each item in the item type's format", () => {
      expect(f("StringCollection", ["alpha", "beta"])).toEqual(["alpha", "beta"]);
      expect(f("StringCollection", "alpha, beta ,")).toEqual(["alpha", "beta"]);
      expect(f("IntegerCollection", "1, 2, 3")).toEqual([1, 2, 3]);
      expect(f("IntegerCollection", 7)).toEqual([7]);
      expect(f("DecimalCollection", [1.5, "2.25"])).toEqual([1.5, 2.25]);
      expect(f("BooleanCollection", "true,no")).toEqual([true, false]);
      expect(f("DurationCollection", ["P1D", "PT2H"])).toEqual(["P1D", "PT2H"]);
      expect(f("DatetimeCollection", "2026-01-01, 2026-01-02T08:00:00Z")).toEqual(["2026-01-01T00:00:00", "2026-01-02T08:00:00"]);
      expect(f("CurrencyCollection", "5.00|USD, 6|eur")).toEqual([{ amount: "5.00", code: "USD" }, { amount: "6", code: "EUR" }]);
    });
    it("are left out whole when an item cannot be formatted, or when empty", () => {
      expect(f("IntegerCollection", "1, two")).toBeUndefined();
      expect(f("DatetimeCollection", ["2026-02-30"])).toBeUndefined();
      expect(f("StringCollection", [])).toBeUndefined();
      expect(f("StringCollection", " , ")).toBeUndefined();
    });
  });

  it("every slot type has a format and refuses an object it cannot represent", () => {
    for (const type of SLOT_TYPES as readonly SlotType[]) {
      const out = f(type, { unexpected: true });
      if (type.startsWith("String")) expect(out).toEqual(type === "String" ? '{"unexpected":true}' : ['{"unexpected":true}']);
      else expect([type, out]).toEqual([type, undefined]);
    }
  });
});
