// Canvas chart of setpoint and process value on the left axis and control
// output on the right axis, over simulated time.

// Space around the plot area for tick labels and axis titles, in CSS pixels.
const MARGIN = { left: 70, right: 78, top: 14, bottom: 46 };
const TICK_COUNT = 5;
// Fraction of a value axis's data span left free above and below the lines.
const VALUE_PADDING = 0.05;
const FONT = "12px system-ui, sans-serif";
const SERIES = ["setpoint", "process_value", "control_output"];

/** Return the unit as people write it on an axis: "degC" becomes "°C" and "1" becomes "fraction". */
export function displayUnit(unit) {
  const names = { degC: "°C", 1: "fraction" };
  return names[unit] ?? unit ?? "";
}

function withUnit(title, unit) {
  const label = displayUnit(unit);
  return label ? `${title} (${label})` : title;
}

/** Return about `count` round tick values covering [min, max], and the domain they span. */
function niceTicks(min, max, count) {
  const span = max - min;
  const rough = span / count;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= rough);

  const low = Math.floor(min / step) * step;
  const high = Math.ceil(max / step) * step;
  const ticks = [];
  for (let value = low; value <= high + step / 2; value += step) {
    ticks.push(value);
  }

  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  return { ticks, domain: [low, high], decimals };
}

/** Return [min, max] of the finite values, widened by `padding` of the span so lines stay off the frame. */
function extent(values, padding = 0) {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) {
    return [0, 1];
  }

  const min = Math.min(...finite);
  const max = Math.max(...finite);
  if (min === max) {
    const pad = Math.abs(min) * 0.05 || 1;
    return [min - pad, max + pad];
  }

  const pad = (max - min) * padding;
  return [min - pad, max + pad];
}

/** A chart drawn on a canvas. Call update() with the telemetry points, oldest first. */
export class LoopChart {
  constructor(canvas) {
    this.canvas = canvas;
    this.points = [];
    this.units = { process_value: "", control_output: "" };
    this.scales = null;
    // Text drawn while there are fewer than two points. The page replaces it
    // after the first /status response, so a running loop never reads as "no run".
    this.emptyText = "Loading…";
    new ResizeObserver(() => this.draw()).observe(canvas);
  }

  /** Replace the points and units, then redraw. */
  update(points, units) {
    this.points = points;
    this.units = units;
    this.draw();
    this.describe();
  }

  /** Return the drawn series as plain arrays, oldest first. */
  series() {
    const result = { step: [], sim_time: [] };
    for (const name of SERIES) {
      result[name] = [];
    }
    for (const point of this.points) {
      result.step.push(point.step);
      result.sim_time.push(point.sim_time);
      for (const name of SERIES) {
        result[name].push(point[name]);
      }
    }
    return result;
  }

  /** Return the CSS pixel position of (`simTime`, `value`) on the "left" or "right" axis, or null before the first draw. */
  toPixel(axis, simTime, value) {
    if (!this.scales) {
      return null;
    }
    return { x: this.scales.x(simTime), y: this.scales[axis](value) };
  }

  describe() {
    const last = this.points.at(-1);
    if (!last) {
      this.canvas.setAttribute("aria-label", `Chart of setpoint, process value and control output. ${this.emptyText}`);
      return;
    }

    const pv = displayUnit(this.units.process_value);
    const output = displayUnit(this.units.control_output);
    this.canvas.setAttribute(
      "aria-label",
      `Chart of the last ${this.points.length} steps. At step ${last.step}: setpoint ${last.setpoint} ${pv}, ` +
        `process value ${last.process_value.toFixed(3)} ${pv}, control output ${last.control_output.toFixed(3)} ${output}.`,
    );
  }

  draw() {
    const context = this.prepareCanvas();
    if (!context) {
      return;
    }

    const { width, height } = this.size;
    const plot = {
      left: MARGIN.left,
      top: MARGIN.top,
      width: Math.max(10, width - MARGIN.left - MARGIN.right),
      height: Math.max(10, height - MARGIN.top - MARGIN.bottom),
    };

    if (this.points.length < 2) {
      this.scales = null;
      this.drawEmpty(context, plot);
      return;
    }

    const axes = this.computeAxes(plot);
    this.drawGrid(context, plot, axes);
    this.drawAxisTitles(context, plot);
    this.drawSeries(context, plot);
  }

  /** Size the backing store to the CSS box times devicePixelRatio and return the 2D context, or null while hidden. */
  prepareCanvas() {
    const rect = this.canvas.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0) {
      return null;
    }

    const ratio = window.devicePixelRatio || 1;
    const width = Math.round(rect.width * ratio);
    const height = Math.round(rect.height * ratio);
    if (this.canvas.width !== width || this.canvas.height !== height) {
      this.canvas.width = width;
      this.canvas.height = height;
    }

    const context = this.canvas.getContext("2d");
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, rect.width, rect.height);
    context.font = FONT;
    this.size = { width: rect.width, height: rect.height };
    this.style = getComputedStyle(this.canvas);
    return context;
  }

  color(name) {
    return this.style.getPropertyValue(`--color-${name}`).trim() || "#000";
  }

  drawEmpty(context, plot) {
    context.strokeStyle = this.color("axis");
    context.strokeRect(plot.left, plot.top, plot.width, plot.height);
    context.fillStyle = this.color("text");
    context.textAlign = "center";
    context.textBaseline = "middle";
    context.fillText(this.emptyText, plot.left + plot.width / 2, plot.top + plot.height / 2);
  }

  /** Compute the ticks of the three axes and the value-to-pixel functions in this.scales. */
  computeAxes(plot) {
    const data = this.series();
    const [timeMin, timeMax] = extent(data.sim_time);
    const left = niceTicks(...extent([...data.setpoint, ...data.process_value], VALUE_PADDING), TICK_COUNT);
    const right = niceTicks(...extent(data.control_output, VALUE_PADDING), TICK_COUNT);
    const time = niceTicks(timeMin, timeMax, TICK_COUNT + 3);

    const linear = (domain, start, length) => (value) => start + ((value - domain[0]) / (domain[1] - domain[0])) * length;
    const bottom = plot.top + plot.height;
    this.scales = {
      x: linear([timeMin, timeMax], plot.left, plot.width),
      left: linear(left.domain, bottom, -plot.height),
      right: linear(right.domain, bottom, -plot.height),
    };

    time.ticks = time.ticks.filter((value) => value >= timeMin && value <= timeMax);
    return { left, right, time };
  }

  drawGrid(context, plot, axes) {
    const bottom = plot.top + plot.height;
    const right = plot.left + plot.width;
    context.lineWidth = 1;

    context.strokeStyle = this.color("grid");
    context.beginPath();
    for (const value of axes.left.ticks) {
      const y = Math.round(this.scales.left(value)) + 0.5;
      context.moveTo(plot.left, y);
      context.lineTo(right, y);
    }
    context.stroke();

    context.strokeStyle = this.color("axis");
    context.strokeRect(plot.left + 0.5, plot.top + 0.5, plot.width, plot.height);

    context.fillStyle = this.color("text");
    context.textBaseline = "middle";
    context.textAlign = "right";
    for (const value of axes.left.ticks) {
      context.fillText(value.toFixed(axes.left.decimals), plot.left - 6, this.scales.left(value));
    }

    context.textAlign = "left";
    for (const value of axes.right.ticks) {
      context.fillText(value.toFixed(axes.right.decimals), right + 6, this.scales.right(value));
    }

    context.textAlign = "center";
    context.textBaseline = "top";
    for (const value of axes.time.ticks) {
      const x = this.scales.x(value);
      context.fillText(value.toFixed(axes.time.decimals), x, bottom + 6);
      context.beginPath();
      context.moveTo(Math.round(x) + 0.5, bottom);
      context.lineTo(Math.round(x) + 0.5, bottom + 4);
      context.stroke();
    }
  }

  drawAxisTitles(context, plot) {
    const middle = plot.top + plot.height / 2;
    context.fillStyle = this.color("text");
    context.textAlign = "center";

    context.textBaseline = "bottom";
    context.fillText("Simulated time (s)", plot.left + plot.width / 2, this.size.height - 4);

    const vertical = (text, x, angle) => {
      context.save();
      context.translate(x, middle);
      context.rotate(angle);
      context.fillText(text, 0, 0);
      context.restore();
    };
    context.textBaseline = "top";
    vertical(withUnit("Setpoint, process value", this.units.process_value), 4, -Math.PI / 2);
    vertical(withUnit("Control output", this.units.control_output), this.size.width - 4, Math.PI / 2);
  }

  drawSeries(context, plot) {
    context.save();
    context.beginPath();
    context.rect(plot.left, plot.top, plot.width, plot.height);
    context.clip();

    this.drawLine(context, "control_output", "right", { width: 1.5, dash: [6, 4] });
    this.drawLine(context, "process_value", "left", { width: 2, dash: [] });
    // The setpoint jumps and then stays until the next change, so it is drawn as steps.
    this.drawLine(context, "setpoint", "left", { width: 2, dash: [], stepped: true });
    context.restore();
  }

  drawLine(context, name, axis, { width, dash, stepped = false }) {
    const x = this.scales.x;
    const y = this.scales[axis];
    context.strokeStyle = this.color(name.replace("_", "-"));
    context.lineWidth = width;
    context.setLineDash(dash);
    context.lineJoin = "round";

    context.beginPath();
    let previous = null;
    for (const point of this.points) {
      const value = point[name];
      if (!Number.isFinite(value)) {
        previous = null;
        continue;
      }

      const px = x(point.sim_time);
      const py = y(value);
      if (previous === null) {
        context.moveTo(px, py);
      } else if (stepped) {
        context.lineTo(px, previous);
        context.lineTo(px, py);
      } else {
        context.lineTo(px, py);
      }
      previous = py;
    }
    context.stroke();
    context.setLineDash([]);
  }
}
