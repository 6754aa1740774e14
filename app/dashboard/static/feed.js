// The telemetry points of the current run that the chart shows: the last
// `windowSteps` steps, loaded from GET /telemetry and extended with after_step.

import { ApiError, getJson } from "./api.js";

function pointOf(record) {
  return {
    step: record.step,
    sim_time: record.sim_time,
    setpoint: record.setpoint,
    process_value: record.process_value,
    control_output: record.control_output,
  };
}

/** The points of one run, oldest first, at most `windowSteps` steps long. */
export class TelemetryFeed {
  constructor(windowSteps) {
    this.windowSteps = windowSteps;
    this.runId = null;
    this.points = [];
  }

  /** Change the number of steps shown. The next refresh reloads the points. */
  setWindow(windowSteps) {
    this.windowSteps = windowSteps;
    this.points = [];
  }

  /** Read the records that the run in `status` stored since the last refresh. */
  async refresh(status) {
    if (status.run_id == null) {
      this.runId = null;
      this.points = [];
      return;
    }

    if (status.run_id !== this.runId) {
      this.runId = status.run_id;
      this.points = [];
    }

    const last = this.points.at(-1);
    // Reload the newest steps when nothing is loaded yet or the run got more
    // than a window ahead, for example at speed 0.
    const reload = last === undefined || status.step - last.step > this.windowSteps;
    const query = new URLSearchParams({ run: this.runId, limit: this.windowSteps });
    if (!reload) {
      query.set("after_step", last.step);
    }

    const records = await this.read(query);
    const points = records.map(pointOf);
    this.points = reload ? points : this.points.concat(points);
    this.trim();
  }

  async read(query) {
    try {
      const body = await getJson(`/telemetry?${query}`);
      return body.records;
    } catch (error) {
      // A run that has just started may not be stored yet.
      if (error instanceof ApiError && error.status === 404 && error.field === "run") {
        return [];
      }
      throw error;
    }
  }

  /** Drop the points older than the window. */
  trim() {
    const last = this.points.at(-1);
    if (last === undefined) {
      return;
    }
    const first = last.step - this.windowSteps + 1;
    const start = this.points.findIndex((point) => point.step >= first);
    this.points = this.points.slice(start);
  }
}
