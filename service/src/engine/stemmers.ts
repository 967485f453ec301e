/**
 * Snowball stemmers (@orama/stemmers) per primary language subtag. Loaded with require: the package's export map
 * gives CommonJS callers its ES-module type declarations, so TypeScript refuses a static import from this CommonJS
 * code, while its `require` condition loads the package's own CommonJS build at run time.
 */
type Stemmer = (word: string) => string;

/* eslint-disable @typescript-eslint/no-require-imports */
export const STEMMERS: ReadonlyMap<string, Stemmer> = new Map<string, Stemmer>([
  ["en", (require("@orama/stemmers/english") as { stemmer: Stemmer }).stemmer],
  ["de", (require("@orama/stemmers/german") as { stemmer: Stemmer }).stemmer],
  ["fr", (require("@orama/stemmers/french") as { stemmer: Stemmer }).stemmer],
  ["es", (require("@orama/stemmers/spanish") as { stemmer: Stemmer }).stemmer],
  ["it", (require("@orama/stemmers/italian") as { stemmer: Stemmer }).stemmer],
  ["nl", (require("@orama/stemmers/dutch") as { stemmer: Stemmer }).stemmer],
  ["pt", (require("@orama/stemmers/portuguese") as { stemmer: Stemmer }).stemmer],
]);
/* eslint-enable @typescript-eslint/no-require-imports */
