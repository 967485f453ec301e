import { chooseLanguage, localizedText, localizedWords, normalizeWords } from "../../service/src/bots/localize";
import { evaluateTemplate, renderTemplate, TemplateSyntaxError, templateRefs } from "../../service/src/bots/template";

describe("chooseLanguage", () => {
  const langs = ["en-us", "de-de"];
  it.each([
    ["en-us", "en-us"],
    ["DE-DE", "de-de"],
    ["de_de", "de-de"],
    ["de", "de-de"],
    ["de-at", "de-de"],
    ["en-gb", "en-us"],
    ["fr-fr", "en-us"],
    [undefined, "en-us"],
    ["", "en-us"],
  ])("%s → %s", (requested, expected) => {
    expect(chooseLanguage(requested, langs, "en-us")).toBe(expected);
  });
  it("falls back to the default, not the first language", () => {
    expect(chooseLanguage("ja-jp", ["de-de", "en-us"], "en-us")).toBe("en-us");
  });
});

describe("localizedText and localizedWords", () => {
  it("picks the language, then the default, then any", () => {
    expect(localizedText("same", "de-de", "en-us")).toBe("same");
    expect(localizedText({ "en-us": "Hi", "de-de": "Hallo" }, "de-de", "en-us")).toBe("Hallo");
    expect(localizedText({ "en-us": "Hi" }, "de-de", "en-us")).toBe("Hi");
    expect(localizedText({ "fr-fr": "Salut" }, "de-de", "en-us")).toBe("Salut");
  });
  it("words per language fall back to the default language", () => {
    expect(localizedWords(["a"], "de-de", "en-us")).toEqual(["a"]);
    expect(localizedWords({ "en-us": ["agent"], "de-de": ["mensch"] }, "de-de", "en-us")).toEqual(["mensch"]);
    expect(localizedWords({ "en-us": ["agent"] }, "de-de", "en-us")).toEqual(["agent"]);
    expect(localizedWords(undefined, "de-de", "en-us")).toEqual([]);
  });
});

describe("normalizeWords", () => {
  it.each([
    ["  Yes!  ", "yes"],
    ["Überspringen", "uberspringen"],
    ["Talk   to an AGENT.", "talk to an agent"],
    ["a@b.com", "a@b.com"],
    ["¿Sí?", "si"],
    ["...", ""],
    ["- yes .", "yes"],
    [".+-. . -+.", ""],
  ])("%j → %j", (input, expected) => {
    expect(normalizeWords(input)).toBe(expected);
  });
});

describe("templates", () => {
  const scope = { vars: { n: 3, ok: true, list: ["a", "b"], empty: "" }, params: { name: "Ada" }, language: "de-de" };

  it("lists references with fallbacks and rejects bad placeholders", () => {
    expect(templateRefs("Hi {{ params.name | there }}, {{vars.n}} {{language}}")).toEqual([
      { ref: "params.name", fallback: "there" },
      { ref: "vars.n" },
      { ref: "language" },
    ]);
    expect(() => templateRefs("{{vars}}")).toThrow(TemplateSyntaxError);
    expect(() => templateRefs("{{ other.x }}")).toThrow(/placeholder "\{\{ other.x \}\}"/);
  });

  it("renders values, fallbacks and the empty string for unknown values", () => {
    expect(renderTemplate("Hi {{params.name}}, {{vars.n}} x {{vars.list}} in {{language}}", scope)).toBe("Hi Ada, 3 x a, b in de-de");
    expect(renderTemplate("Hi {{params.who|there}}{{vars.empty|!}}", scope)).toBe("Hi there!");
    expect(renderTemplate("[{{vars.missing}}]", scope)).toBe("[]");
    expect(renderTemplate("[{{vars.constructor}}] [{{params.toString}}]", scope)).toBe("[] []");
  });

  it("a template that is one reference keeps the value's type", () => {
    expect(evaluateTemplate("{{vars.n}}", scope)).toBe(3);
    expect(evaluateTemplate("{{ vars.ok }}", scope)).toBe(true);
    expect(evaluateTemplate("{{vars.n}}!", scope)).toBe("3!");
    expect(evaluateTemplate("{{vars.missing|none}}", scope)).toBe("none");
    expect(evaluateTemplate("{{vars.missing}}", scope)).toBeUndefined();
  });
});
