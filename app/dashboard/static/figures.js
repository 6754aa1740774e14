// Text of the figures list, from a /status document.

import { displayUnit } from "./chart.js";

const NONE = "–";

/** Return `value` with up to 6 significant digits and no trailing zeros. */
function formatNumber(value) {
  return String(Number(value.toPrecision(6)));
}

function withUnit(value, unit) {
  if (value == null) {
    return NONE;
  }
  const label = displayUnit(unit);
  return label ? `${formatNumber(value)} ${label}` : formatNumber(value);
}

/** Return a duration in seconds as h:mm:ss. */
function formatDuration(seconds) {
  const whole = Math.floor(seconds);
  const hours = Math.floor(whole / 3600);
  const minutes = String(Math.floor((whole % 3600) / 60)).padStart(2, "0");
  const rest = String(whole % 60).padStart(2, "0");
  return `${hours}:${minutes}:${rest}`;
}

function formatSpeed(speed) {
  if (speed == null) {
    return NONE;
  }
  return speed === 0 ? "as fast as possible" : `${formatNumber(speed)} × real time`;
}

function formatLag(status) {
  if (status.persistence_lag_steps == null) {
    return NONE;
  }
  // The runner computes the seconds as lag steps times dt, so they are simulated time.
  const steps = status.persistence_lag_steps;
  return `${steps} ${steps === 1 ? "step" : "steps"} (${formatNumber(status.persistence_lag_seconds)} s simulated)`;
}

/** Return the displayed text of each figure, by figure name. */
export function formatFigures(status, units) {
  const text = (value) => (value == null ? NONE : String(value));
  return {
    run_id: text(status.run_id),
    plant: text(status.plant),
    controller: text(status.controller),
    mode: text(status.mode),
    step: text(status.step),
    sim_time: status.sim_time == null ? NONE : `${formatNumber(status.sim_time)} s (${formatDuration(status.sim_time)})`,
    dt: withUnit(status.dt, "s"),
    speed: formatSpeed(status.speed),
    setpoint: withUnit(status.setpoint, units.process_value),
    process_value: withUnit(status.process_value, units.process_value),
    control_output: withUnit(status.control_output, units.control_output),
    steps_per_second: status.steps_per_second == null ? NONE : status.steps_per_second.toFixed(1),
    queue_length: text(status.queue_length),
    history_size: text(status.history_size),
    last_persisted_step: text(status.last_persisted_step),
    persistence_lag: formatLag(status),
    uptime_seconds: status.uptime_seconds == null ? NONE : formatDuration(status.uptime_seconds),
    last_error: status.last_error || "none",
  };
}
