import { type ConditionDef } from "../../service/src/bots/definition";
import { evaluateCondition } from "../../service/src/engine/conditions";

const scope = {
  vars: { topic: "Return", count: 3, confirmed: true, empty: "", order: "A-12340" },
  params: { customerTier: "gold", age: "42", blank: "" },
  language: "de-de",
};
const holds = (c: ConditionDef) => evaluateCondition(c, scope);

describe("evaluateCondition", () => {
  it("equals compares leniently: case, whitespace, numbers and booleans as text", () => {
    expect(holds({ ref: "vars.topic", equals: "return" })).toBe(true);
    expect(holds({ ref: "vars.topic", equals: "order" })).toBe(false);
    expect(holds({ ref: "vars.count", equals: 3 })).toBe(true);
    expect(holds({ ref: "vars.count", equals: "3" })).toBe(true);
    expect(holds({ ref: "vars.confirmed", equals: true })).toBe(true);
    expect(holds({ ref: "vars.confirmed", equals: "TRUE" })).toBe(true);
    expect(holds({ ref: "params.age", equals: 42 })).toBe(true);
    expect(holds({ ref: "language", equals: "de-de" })).toBe(true);
  });

  it("in, matches, exists", () => {
    expect(holds({ ref: "params.customerTier", in: ["gold", "platinum"] })).toBe(true);
    expect(holds({ ref: "params.customerTier", in: ["standard"] })).toBe(false);
    expect(holds({ ref: "vars.order", matches: "0$" })).toBe(true);
    expect(holds({ ref: "vars.order", matches: "^b" })).toBe(false);
    expect(holds({ ref: "vars.missing", matches: ".*" })).toBe(false);
    expect(holds({ ref: "params.customerTier", exists: true })).toBe(true);
    expect(holds({ ref: "params.blank", exists: true })).toBe(false);
    expect(holds({ ref: "params.nope", exists: false })).toBe(true);
    expect(holds({ ref: "vars.empty", exists: false })).toBe(true);
  });

  it("greaterThan and lessThan read numbers from text (Architect sends strings)", () => {
    expect(holds({ ref: "params.age", greaterThan: 40, lessThan: 50 })).toBe(true);
    expect(holds({ ref: "params.age", greaterThan: 42 })).toBe(false);
    expect(holds({ ref: "vars.count", lessThan: 3 })).toBe(false);
    expect(holds({ ref: "vars.topic", greaterThan: 0 })).toBe(false);
    expect(holds({ ref: "params.blank", lessThan: 1 })).toBe(false);
  });

  it("every operator given must hold", () => {
    expect(holds({ ref: "params.customerTier", exists: true, equals: "gold" })).toBe(true);
    expect(holds({ ref: "params.customerTier", exists: true, equals: "silver" })).toBe(false);
  });

  it("all, any and not combine conditions", () => {
    const gold: ConditionDef = { ref: "params.customerTier", equals: "gold" };
    const order: ConditionDef = { ref: "vars.topic", equals: "order" };
    expect(holds({ all: [gold, { not: order }] })).toBe(true);
    expect(holds({ all: [gold, order] })).toBe(false);
    expect(holds({ any: [order, gold] })).toBe(true);
    expect(holds({ any: [order, { not: gold }] })).toBe(false);
  });

  it("does not read Object prototype properties as values", () => {
    expect(holds({ ref: "vars.constructor", exists: true })).toBe(false);
    expect(holds({ ref: "params.toString", exists: false })).toBe(true);
  });
});
