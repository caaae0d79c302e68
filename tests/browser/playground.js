// Drives the playground at / in Debian's Chromium (never a downloaded browser) through
// playwright-core: usage `node playground.js BASE_URL SCREENSHOT_DIR`. Run by
// tests/browser/main.rs against the real server binary; exits non-zero on the first failure.
"use strict";

const fs = require("fs");
const os = require("os");
const path = require("path");
const { chromium } = require("playwright-core");

const [base, shots] = process.argv.slice(2);
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
const ARGS = [
  "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run",
];
const TIMEOUT = 30000;

const consoleErrors = [];
const outside = [];

function check(condition, message) {
  if (!condition) throw new Error(message);
}

// How many `selector` match once there are `expected` (or the time is up): a picture is a
// request of its own, drawn after the worked lines it belongs to.
async function count(page, selector, expected) {
  await page
    .waitForFunction(([s, n]) => document.querySelectorAll(s).length === n, [selector, expected], { timeout: TIMEOUT })
    .catch(() => {});
  return page.locator(selector).count();
}

// A fresh browser: its own new profile directory, every request and console error recorded.
async function launch() {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "gradtrace-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath, headless: true, args: ARGS, viewport: { width: 1280, height: 900 },
    acceptDownloads: true,
  });
  context.setDefaultTimeout(TIMEOUT);
  context.on("request", (request) => {
    const url = request.url();
    if (!(url.startsWith(`${base}/`) || url.startsWith("data:") || url.startsWith("blob:"))) {
      outside.push(url);
    }
  });
  const page = context.pages()[0] || (await context.newPage());
  page.on("console", (m) => { if (m.type() === "error") consoleErrors.push(m.text()); });
  page.on("pageerror", (e) => consoleErrors.push(String(e)));
  return { context, page, profile };
}

async function close({ context, profile }) {
  await context.close();
  fs.rmSync(profile, { recursive: true, force: true });
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
}

const line = (page, step, symbol) =>
  page.locator(`#step-${step} li[data-symbol="${symbol}"]`);

async function lineText(page, step, symbol) {
  const l = line(page, step, symbol);
  await l.waitFor({ state: "visible" });
  return (await l.locator(".katex-html").innerText()).replace(/[\u200b\s]/g, "");
}

async function updates(body) {
  const r = await fetch(`${base}/v1/solve?detail=values`, {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body),
  });
  return (await r.json()).steps.length;
}

async function solvedMomentum(page) {
  await page.goto(`${base}/`);
  await page.locator("body[data-ready=true]").waitFor();
  await page.selectOption("#example", "momentum");
  await page.click("#solve");
  const w = await lineText(page, 1, "(w_1)_2");
  check(w.endsWith("=0.5009"), `(w_1)_2 reads ${w}`);
  check((await page.locator(".katex-error").count()) === 0, "a KaTeX error node");
  check((await page.locator("#steps .katex").count()) >= 9, "the lines are not KaTeX");
  const example = await (await fetch(`${base}/v1/examples/momentum`)).json();
  const expected = await updates(example.problem);
  await page.locator("#surface svg").waitFor();
  const markers = await page.locator("#surface circle.marker").count();
  check(markers === expected, `${markers} markers for ${expected} updates`);
  return w;
}

async function changeBeta(page, before) {
  const v = await lineText(page, 1, "(v_1)_1");
  const latex = await line(page, 1, "(v_1)_1").getAttribute("data-latex");
  await page.fill("#hp-beta", "0.5");
  await page.click("#solve");
  await page.waitForFunction(
    (old) => {
      const li = document.querySelector('#step-1 li[data-symbol="(v_1)_1"]');
      return li && li.dataset.latex !== old;
    },
    latex,
  );
  const [v2, w2] = [await lineText(page, 1, "(v_1)_1"), await lineText(page, 1, "(w_1)_2")];
  check(v2 !== v && w2 !== before, `β 0.5 changed nothing: ${v2}, ${w2}`);
  await shot(page, "2-beta-changed");
}

async function clickMarker(page) {
  await page.selectOption("#example", "momentum");
  await page.click("#solve");
  await lineText(page, 1, "(w_1)_2");
  await page.locator('#surface circle.marker[data-update="2"]').click();
  const w = await lineText(page, 2, "(w_1)_3");
  check(/^\(w1\)3=/.test(w), `the marker shows ${w}`);
  check((await page.locator("#steps .step").count()) === 1, "one update shown");
  await page.locator('#surface circle.marker[data-update="1"]').focus();
  await page.keyboard.press("Enter");
  await lineText(page, 1, "(w_1)_2");
  await page.locator('#surface circle.marker[data-update="2"]').click();
  await lineText(page, 2, "(w_1)_3");
  await shot(page, "3-marker-clicked");
}

async function gradeWrongVelocity(page) {
  // The slip carried forward: (w_1)_2 from the student's own (v_1)_1 is right.
  await page.fill("#answers", "1 (v_1)_1 = 0.02354\n1 (w_1)_2 = 0.5047");
  await page.click("#grade");
  const row = page.locator('#grade-results tr.wrong[data-quantity="(v_1)_1"]');
  await row.waitFor();
  check((await row.getAttribute("data-mistake")) === "other_momentum_form", "no mistake named");
  const text = await row.innerText();
  check(text.includes("the other form of the velocity"), `the row reads ${text}`);
  const carried = page.locator('#grade-results tr.correct[data-quantity="(w_1)_2"]');
  check((await carried.innerText()).includes("0.5047 (carried forward)"), "not carried forward");
  await shot(page, "4-graded");
}

async function downloads(page) {
  const names = { json: "json", ndjson: "ndjson", markdown: "md", latex: "tex" };
  for (const [format, extension] of Object.entries(names)) {
    const name = `gradtrace-solution.${extension}`;
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.click(`.download[data-format=${format}]`),
    ]);
    check(download.suggestedFilename() === name, `download ${download.suggestedFilename()}`);
    const text = fs.readFileSync(await download.path(), "utf8");
    check(text.includes("0.5009"), `the ${format} download lacks (w_1)_2`);
  }
}

// The surface over the parameters chosen: w₂ across and w₁ up, then back.
async function axes(page) {
  const names = () => page.locator("#surface .axis-name").evaluateAll((n) => n.map((e) => e.dataset.name).join(","));
  check((await names()) === "w_1,w_2", "the default axes");
  // Choosing w₂ across, where w₂ was up, swaps the two.
  await page.selectOption("#axis-x", "1");
  await page.waitForFunction(() => document.querySelector("#surface .axis-name")?.dataset.name === "w_2");
  check((await names()) === "w_2,w_1", `the chosen axes: ${await names()}`);
  check((await page.inputValue("#axis-y")) === "0", "not swapped");
  await page.selectOption("#axis-y", "1");
  await page.waitForFunction(() => document.querySelector("#surface .axis-name")?.dataset.name === "w_1");
  check((await names()) === "w_1,w_2", `the axes back: ${await names()}`);
}

// A problem typed as JSON, with one weight: solved, with no surface to draw and no error.
async function oneWeight(page) {
  await page.click("details summary");
  await page.fill("#problem-json", JSON.stringify({
    samples: [{ x: [1], t: 0.5 }], weights: [0.2], algorithm: "adam",
    hyperparameters: { learning_rate: 0.1 }, epochs: 3,
  }));
  await page.click("#apply-json");
  await page.click("#solve");
  await page.locator("#surface p.note").waitFor();
  check((await count(page, "#loss circle.update", 4)) === 4, "the one-weight loss curve");
  await lineText(page, 1, "(w_1)_2");
  await page.click("details summary");
}

// Every update at once, then one again.
async function allSteps(page) {
  await page.click("#all");
  check((await page.locator("#steps .step").count()) === 2, "all steps");
  check((await page.getAttribute("#all", "aria-pressed")) === "true", "aria-pressed");
  await page.click("#all");
  check((await page.locator("#steps .step").count()) === 1, "one step again");
}

async function permalink(url, expected) {
  const fresh = await launch();
  const { page } = fresh;
  await page.goto(url);
  const w = await lineText(page, 2, "(w_1)_3");
  check(w === expected, `the permalink shows ${w}, not ${expected}`);
  check((await count(page, "#surface circle.marker", 2)) === 2, "the permalink's surface");
  check((await page.inputValue("#hp-beta")) === "0.8", "the permalink's β");
  await shot(page, "5-permalink");
  await page.selectOption("#example", "conjugate_gradient_vs_gradient_descent");
  await page.locator("#compare-surface path.optimizer-path").nth(1).waitFor();
  await page.locator("#compare-loss svg").waitFor();
  await shot(page, "6-compare");
  // A dot of conjugate gradient's path opens that configuration's own trace at its update.
  await page.locator('#compare-surface circle.marker[data-config="1"][data-update="2"]').click();
  await page.locator("#step-2").waitFor();
  check((await page.inputValue("#algorithm")) === "conjugate_gradient", "the CG trace");
  check((await page.locator("#steps .katex-error").count()) === 0, "a KaTeX error in CG");
  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
  check(overflow <= 392, `the page is ${overflow}px wide at phone width`);
  await shot(page, "7-phone");
  await close(fresh);
}

async function main() {
  fs.mkdirSync(shots, { recursive: true });
  const started = Date.now();
  const first = await launch();
  const { page } = first;
  const w = await solvedMomentum(page);
  await shot(page, "1-solved");
  await changeBeta(page, w);
  await allSteps(page);
  await axes(page);
  await oneWeight(page);
  await clickMarker(page);
  const expected = await lineText(page, 2, "(w_1)_3");
  await gradeWrongVelocity(page);
  await downloads(page);
  const url = await page.inputValue("#permalink-url");
  check(url.includes("#view="), `permalink ${url}`);
  await close(first);
  await permalink(url, expected);
  check(consoleErrors.length === 0, `console errors: ${consoleErrors.join(" | ")}`);
  check(outside.length === 0, `requests outside the service: ${outside.join(" ")}`);
  console.log(JSON.stringify({ ok: true, seconds: (Date.now() - started) / 1000, screenshots: shots }));
}

main().catch((error) => {
  console.error(error.stack || String(error));
  process.exit(1);
});
