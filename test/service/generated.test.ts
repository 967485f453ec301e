import { readFileSync } from "node:fs";
import path from "node:path";
import { generate, VALIDATORS } from "../../scripts/generate-validators";

describe("precompiled validators", () => {
  test.each(VALIDATORS.map((v) => [v.file, v] as const))("%s is what `npm run generate` writes from its schema", (file, entry) => {
    const committed = readFileSync(path.join(__dirname, "..", "..", "service", "src", "generated", file), "utf8");
    // A mismatch means a schema changed without `npm run generate`.
    expect(committed === generate(entry)).toBe(true);
  });
});
