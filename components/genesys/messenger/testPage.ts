/**
 * A standalone HTML page that loads a Messenger deployment, for trying a stack's bot in a browser. Pure: it
 * embeds the deployment's snippet (Genesys's own loader script) unchanged, and offers fields for the bot's
 * input parameters, which the page sets as Messenger custom attributes (they reach the flow as participant
 * data, where the flow reads them into the bot's session variables).
 */

export interface TestPageInput {
  /** The deployment's `snippet` output: Genesys's `<script>` loader with the deployment id and environment. */
  snippet: string;
  deploymentId: string;
  /** Page heading, e.g. "Acme Support — dev". */
  title: string;
  /** Bot input parameters (name → description) offered as custom attributes. */
  parameters?: Record<string, string>;
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string);

export function renderTestPage(input: TestPageInput): string {
  if (!/<script[\s>]/i.test(input.snippet)) throw new Error("the Messenger snippet must be the deployment's <script> loader");
  const params = Object.entries(input.parameters ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const fields = params
    .map(
      ([name, description]) =>
        `      <label>${escapeHtml(name)} <input name="${escapeHtml(name)}" autocomplete="off"></label>\n      <small>${escapeHtml(description)}</small>`,
    )
    .join("\n");
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${escapeHtml(input.title)}</title>
  <style>
    body { font: 16px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
    form { display: grid; gap: .25rem .75rem; margin: 1rem 0; }
    label { display: flex; justify-content: space-between; gap: 1rem; }
    small { color: #666; margin-bottom: .5rem; }
    code { background: #f3f3f3; padding: 0 .25rem; }
  </style>
${input.snippet.trim()}
</head>
<body>
  <h1>${escapeHtml(input.title)}</h1>
  <p>Messenger deployment <code>${escapeHtml(input.deploymentId)}</code>. Serve this page from one of the deployment's
  allowed domains; the launcher appears in the corner.</p>
${
  params.length > 0
    ? `  <form id="attributes">
      <p>Optional bot inputs, sent as custom attributes before the conversation starts:</p>
${fields}
      <button type="submit">Set attributes</button>
  </form>
  <script>
    document.getElementById("attributes").addEventListener("submit", function (event) {
      event.preventDefault();
      var customAttributes = {};
      new FormData(event.target).forEach(function (value, key) { if (value) customAttributes[key] = String(value); });
      Genesys("command", "Database.set", { messaging: { customAttributes: customAttributes } });
    });
  </script>
`
    : ""
}</body>
</html>
`;
}
