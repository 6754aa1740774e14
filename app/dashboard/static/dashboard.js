// The dashboard page: polls /status, draws the chart and sends the control requests.

import { ApiError, getJson, sendControl, setApiToken, waitForOutcome } from "./api.js";
import { LoopChart, displayUnit } from "./chart.js";
import { TelemetryFeed } from "./feed.js";
import { formatFigures } from "./figures.js";
import { ParameterForm, SettingsPanels } from "./panels.js";

// Settings that the server renders into data attributes of <body>.
const settings = document.body.dataset;
const UNITS = JSON.parse(settings.units);
const POLL_INTERVAL_MS = Number(settings.pollIntervalMs);
// Milliseconds to wait for the runner to apply a queued command before
// reporting it as still pending. The runner reads the queue every 100 ms.
const OUTCOME_TIMEOUT_MS = 5000;
// Milliseconds a confirmation stays next to its control. Errors stay until the next request.
const NOTE_VISIBLE_MS = 6000;

const STATES_WITH_RUN = new Set(["running", "paused", "faulted"]);
const NO_RUN_TEXT = "No telemetry yet: start a run to see the loop.";
// Runner states in which each control makes sense. The server rejects the
// request with 409 outside them, so the page disables the control there.
// Speed has no entry because it is always enabled.
const ENABLED_IN = {
  start: new Set(["idle", "stopped"]),
  pause: new Set(["running"]),
  resume: new Set(["paused"]),
  reset: STATES_WITH_RUN,
  step: new Set(["paused"]),
  setpoint: STATES_WITH_RUN,
  mode: STATES_WITH_RUN,
  output: STATES_WITH_RUN,
  controller: STATES_WITH_RUN,
  disturbance: STATES_WITH_RUN,
};
// A decimal number as people type it. Anything else goes to the API as text,
// so that the API's problem details name the invalid value.
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

const $ = (selector) => document.querySelector(selector);
const chart = new LoopChart($("#chart"));
const chartMessage = $("#chart-message");
const feed = new TelemetryFeed(Number(settings.windowSteps));
let lastStatus = null;
let reads = Promise.resolve();

function valueOf(input) {
  const text = input.value.trim();
  return DECIMAL.test(text) ? Number(text) : text;
}

function unitsOf(plant) {
  return UNITS[plant] ?? { process_value: "", control_output: "" };
}

const controllerForm = new ParameterForm($("#controller-form"), $("#controller-type"), valueOf);
const disturbanceForm = new ParameterForm($("#disturbance-form"), $("#disturbance-profile"), valueOf);
const panels = new SettingsPanels(controllerForm, disturbanceForm, UNITS);

const controls = {
  start: { elements: ["#start-button"], send: () => sendControl("POST", "/control/start", {}) },
  pause: { elements: ["#pause-button"], send: () => sendControl("POST", "/control/pause") },
  resume: { elements: ["#resume-button"], send: () => sendControl("POST", "/control/resume") },
  reset: { elements: ["#reset-button"], send: () => sendControl("POST", "/control/reset", {}) },
  step: {
    elements: ["#step-count", "#step-button"],
    send: () => sendControl("POST", "/control/step", { count: valueOf($("#step-count")) }),
  },
  setpoint: {
    elements: ["#setpoint-input", "#setpoint-button"],
    send: () => sendControl("PUT", "/control/setpoint", { value: valueOf($("#setpoint-input")) }),
  },
  mode: {
    elements: ["#mode-auto", "#mode-manual"],
    send: (mode) => sendControl("PUT", "/control/mode", { mode }),
  },
  output: {
    elements: ["#output-input", "#output-button"],
    send: () => sendControl("PUT", "/control/output", { value: valueOf($("#output-input")) }),
  },
  speed: {
    elements: ["#speed-input", "#speed-button"],
    send: () => sendControl("PUT", "/control/speed", { value: valueOf($("#speed-input")) }),
  },
  controller: {
    elements: ["#controller-form select", "#controller-form input", "#controller-button"],
    // Only edited values go out: the others show the current ones, which
    // the server keeps for the same type. A new type starts from the plant's defaults.
    send: () =>
      sendControl("PUT", "/control/controller", {
        type: controllerForm.select.value,
        params: controllerForm.params({ editedOnly: true }),
      }),
    applied: (entry) => {
      controllerForm.markApplied(entry.payload.type, entry.payload.params);
      panels.reloadFrom(entry.applied_step ?? 0);
    },
  },
  disturbance: {
    elements: ["#disturbance-form select", "#disturbance-form input", "#disturbance-button"],
    // Every filled value goes out, because the server starts a new disturbance
    // from the plant's defaults, not from the current values.
    send: () =>
      sendControl("PUT", "/control/disturbance", {
        profile: disturbanceForm.select.value,
        params: disturbanceForm.params({ editedOnly: false }),
      }),
    applied: (entry) => {
      disturbanceForm.markApplied(entry.payload.profile, entry.payload.params);
      panels.reloadFrom(entry.applied_step ?? 0);
    },
  },
};

for (const [name, control] of Object.entries(controls)) {
  control.elements = control.elements.flatMap((selector) => [...document.querySelectorAll(selector)]);
  control.message = $(`#${name}-message`);
  // Inputs with a message element of their own (data-message) show their errors there.
  control.fieldMessages = control.elements
    .filter((element) => element.dataset.message !== undefined)
    .map((element) => document.getElementById(element.dataset.message));
  control.busy = false;
}

function showMessage(element, text, kind) {
  element.textContent = text;
  element.dataset.kind = kind;
}

function showNote(control, text) {
  showMessage(control.message, text, "note");
  setTimeout(() => {
    if (control.message.textContent === text && control.message.dataset.kind === "note") {
      showMessage(control.message, "", "");
    }
  }, NOTE_VISIBLE_MS);
}

/** Show `error` beside the input it names, when that input has a message of its own, else beside the control. */
function showError(control, error) {
  const field = error instanceof ApiError ? error.field : null;
  // A hidden input belongs to another controller type or profile than the one sent.
  const invalid = control.elements.filter(
    (element) => field !== null && element.dataset.field === field && element.closest("[hidden]") === null,
  );
  for (const element of invalid) {
    element.setAttribute("aria-invalid", "true");
  }

  const own = invalid.length === 1 && invalid[0].dataset.message ? document.getElementById(invalid[0].dataset.message) : null;
  showMessage(own ?? control.message, error.message, "error");
}

function clearMessage(control) {
  for (const message of [control.message, ...control.fieldMessages]) {
    showMessage(message, "", "");
  }
  for (const element of control.elements) {
    element.removeAttribute("aria-invalid");
  }
}

/** Report what became of an accepted request: the step reached, or the journaled command's outcome. */
async function reportOutcome(control, response) {
  if (!response.location) {
    showNote(control, `Now at step ${response.body.step}.`);
    return;
  }

  const entry = await waitForOutcome(response.location, OUTCOME_TIMEOUT_MS);
  if (entry === null) {
    showNote(control, `Command ${response.body.command_id} is queued, but the runner has not applied it yet.`);
  } else if (entry.status === "rejected") {
    // A journal entry names no field today, so the rejection shows beside the
    // control. An entry that names one gets the error beside that input.
    showError(control, new ApiError(409, entry.detail, entry.field ?? null));
  } else {
    control.applied?.(entry);
    const where = entry.applied_step == null ? "" : ` at step ${entry.applied_step}`;
    showNote(control, `Applied${where}.`);
  }
}

/** Send the request of control `name`, then show its outcome beside the control. */
async function submit(name, ...args) {
  const control = controls[name];
  clearMessage(control);
  control.busy = true;
  applyEnabled();

  try {
    const response = await control.send(...args);
    await reportOutcome(control, response);
  } catch (error) {
    showError(control, error);
  } finally {
    control.busy = false;
    await refresh();
  }
}

function applyEnabled() {
  const state = lastStatus?.state;
  for (const [name, control] of Object.entries(controls)) {
    const allowed = ENABLED_IN[name];
    const enabled = state !== undefined && !control.busy && (allowed === undefined || allowed.has(state));
    for (const element of control.elements) {
      element.disabled = !enabled;
    }
  }
}

function renderExports(runId) {
  for (const link of document.querySelectorAll("a[data-format]")) {
    if (runId == null) {
      link.removeAttribute("href");
      link.setAttribute("aria-disabled", "true");
    } else {
      link.href = `/telemetry/export?${new URLSearchParams({ format: link.dataset.format, run: runId })}`;
      link.removeAttribute("aria-disabled");
    }
  }
}

function renderInputs(status, units) {
  for (const span of document.querySelectorAll("[data-unit]")) {
    const unit = displayUnit(units[span.dataset.unit]);
    span.textContent = unit ? `(${unit})` : "";
  }

  const current = (value) => (value == null ? "" : `now ${Number(value.toPrecision(6))}`);
  $("#setpoint-input").placeholder = current(status.setpoint);
  $("#output-input").placeholder = current(status.control_output);
  $("#speed-input").placeholder = current(status.speed);

  // Show the runner's mode, also after a rejected change, except while a change is under way.
  if (!controls.mode.busy) {
    for (const radio of controls.mode.elements) {
      radio.checked = radio.value === status.mode;
    }
  }
}

function renderStatus(status) {
  const units = unitsOf(status.plant);
  const badge = $("#state");
  badge.textContent = status.state;
  badge.dataset.state = status.state;

  $("#run-summary").textContent =
    status.run_id == null ? "No run yet" : `Run ${status.run_id}: ${status.plant} under ${status.controller}, ${status.mode} mode`;

  for (const [name, text] of Object.entries(formatFigures(status, units))) {
    $(`#figure-${name}`).textContent = text;
  }

  renderInputs(status, units);
  renderExports(status.run_id);
  applyEnabled();
}

async function updateChart(status) {
  chart.emptyText = status.run_id == null ? NO_RUN_TEXT : `No stored steps of run ${status.run_id} yet.`;
  try {
    await feed.refresh(status);
    chartMessage.textContent = "";
  } catch (error) {
    chartMessage.textContent = `Telemetry not updated: ${error.message}`;
  }
  chart.update(feed.points, unitsOf(status.plant));
}

async function refreshOnce() {
  let status;
  try {
    status = await getJson("/status");
  } catch (error) {
    $("#connection").textContent = `Status not updated: ${error.message}. Retrying.`;
    return;
  }

  $("#connection").textContent = "";
  lastStatus = status;
  renderStatus(status);
  await panels.update(status);
  await updateChart(status);
}

/** Read /status and telemetry once the reads under way have finished.
 *
 * So the read after a control request starts once the request took effect,
 * instead of joining a read that started before it.
 */
function refresh() {
  // The caller of the failed read saw its error, so the queue goes on.
  reads = reads.catch(() => undefined).then(refreshOnce);
  return reads;
}

async function poll() {
  try {
    await refresh();
  } finally {
    setTimeout(poll, POLL_INTERVAL_MS);
  }
}

function wireControls() {
  for (const button of document.querySelectorAll("button[data-action]")) {
    button.addEventListener("click", () => submit(button.dataset.action));
  }

  for (const name of ["step", "setpoint", "output", "speed", "controller", "disturbance"]) {
    $(`#${name}-form`).addEventListener("submit", (event) => {
      event.preventDefault();
      submit(name);
    });
  }

  for (const radio of controls.mode.elements) {
    radio.addEventListener("change", () => submit("mode", radio.value));
  }

  for (const input of document.querySelectorAll("input[data-field], select[data-field]")) {
    input.addEventListener("input", () => input.removeAttribute("aria-invalid"));
  }

  // Opening a panel reads the run's values again, in case another client changed them.
  for (const panel of document.querySelectorAll("details.panel")) {
    panel.addEventListener("toggle", () => {
      if (panel.open) {
        panels.reloadFrom();
        refresh();
      }
    });
  }

  const tokenForm = document.querySelector("#token-form");
  if (tokenForm) {
    tokenForm.addEventListener("submit", (event) => {
      event.preventDefault();
      const token = $("#token-input").value.trim();
      setApiToken(token);
      $("#token-input").value = "";
      $("#token-message").textContent = token ? "Token set for this tab." : "Token cleared.";
    });
  }

  $("#window-select").addEventListener("change", (event) => {
    feed.setWindow(Number(event.target.value));
    refresh();
  });
}

// Read-only access to the chart for tests and for the browser console.
window.loopsimChart = {
  series: () => chart.series(),
  toPixel: (axis, simTime, value) => chart.toPixel(axis, simTime, value),
  emptyText: () => chart.emptyText,
};

wireControls();
poll();
