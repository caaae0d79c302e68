// The gradtrace playground: plain JavaScript, no build step. Everything it shows comes from
// this service's API (same origin); the problem lives in the form and in the URL fragment, so
// a permalink reproduces the view with no server state.
"use strict";

const $ = (id) => document.getElementById(id);

const state = {
  algorithms: [],   // GET /v1/algorithms
  examples: [],     // GET /v1/examples
  base: {},         // the last problem loaded: keys the form does not show are kept from it
  solution: null,   // the last POST /v1/solve?detail=lines
  step: 0,          // the update shown (0-based), or -1 for every update
  configurations: [], // the comparison's configurations
  compared: null,   // the last POST /v1/compare
};

// ---- requests ---------------------------------------------------------------------------

async function post(path, body, accept) {
  const response = await fetch(path, {
    method: "POST",
    headers: { "content-type": "application/json", accept: accept || "application/json" },
    body: JSON.stringify(body),
  });
  const type = response.headers.get("content-type") || "";
  const payload = type.includes("json") && !type.includes("ndjson")
    ? await response.json() : await response.text();
  return { ok: response.ok, status: response.status, payload };
}

// A problem+json as one sentence: its detail and each pointer's complaint.
function problemText(problem) {
  if (typeof problem === "string") return problem;
  const errors = (problem.errors || []).map((e) => `${e.pointer || "(body)"} ${e.detail}`);
  return [problem.detail || problem.title, ...errors].filter(Boolean).join(" · ");
}

function setStatus(id, text, isError) {
  const el = $(id);
  el.textContent = text;
  el.classList.toggle("error", Boolean(isError));
}

// ---- the form ---------------------------------------------------------------------------

function algorithmEntry(name) {
  return state.algorithms.find((a) => a.name === name) || state.algorithms[0];
}

function numbers(text) {
  return text.split(/[\s,;]+/).filter(Boolean).map(Number);
}

function renderHyperparameters(values) {
  const fieldset = $("hyperparameters");
  fieldset.querySelectorAll(".field").forEach((f) => f.remove());
  const entry = algorithmEntry($("algorithm").value);
  $("algorithm-summary").textContent = entry ? entry.summary : "";
  if (!entry) return;
  for (const h of entry.hyperparameters) {
    const field = document.createElement("div");
    field.className = "field";
    const label = document.createElement("label");
    label.htmlFor = `hp-${h.name}`;
    const range = h.range ? ` (${h.range})` : "";
    label.textContent = `${h.name}${range}${h.required ? ", required" : ""}`;
    label.title = h.description;
    let input;
    if (h.enum) {
      input = document.createElement("select");
      const none = new Option(h.default != null ? `default (${h.default})` : "—", "");
      input.append(none, ...h.enum.map((v) => new Option(v, v)));
    } else {
      input = document.createElement("input");
      input.type = "number";
      input.step = "any";
      if (h.default != null) input.placeholder = `default ${h.default}`;
    }
    input.id = `hp-${h.name}`;
    input.dataset.name = h.name;
    input.dataset.type = h.type;
    const value = values ? values[h.name] : undefined;
    if (value !== undefined && value !== null) input.value = String(value);
    field.append(label, input);
    fieldset.append(field);
  }
  const bc = entry.bias_correction || {};
  $("bias-correction").disabled = !bc.applies;
}

// The problem as the form says it, over the keys of the problem last loaded.
function formProblem() {
  const p = JSON.parse(JSON.stringify(state.base));
  p.samples = $("samples").value.split("\n").map((l) => numbers(l)).filter((r) => r.length)
    .map((r) => ({ x: r.slice(0, -1), t: r[r.length - 1] }));
  p.weights = numbers($("weights").value);
  const bias = $("bias").value.trim();
  if (bias === "") delete p.bias; else p.bias = Number(bias);
  p.algorithm = $("algorithm").value;
  const hyperparameters = {};
  $("hyperparameters").querySelectorAll("[data-name]").forEach((input) => {
    const v = input.value.trim();
    if (v === "") return;
    hyperparameters[input.dataset.name] = input.dataset.type === "string" ? v : Number(v);
  });
  p.hyperparameters = hyperparameters;
  const optional = { epochs: $("epochs").value, batch_size: $("batch-size").value };
  for (const [key, v] of Object.entries(optional)) {
    if (v.trim() === "") delete p[key]; else p[key] = Number(v);
  }
  if (!$("bias-correction").disabled) p.bias_correction = $("bias-correction").checked;
  const sign = $("sign").value;
  p.conventions = Object.assign({}, p.conventions);
  if (sign) p.conventions.sign = sign; else delete p.conventions.sign;
  if (Object.keys(p.conventions).length === 0) delete p.conventions;
  const schedule = $("schedule").value.trim();
  if (schedule === "") delete p.schedule; else p.schedule = JSON.parse(schedule);
  return p;
}

function loadProblem(problem) {
  state.base = JSON.parse(JSON.stringify(problem));
  $("samples").value = (problem.samples || []).map((s) => [...s.x, s.t].join(" ")).join("\n");
  $("weights").value = (problem.weights || []).join(" ");
  $("bias").value = problem.bias == null ? "" : String(problem.bias);
  $("epochs").value = problem.epochs == null ? "" : String(problem.epochs);
  $("batch-size").value = problem.batch_size == null ? "" : String(problem.batch_size);
  $("algorithm").value = problem.algorithm || "gd";
  renderHyperparameters(problem.hyperparameters || {});
  const entry = algorithmEntry($("algorithm").value);
  const bc = (entry && entry.bias_correction) || {};
  $("bias-correction").checked = problem.bias_correction ?? Boolean(bc.default);
  $("sign").value = (problem.conventions && problem.conventions.sign) || "";
  $("schedule").value = problem.schedule ? JSON.stringify(problem.schedule) : "";
  $("problem-json").value = JSON.stringify(problem, null, 2);
}

// ---- the worked solution ------------------------------------------------------------------

function renderLine(line) {
  const li = document.createElement("li");
  li.dataset.symbol = line.symbol;
  li.dataset.latex = line.latex;
  // throwOnError off: a line KaTeX cannot read shows as a red .katex-error, which the
  // browser test looks for.
  window.katex.render(line.latex, li, { throwOnError: false, output: "htmlAndMathml" });
  return li;
}

function renderStep(step) {
  const article = document.createElement("article");
  article.className = "step";
  article.id = `step-${step.index}`;
  article.dataset.index = String(step.index);
  const h = document.createElement("h3");
  const samples = step.samples.map((s) => s + 1).join(", ");
  h.textContent = `Update ${step.index} (epoch ${step.epoch}, sample${step.samples.length > 1 ? "s" : ""} ${samples})`;
  const ol = document.createElement("ol");
  ol.className = "lines";
  ol.append(...step.lines.map(renderLine));
  article.append(h, ol);
  return article;
}

function showStep(k) {
  const steps = (state.solution && state.solution.steps) || [];
  if (steps.length === 0) {
    $("steps").replaceChildren();
    $("step-label").textContent = "no updates";
    return;
  }
  state.step = k < 0 ? -1 : Math.max(0, Math.min(k, steps.length - 1));
  const all = state.step < 0;
  const shown = all ? steps : [steps[state.step]];
  $("steps").replaceChildren(...shown.map(renderStep));
  $("all").setAttribute("aria-pressed", String(all));
  $("prev").disabled = all || state.step === 0;
  $("next").disabled = all || state.step === steps.length - 1;
  $("step-label").textContent = all
    ? `all ${steps.length} updates` : `update ${state.step + 1} of ${steps.length}`;
  document.querySelectorAll("#surface .marker").forEach((m) => {
    m.classList.toggle("selected", !all && Number(m.dataset.update) === state.step + 1);
  });
  updatePermalink();
}

// ---- pictures -----------------------------------------------------------------------------

async function picture(figureId, path, body) {
  const figure = $(figureId);
  const reply = await post(path, body, "image/svg+xml");
  if (!reply.ok) {
    figure.replaceChildren(Object.assign(document.createElement("p"), {
      className: "note", textContent: `No picture: ${problemText(reply.payload)}`,
    }));
    return;
  }
  const doc = new DOMParser().parseFromString(reply.payload, "image/svg+xml");
  figure.replaceChildren(document.importNode(doc.documentElement, true));
}

// A dot of a picture chosen by click or keyboard: its update's lines (for a comparison,
// after solving that configuration's own problem).
async function onMarker(event) {
  const marker = event.target.closest("[data-update]");
  if (!marker || (event.type === "keydown" && event.key !== "Enter" && event.key !== " ")) return;
  event.preventDefault();
  const update = Number(marker.dataset.update);
  const inCompare = Boolean(marker.closest("#compare-surface, #compare-loss"));
  if (inCompare && state.compared) {
    const result = state.compared.results[Number(marker.dataset.config)];
    if (!result) return;
    loadProblem(result.problem);
    await solve(Math.max(0, update - 1));
  } else {
    showStep(Math.max(0, update - 1));
  }
  $("solution-panel").scrollIntoView({ block: "start" });
}

// ---- solving, comparing, grading ----------------------------------------------------------

async function solve(step) {
  let problem;
  try {
    problem = formProblem();
  } catch (e) {
    setStatus("status", `The schedule is not JSON: ${e.message}`, true);
    return;
  }
  $("problem-json").value = JSON.stringify(problem, null, 2);
  setStatus("status", "Solving…");
  const reply = await post("/v1/solve?detail=lines", problem);
  if (!reply.ok) {
    setStatus("status", problemText(reply.payload), true);
    return;
  }
  state.base = problem;
  state.solution = reply.payload;
  const s = reply.payload;
  const loss = s.loss && s.loss.final != null ? `, final loss ${s.loss.final.toPrecision(4)}` : "";
  setStatus("status", `${s.status}: ${s.steps.length} updates${loss}.`);
  $("warnings").replaceChildren(...s.warnings.map((w) =>
    Object.assign(document.createElement("li"), { textContent: w.message })));
  for (const id of ["solution-panel", "pictures-panel", "compare-panel", "grade-panel"]) {
    $(id).hidden = false;
  }
  if (state.configurations.length === 0) defaultConfigurations(problem);
  renderConfigurations();
  axisChoices(problem);
  await Promise.all([surface(), picture("loss", "/v1/plot/loss", problem)]);
  showStep(step == null ? 0 : step);
}

// The parameters a surface can be drawn over: the weights, then the bias.
function axisChoices(problem) {
  const sub = (n) => String(n).replace(/\d/g, (d) => "₀₁₂₃₄₅₆₇₈₉"[d]);
  const names = (problem.weights || []).map((_, i) => `w${sub(i + 1)}`);
  if (problem.bias != null) names.push("b");
  for (const [id, fallback] of [["axis-x", 0], ["axis-y", 1]]) {
    const select = $(id);
    const kept = Math.min(select.value === "" ? fallback : Number(select.value), names.length - 1);
    select.replaceChildren(...names.map((n, i) => new Option(n, String(i))));
    select.value = String(Math.max(0, kept));
  }
}

// The surface over the chosen parameters; choosing the other one's parameter swaps them.
async function surface(event) {
  const [x, y] = [$("axis-x"), $("axis-y")];
  if (x.options.length < 2) {
    $("surface").replaceChildren(Object.assign(document.createElement("p"), {
      className: "note", textContent: "A surface needs two parameters: add a weight or a bias.",
    }));
    return;
  }
  if (x.value === y.value) {
    const changed = event && event.target === y ? y : x;
    const other = changed === x ? y : x;
    const previous = changed.dataset.previous;
    other.value = previous && previous !== changed.value
      ? previous : [...other.options].find((o) => o.value !== changed.value).value;
  }
  x.dataset.previous = x.value;
  y.dataset.previous = y.value;
  const query = `?x=${x.value || 0}&y=${y.value || 1}`;
  await picture("surface", `/v1/plot/surface${query}`, state.base);
  showStep(state.step);
}

function defaultConfigurations(problem) {
  const rate = (problem.hyperparameters || {}).learning_rate;
  state.configurations = [
    { label: problem.algorithm, algorithm: problem.algorithm, hyperparameters: problem.hyperparameters || {} },
  ];
  if (problem.algorithm !== "gd") {
    state.configurations.push({ label: "gd", algorithm: "gd", hyperparameters: rate ? { learning_rate: rate } : {} });
  }
}

function renderConfigurations() {
  const rows = state.configurations.map((c, i) => {
    const row = document.createElement("div");
    row.className = "configuration-row";
    const field = (text, input) => {
      const f = document.createElement("div");
      f.className = "field";
      const label = document.createElement("label");
      label.textContent = text;
      label.htmlFor = input.id;
      f.append(label, input);
      return f;
    };
    const label = Object.assign(document.createElement("input"), { id: `cfg-${i}-label`, value: c.label || "" });
    const algorithm = document.createElement("select");
    algorithm.id = `cfg-${i}-algorithm`;
    algorithm.append(...state.algorithms.map((a) => new Option(a.name, a.name)));
    algorithm.value = c.algorithm;
    const hp = Object.assign(document.createElement("input"), {
      id: `cfg-${i}-hyperparameters`, value: JSON.stringify(c.hyperparameters || {}), spellcheck: false,
    });
    const remove = Object.assign(document.createElement("button"), { type: "button", textContent: "Remove" });
    remove.setAttribute("aria-label", `Remove configuration ${i + 1}`);
    remove.addEventListener("click", () => {
      readConfigurations();
      state.configurations.splice(i, 1);
      renderConfigurations();
    });
    row.append(field(`Label ${i + 1}`, label), field(`Algorithm ${i + 1}`, algorithm),
      field(`Hyperparameters ${i + 1} (JSON)`, hp), remove);
    return row;
  });
  $("configurations").replaceChildren(...rows);
}

function readConfigurations() {
  state.configurations = state.configurations.map((_, i) => ({
    label: $(`cfg-${i}-label`).value,
    algorithm: $(`cfg-${i}-algorithm`).value,
    hyperparameters: JSON.parse($(`cfg-${i}-hyperparameters`).value || "{}"),
  }));
}

async function compare() {
  let body;
  try {
    readConfigurations();
    const problem = formProblem();
    delete problem.algorithm;
    body = { problem, configurations: state.configurations.map((c) => Object.assign({}, c, { label: c.label || undefined })) };
  } catch (e) {
    setStatus("compare-status", `Not JSON: ${e.message}`, true);
    return;
  }
  setStatus("compare-status", "Comparing…");
  const reply = await post("/v1/compare", body);
  if (!reply.ok) {
    setStatus("compare-status", problemText(reply.payload), true);
    return;
  }
  state.compared = reply.payload;
  setStatus("compare-status", `${reply.payload.results.length} configurations compared.`);
  renderCompareTable(reply.payload);
  const parameters = (body.problem.weights || []).length + (body.problem.bias != null ? 1 : 0);
  await Promise.all([
    parameters >= 2 ? picture("compare-surface", "/v1/plot/surface", body)
      : $("compare-surface").replaceChildren(),
    picture("compare-loss", "/v1/plot/loss", body),
  ]);
  updatePermalink();
}

function table(headings, rows) {
  const t = document.createElement("table");
  const head = t.createTHead().insertRow();
  for (const h of headings) head.append(Object.assign(document.createElement("th"), { scope: "col", textContent: h }));
  const body = t.createTBody();
  for (const { cells, className, data } of rows) {
    const tr = body.insertRow();
    if (className) tr.className = className;
    Object.assign(tr.dataset, data || {});
    for (const [text, cls] of cells) {
      const td = tr.insertCell();
      td.textContent = text;
      if (cls) td.className = cls;
    }
  }
  const wrap = document.createElement("div");
  wrap.className = "table-wrap";
  wrap.append(t);
  return wrap;
}

const fmt = (v) => (v == null ? "—" : Number(v).toPrecision(4));

function renderCompareTable(compared) {
  $("compare-table").replaceChildren(table(
    ["configuration", "updates", "loss before", "loss after", "final weights"],
    compared.results.map((r) => ({
      cells: [[r.label], [String(r.updates)], [fmt(r.loss.initial)], [fmt(r.loss.final)],
        [r.final_weights.map(fmt).join(", ")]],
    })),
  ));
}

function parseAnswers(text) {
  return text.split("\n").map((l) => l.trim()).filter(Boolean).map((line) => {
    const m = line.match(/^(\d+)\s+(.+?)\s*=\s*(\S+)$/);
    if (!m) throw new Error(`"${line}" is not "update symbol = value"`);
    return { step: Number(m[1]), symbol: m[2], value: Number(m[3]) };
  });
}

async function grade() {
  let answers;
  try {
    answers = parseAnswers($("answers").value);
  } catch (e) {
    setStatus("grade-status", e.message, true);
    return;
  }
  const body = {
    problem: formProblem(),
    answers,
    tolerance: { mode: "sigfig", digits: Number($("digits").value) || 4 },
    carry_forward: $("carry").value,
  };
  setStatus("grade-status", "Grading…");
  const reply = await post("/v1/grade", body);
  if (!reply.ok) {
    setStatus("grade-status", problemText(reply.payload), true);
    return;
  }
  const g = reply.payload;
  setStatus("grade-status", `Score ${g.points} of ${g.max_points} (${Math.round(100 * g.score)}%), carrying forward: ${g.carry_forward_used}.`);
  $("grade-results").replaceChildren(table(
    ["answer", "given", "judged against", "solution", "verdict", "mistake", "feedback"],
    g.results.map((r) => ({
      className: r.correct ? "correct" : "wrong",
      data: { quantity: r.quantity, mistake: r.mistake ? r.mistake.code : "" },
      cells: [[r.name], [String(r.given)],
        [`${fmt(r.expected)}${r.carried_forward ? " (carried forward)" : ""}`],
        [fmt(r.solution_value)], [r.correct ? "✓ right" : "✗ wrong", "verdict"],
        [r.mistake ? `${r.mistake.code}: ${r.mistake.description}` : ""], [r.feedback]],
    })),
  ));
}

// ---- downloads and permalinks -------------------------------------------------------------

const DOWNLOADS = {
  json: ["/v1/solve?detail=lines", "application/json", "json"],
  ndjson: ["/v1/solve?format=ndjson", "application/x-ndjson", "ndjson"],
  markdown: ["/v1/solve?format=markdown", "text/markdown", "md"],
  latex: ["/v1/solve?format=latex&standalone=true", "application/x-latex", "tex"],
};

async function download(format) {
  const [path, type, extension] = DOWNLOADS[format];
  const reply = await post(path, formProblem(), type);
  if (!reply.ok) {
    setStatus("status", problemText(reply.payload), true);
    return;
  }
  const text = typeof reply.payload === "string" ? reply.payload : JSON.stringify(reply.payload, null, 2);
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = Object.assign(document.createElement("a"), { href: url, download: `gradtrace-solution.${extension}` });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// UTF-8 JSON in base64url, so the fragment survives any mail client.
function encodeView(view) {
  const bytes = new TextEncoder().encode(JSON.stringify(view));
  let binary = "";
  bytes.forEach((b) => { binary += String.fromCharCode(b); });
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function decodeView(text) {
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

function permalink() {
  const view = { problem: state.base, step: state.step };
  if (state.compared) view.configurations = state.configurations;
  return `${location.origin}${location.pathname}#view=${encodeView(view)}`;
}

function updatePermalink() {
  const url = permalink();
  $("permalink-url").value = url;
  history.replaceState(null, "", url);
}

async function copyPermalink() {
  const url = permalink();
  $("permalink-url").value = url;
  $("permalink-url").select();
  try {
    await navigator.clipboard.writeText(url);
    setStatus("status", "Permalink copied.");
  } catch (_) {
    setStatus("status", "Permalink selected: copy it with Ctrl+C.");
  }
}

async function openView(view) {
  loadProblem(view.problem || {});
  if (view.configurations) state.configurations = view.configurations;
  await solve(typeof view.step === "number" ? view.step : 0);
  if (view.configurations) await compare();
}

// ---- examples and start-up ----------------------------------------------------------------

async function pickExample(id) {
  const example = state.examples.find((e) => e.id === id);
  $("example-description").textContent = example ? example.description : "";
  if (!example) return;
  state.compared = null;
  state.configurations = [];
  if (example.endpoint === "/v1/compare") {
    const first = example.problem.configurations[0] || {};
    const merged = Object.assign({}, example.problem.problem, first);
    delete merged.label;
    loadProblem(merged);
    state.configurations = example.problem.configurations;
    await solve(0);
    await compare();
    return;
  }
  loadProblem(example.problem);
  if (example.id === "momentum") $("answers").value = "1 (v_1)_1 = 0.004707\n1 (w_1)_2 = 0.5009";
}

function wire() {
  $("problem-form").addEventListener("submit", (e) => { e.preventDefault(); solve(0); });
  $("example").addEventListener("change", (e) => pickExample(e.target.value));
  $("algorithm").addEventListener("change", () => renderHyperparameters(formProblem().hyperparameters));
  $("apply-json").addEventListener("click", () => {
    try {
      loadProblem(JSON.parse($("problem-json").value));
      setStatus("status", "Loaded; press Solve.");
    } catch (e) {
      setStatus("status", `Not JSON: ${e.message}`, true);
    }
  });
  $("prev").addEventListener("click", () => showStep(state.step - 1));
  $("next").addEventListener("click", () => showStep(state.step + 1));
  $("all").addEventListener("click", () => showStep(state.step < 0 ? 0 : -1));
  $("add-configuration").addEventListener("click", () => {
    readConfigurations();
    state.configurations.push({ label: "", algorithm: "gd", hyperparameters: { learning_rate: 0.1 } });
    renderConfigurations();
  });
  $("compare").addEventListener("click", compare);
  $("axis-x").addEventListener("change", surface);
  $("axis-y").addEventListener("change", surface);
  $("grade").addEventListener("click", grade);
  $("permalink").addEventListener("click", copyPermalink);
  document.querySelectorAll(".download").forEach((b) =>
    b.addEventListener("click", () => download(b.dataset.format)));
  for (const id of ["surface", "compare-surface", "compare-loss", "loss"]) {
    $(id).addEventListener("click", onMarker);
    $(id).addEventListener("keydown", onMarker);
  }
}

async function start() {
  wire();
  const [algorithms, examples] = await Promise.all([
    fetch("/v1/algorithms").then((r) => r.json()),
    fetch("/v1/examples").then((r) => r.json()),
  ]);
  state.algorithms = algorithms.algorithms;
  // The form edits one neuron (weights, bias, scalar targets): a network example would lose
  // its network to it, so those are left to the API.
  state.examples = examples.examples.filter((e) => e.endpoint !== "/v1/schedule" && !(e.problem && e.problem.network));
  $("algorithm").append(...state.algorithms.map((a) => new Option(a.name, a.name)));
  $("example").append(...state.examples.map((e) => new Option(e.title, e.id)));
  const match = location.hash.match(/^#view=([A-Za-z0-9_-]+)$/);
  if (match) {
    try {
      await openView(decodeView(match[1]));
    } catch (e) {
      setStatus("status", `The permalink cannot be read: ${e.message}`, true);
    }
  } else {
    loadProblem({ samples: [{ x: [1, 0.6], t: 0.8 }], weights: [0.5, 0.5], algorithm: "gd", hyperparameters: { learning_rate: 0.2 } });
  }
  document.body.dataset.ready = "true";
}

start();
