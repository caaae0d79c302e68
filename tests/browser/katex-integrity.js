// The vendored KaTeX (web/katex/) against the npm package's published integrity hash: the
// tarball of the version pinned in tests/katex/package-lock.json is fetched with `npm pack`
// (from npm's cache when it holds it), its sha512 compared with the lock's `integrity`, and
// every vendored file compared byte for byte with the tarball's entry. Usage: node
// katex-integrity.js (from the repository root). Prints a JSON summary; exits 1 on a mismatch.
"use strict";

const crypto = require("crypto");
const fs = require("fs");
const os = require("os");
const path = require("path");
const zlib = require("zlib");
const { execFileSync } = require("child_process");

const root = path.resolve(__dirname, "..", "..");
const lock = JSON.parse(fs.readFileSync(path.join(root, "tests/katex/package-lock.json"), "utf8"));
const { version, integrity } = lock.packages["node_modules/katex"];

// The entries of a (ustar) tar archive: name → bytes.
function untar(buffer) {
  const files = new Map();
  let at = 0;
  while (at + 512 <= buffer.length) {
    const header = buffer.subarray(at, at + 512);
    if (header.every((b) => b === 0)) break;
    const text = (from, to) => header.subarray(from, to).toString("utf8").replace(/\0.*$/s, "");
    const prefix = text(345, 500);
    const name = prefix ? `${prefix}/${text(0, 100)}` : text(0, 100);
    const size = parseInt(text(124, 136).trim() || "0", 8);
    const type = text(156, 157);
    if (type === "0" || type === "") files.set(name, buffer.subarray(at + 512, at + 512 + size));
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

function vendored(dir, prefix = "") {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? vendored(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]);
}

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "gradtrace-katex-"));
try {
  const name = execFileSync("npm", ["pack", `katex@${version}`, "--silent", "--pack-destination", scratch],
    { encoding: "utf8", cwd: scratch }).trim().split("\n").pop();
  const tarball = fs.readFileSync(path.join(scratch, name));
  const digest = `sha512-${crypto.createHash("sha512").update(tarball).digest("base64")}`;
  if (digest !== integrity) throw new Error(`katex@${version}: ${digest} is not the lock's ${integrity}`);
  const entries = untar(zlib.gunzipSync(tarball));
  const files = vendored(path.join(root, "web/katex"));
  for (const file of files) {
    const entry = file === "LICENSE" ? "package/LICENSE" : `package/dist/${file}`;
    const theirs = entries.get(entry);
    const ours = fs.readFileSync(path.join(root, "web/katex", file));
    if (!theirs || !theirs.equals(ours)) throw new Error(`web/katex/${file} differs from ${entry}`);
  }
  // Every font the CSS names first (woff2, what browsers load) is vendored.
  const css = fs.readFileSync(path.join(root, "web/katex/katex.min.css"), "utf8");
  const fonts = [...css.matchAll(/url\((fonts\/[^)]+\.woff2)\)/g)].map((m) => m[1]);
  const missing = fonts.filter((f) => !files.includes(f));
  if (fonts.length === 0 || missing.length) throw new Error(`fonts not vendored: ${missing.join(", ")}`);
  console.log(JSON.stringify({ ok: true, version, integrity, files: files.length }));
} finally {
  fs.rmSync(scratch, { recursive: true, force: true });
}
