// Parses every LaTeX string of a corpus with KaTeX, throwOnError: true.
// Usage: node check.js CORPUS.json — the corpus is a JSON array of
// {"where": "...", "latex": "...", "display": true|false}; exits 1 listing every failure.
"use strict";
const fs = require("fs");
const katex = require("katex");

const corpus = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const failures = [];
for (const item of corpus) {
  try {
    katex.renderToString(item.latex, { throwOnError: true, displayMode: !!item.display });
  } catch (error) {
    failures.push(`${item.where}: ${error.message}\n    ${item.latex}`);
  }
}
console.log(`katex: ${corpus.length - failures.length} of ${corpus.length} LaTeX strings parse`);
if (failures.length > 0) {
  console.log(failures.join("\n"));
  process.exit(1);
}
