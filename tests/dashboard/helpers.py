"""Helpers that read the dashboard page and the chart's canvas."""

from tests.conftest import wait_until

# The setpoint line's color, --color-setpoint in dashboard.css, as RGB.
SETPOINT_RGB = (0xC2, 0x41, 0x00)
# Largest per-channel difference from SETPOINT_RGB that still counts as the
# line: an antialiased 2 px line leaves at least one row close to its color.
COLOR_TOLERANCE = 40

# Finds the setpoint line next to the points at `indexes` (negative counts
# from the newest), in one task so that no redraw comes in between. For each
# index it returns the point's setpoint, the row the chart's scale gives for
# it and the rows of the canvas column 3 px inside the window whose color is
# within `tolerance` of `rgb` on every channel. Rows are in CSS pixels.
SETPOINT_ROWS_SCRIPT = """
([indexes, rgb, tolerance]) => {
  const series = window.loopsimChart.series();
  const canvas = document.querySelector("#chart");
  const ratio = canvas.width / canvas.getBoundingClientRect().width;
  const context = canvas.getContext("2d");

  return indexes.map((index) => {
    const i = index < 0 ? series.step.length + index : index;
    const expected = window.loopsimChart.toPixel("left", series.sim_time[i], series.setpoint[i]);
    // The stepped line is flat to the right of the oldest point and to the left of the newest.
    const x = expected.x + (index < 0 ? -3 : 3);
    const column = context.getImageData(Math.round(x * ratio), 0, 1, canvas.height).data;

    const rows = [];
    for (let row = 0; row < canvas.height; row += 1) {
      const [r, g, b, a] = column.slice(row * 4, row * 4 + 4);
      const close = a > 200 && Math.abs(r - rgb[0]) <= tolerance && Math.abs(g - rgb[1]) <= tolerance
        && Math.abs(b - rgb[2]) <= tolerance;
      if (close) {
        rows.push(row / ratio);
      }
    }
    return { setpoint: series.setpoint[i], expected: expected.y, rows };
  });
}
"""


def open_dashboard(page, server) -> None:
    """Load the page and wait until it has shown the first status."""
    page.goto(server.url + "/")
    page.wait_for_function("() => document.querySelector('#state').dataset.state !== 'unknown'")


def start_run(server) -> dict:
    """Start a run through the API and return the status once it runs."""
    code, body = server.call("POST", "/control/start", {})
    assert code == 202, f"POST /control/start returned {code}: {body}"

    return wait_until(lambda: (document := server.status())["state"] == "running" and document)


def wait_for_state(server, state: str) -> dict:
    return wait_until(lambda: (document := server.status())["state"] == state and document)


def series(page) -> dict:
    return page.evaluate("() => window.loopsimChart.series()")


def wait_for_points(page, count: int) -> dict:
    """Wait until the chart has at least `count` points and return its series."""
    page.wait_for_function(f"() => window.loopsimChart.series().step.length >= {count}", timeout=15_000)
    return series(page)


def setpoint_line(page, indexes: list[int]) -> list[dict]:
    """Return, for the points at `indexes`, the setpoint, its row on the chart's scale and the rows drawn in its color."""
    return page.evaluate(SETPOINT_ROWS_SCRIPT, [indexes, list(SETPOINT_RGB), COLOR_TOLERANCE])


def mean(values: list[float]) -> float:
    assert values, "no rows in the setpoint color: the setpoint line is not drawn there"
    return sum(values) / len(values)
