import { capTurnInput } from "../../service/src/turn";
import { turnRequest } from "../engine/chat";
import { startService, turnBody } from "../service/harness";

describe("capTurnInput: the customer text a turn processes", () => {
  test("within the cap: the same request, nothing cut", () => {
    const request = turnRequest({ kind: "button", text: "Yes", payload: "confirm#yes" });
    expect(capTurnInput(request, 100)).toEqual({ request, cut: false });
  });

  test("longer text and payload are cut to the cap; the rest is gone", () => {
    const { request, cut } = capTurnInput(turnRequest({ kind: "button", text: "a".repeat(150), payload: "b".repeat(120) }), 100);
    expect(cut).toBe(true);
    expect(request.input).toEqual({ kind: "button", text: "a".repeat(100), payload: "b".repeat(100) });
  });

  test("a cut never splits a character", () => {
    // 99 ASCII characters, then emoji (two UTF-16 units each): the unit at index 99 is a high surrogate.
    const text = "x".repeat(99) + "😀".repeat(10);
    const { request } = capTurnInput(turnRequest({ kind: "text", text }), 100);
    expect(request.input.text).toBe("x".repeat(99));
    const last = request.input.text.charCodeAt(request.input.text.length - 1);
    expect(last >= 0xd800 && last <= 0xdbff).toBe(false);
    const even = capTurnInput(turnRequest({ kind: "text", text: "😀".repeat(60) }), 100).request.input.text;
    expect(even).toBe("😀".repeat(50));
  });
});

describe("text past the cap is not logged either", () => {
  test("with LOG_CUSTOMER_TEXT, the turn line carries only what the turn processed", async () => {
    const svc = await startService({ LOG_CUSTOMER_TEXT: "true", TURN_TEXT_MAX_CHARS: "100" });
    try {
      const body = turnBody({ inputMessage: { type: "Text", text: "a".repeat(100) + "SECRET-TAIL" } });
      expect((await svc.post(body)).status).toBe(200);
      const line = svc.logs.lines.find((l) => l.msg === "turn" && l.botSessionId === body.botSessionId);
      expect(line?.customerText).toBe("a".repeat(100));
      expect(svc.logs.raw.join("\n")).not.toContain("SECRET-TAIL");
    } finally {
      await svc.close();
    }
  });
});
