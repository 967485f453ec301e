// The baseline: a bare node:http server that reads and parses the request body and answers a JSON
// body of the same size as the service's average answer. Plain JS so nothing but Node runs.
"use strict";
const http = require("node:http");

const size = Number(process.env.BODY_BYTES || 600);
const filler = "x".repeat(Math.max(0, size - 60));
const body = JSON.stringify({ botState: "MoreData", replymessages: [{ type: "Text", text: filler }] });

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    try {
      JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      res.writeHead(400).end();
      return;
    }
    res.writeHead(200, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(body) });
    res.end(body);
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT || 0), "127.0.0.1", () => {
  process.stdout.write(JSON.stringify({ url: `http://127.0.0.1:${server.address().port}` }) + "\n");
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
