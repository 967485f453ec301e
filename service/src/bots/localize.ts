import { type LocalizedText, type LocalizedWords } from "./definition";

/**
 * The bot language for a request: the exact code, else the first bot language with the same primary
 * subtag (`de` ↔ `de-de`), else the bot's default. Genesys sends lower-case codes; compare without case.
 */
export function chooseLanguage(requested: string | undefined, languages: readonly string[], defaultLanguage: string): string {
  if (!requested) return defaultLanguage;
  const wanted = requested.toLowerCase().replace(/_/g, "-");
  if (languages.includes(wanted)) return wanted;
  const primary = wanted.split("-")[0];
  return languages.find((l) => l.split("-")[0] === primary) ?? defaultLanguage;
}

export function localizedText(text: LocalizedText, language: string, defaultLanguage: string): string {
  if (typeof text === "string") return text;
  return text[language] ?? text[defaultLanguage] ?? Object.values(text)[0] ?? "";
}

export function localizedWords(words: LocalizedWords | undefined, language: string, defaultLanguage: string): string[] {
  if (!words) return [];
  if (Array.isArray(words)) return words;
  return words[language] ?? words[defaultLanguage] ?? [];
}

/** Characters trimmed from both ends of a normalised text: the separator space and edge punctuation. */
function isEdge(code: number): boolean {
  return code === 0x20 || code === 0x2e || code === 0x2b || code === 0x2d; // " " "." "+" "-"
}

/** The last text normalised and its result (see normalizeWords). */
let lastText = "";
let lastNormalized = "";

/**
 * Case-, accent- and punctuation-insensitive form used to compare what a customer typed with expected words.
 * Linear in the text's length: every pass is a single scan (the ends are trimmed by index, because a regular
 * expression such as `[.+-]+$` retries from every position of a long run of dots and costs its square).
 */
export function normalizeWords(text: string): string {
  // A turn normalises the customer's text at several steps (interrupts, skip words, choices, yes/no); the last
  // result is kept so the text is scanned once per turn.
  if (text === lastText) return lastNormalized;
  const spaced = text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}@.+-]+/gu, " ");
  let start = 0;
  let end = spaced.length;
  while (start < end && isEdge(spaced.charCodeAt(start))) start++;
  while (end > start && isEdge(spaced.charCodeAt(end - 1))) end--;
  lastText = text;
  lastNormalized = spaced.slice(start, end);
  return lastNormalized;
}
