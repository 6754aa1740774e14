// The controller and disturbance panels: a choice (controller type or
// disturbance profile), the parameter inputs of each choice, and the values
// of the current run, read from the state of its latest stored step.

import { ApiError, getJson } from "./api.js";

const NONE = "–";
// Placeholders of empty inputs. For an empty input the server keeps the
// current value of the current controller type, and takes the plant's
// default for another type and for every disturbance parameter.
const KEEPS_CURRENT = "unchanged";
const TAKES_DEFAULT = "plant default";
// The weather file that an empty input takes: the packaged Greensboro, NC extract.
const PACKAGED_WEATHER = "packaged data";

/** Return whether the user changed `element` since the page last filled it. */
function edited(element) {
  return element.value !== (element.dataset.current ?? "");
}

/** Return the controller and disturbance stored with the run's latest step, or null while it has no step stored. */
async function readCurrentSettings(runId) {
  const query = new URLSearchParams({ run: runId, limit: 1, include_state: true });
  let body;
  try {
    body = await getJson(`/telemetry?${query}`);
  } catch (error) {
    // A run that has just started may not be stored yet.
    if (error instanceof ApiError && error.status === 404 && error.field === "run") {
      return null;
    }
    throw error;
  }

  const record = body.records.at(-1);
  if (!record?.state) {
    return null;
  }
  return { step: record.step, controller: record.state.controller, disturbance: record.state.disturbance };
}

/** Return stored disturbance parameters as a request names them.
 *
 * The state stores the weather file as the server's path inside its weather
 * folder (WEATHER_DIR), but a request names the file only, so the panel shows
 * and sends the last part of the path.
 */
function requestParams(params) {
  if (typeof params.file !== "string") {
    return params;
  }
  return { ...params, file: params.file.split(/[\\/]/).at(-1) };
}

/** A panel's form: a select of choices and a group of parameter inputs for each choice. */
export class ParameterForm {
  /** `parse` turns an input into the value to send: a number, or the text when it is no number. */
  constructor(form, select, parse) {
    this.form = form;
    this.select = select;
    this.parse = parse;
    this.groups = new Map([...form.querySelectorAll("[data-choice]")].map((group) => [group.dataset.choice, group]));
    // The choice of the current run, or null while it is unknown.
    this.current = null;
    this.select.dataset.current = this.select.value;
    this.select.addEventListener("change", () => this.showSelected());
    this.showSelected();
  }

  inputs(choice) {
    const group = this.groups.get(choice);
    return group ? [...group.querySelectorAll("input")] : [];
  }

  showSelected() {
    for (const [choice, group] of this.groups) {
      group.hidden = choice !== this.select.value;
    }
  }

  /** Show the run's `choice` and its `params` (null while unknown). Inputs the user edited keep their text. */
  setCurrent(choice, params) {
    this.current = choice;
    if (choice !== null) {
      if (!edited(this.select)) {
        this.select.value = choice;
      }
      this.select.dataset.current = choice;
      this.showSelected();
    }

    for (const group of this.groups.keys()) {
      for (const input of this.inputs(group)) {
        const value = group === choice && params ? params[input.name] : null;
        const text = value == null ? "" : String(value);
        if (!edited(input)) {
          input.value = text;
        }
        input.dataset.current = text;
      }
    }
  }

  /** Return the parameters to send for the selected choice: every filled input, or only the edited ones. */
  params({ editedOnly }) {
    const params = {};
    for (const input of this.inputs(this.select.value)) {
      const text = input.value.trim();
      if (text === "" || (editedOnly && !edited(input))) {
        continue;
      }
      params[input.name] = "text" in input.dataset ? text : this.parse(input);
    }
    return params;
  }

  /** Record that the runner applied `params` for `choice`, so the sent choice and values are the current ones. */
  markApplied(choice, params) {
    this.current = choice;
    this.select.dataset.current = choice;
    for (const input of this.inputs(choice)) {
      if (input.name in params) {
        input.dataset.current = input.value;
      }
    }
  }

  renderUnits(units) {
    for (const span of this.form.querySelectorAll("[data-param-unit]")) {
      const parts = [units?.[span.dataset.paramUnit], span.dataset.hint].filter(Boolean);
      span.textContent = parts.length > 0 ? `(${parts.join(", ")})` : "";
    }
  }

  renderPlaceholders(emptyMeans) {
    for (const group of this.groups.keys()) {
      for (const input of this.inputs(group)) {
        // The only text input is the weather file, whose default is the packaged file.
        input.placeholder = "text" in input.dataset ? PACKAGED_WEATHER : emptyMeans;
      }
    }
  }

  /** Disable the choices outside `allowed`, or none when `allowed` is null. */
  allowChoices(allowed) {
    for (const option of this.select.options) {
      option.disabled = allowed !== null && !allowed.includes(option.value);
    }
  }
}

/** Controller and disturbance panels kept in step with the run: the units of its plant and the values of its latest stored step. */
export class SettingsPanels {
  constructor(controller, disturbance, plants) {
    this.controller = controller;
    this.disturbance = disturbance;
    this.plants = plants;
    this.runId = null;
    this.loadedStep = -1;
    this.loadedController = null;
    // Values are read again once the runner has stored step minStep.
    this.reload = true;
    this.minStep = 0;
  }

  /** Read the current values again once the runner has stored `step`, for example the step a change applied at. */
  reloadFrom(step = 0) {
    this.reload = true;
    this.minStep = Math.max(this.minStep, step);
  }

  /** Bring the panels up to date with a /status document, reading the run's values when they may have changed. */
  async update(status) {
    if (status.run_id !== this.runId) {
      this.runId = status.run_id;
      this.loadedStep = -1;
      this.loadedController = null;
      this.minStep = 0;
      this.reload = true;
      this.controller.setCurrent(status.controller ?? null, null);
      this.disturbance.setCurrent(null, null);
    }

    // Another client may have switched the controller. The status and the
    // stored steps are published apart, so either may show a switch first.
    // Reading again until both agree keeps the panel from settling on a type
    // without its values.
    const known = [this.loadedController, this.controller.current];
    if (status.controller != null && known.some((type) => type !== status.controller)) {
      this.reload = true;
    }

    const stored = status.last_persisted_step;
    if (this.runId !== null && this.reload && stored != null && stored > this.loadedStep && stored >= this.minStep) {
      await this.load();
    }

    // A controller switched after the stored step has parameters the page does not know yet.
    if (status.controller != null && status.controller !== this.controller.current) {
      this.controller.setCurrent(status.controller, null);
    }
    this.render(status);
  }

  async load() {
    let settings;
    try {
      settings = await readCurrentSettings(this.runId);
    } catch (error) {
      // The inputs stay as they are and the next poll tries again. An
      // unreachable server already shows in the connection message.
      console.warn(`Current controller and disturbance not read: ${error.message}`);
      return;
    }
    if (settings === null || settings.step < this.minStep) {
      return;
    }

    this.loadedStep = settings.step;
    this.loadedController = settings.controller.type;
    this.reload = false;
    this.controller.setCurrent(settings.controller.type, settings.controller.params);
    this.disturbance.setCurrent(settings.disturbance.profile, requestParams(settings.disturbance.params));
  }

  render(status) {
    const plant = this.plants[status.plant];
    this.controller.renderUnits(plant?.parameters);
    this.disturbance.renderUnits(plant?.parameters);
    this.disturbance.allowChoices(plant?.disturbance_profiles ?? null);

    const sameType = this.controller.select.value === status.controller;
    this.controller.renderPlaceholders(sameType ? KEEPS_CURRENT : TAKES_DEFAULT);
    this.disturbance.renderPlaceholders(TAKES_DEFAULT);

    document.querySelector("#controller-current").textContent = status.controller ?? NONE;
    document.querySelector("#disturbance-current").textContent = this.disturbance.current ?? NONE;
    document.querySelector("#disturbance-meaning").textContent = plant
      ? `The value is the ${plant.disturbance} of the ${status.plant} plant.`
      : "The value is what the plant takes as its disturbance.";
  }
}
