"""The dashboard page at /."""

from flask import Blueprint, current_app, make_response, render_template

from app.dashboard.parameters import controller_fields, disturbance_fields, plant_settings
from app.simulation import PLANTS

blp = Blueprint("dashboard", __name__, template_folder="templates", static_folder="static", static_url_path="/dashboard/static")

# Steps the chart shows: the default and the choices offered.
DEFAULT_WINDOW_STEPS = 300
WINDOW_STEP_CHOICES = (100, 300, 600, 1200, 3000)
# Milliseconds between two refreshes of the figures and the chart.
POLL_INTERVAL_MS = 500

# The browser loads scripts, styles, images and fetches from this server only
# and runs no inline script or style, so nothing from a CDN or injected into
# the page can run. The page therefore uses no inline style attribute.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'none'",
    )
)


def plant_units() -> dict[str, dict]:
    """Return the units and disturbance profiles of every plant, by plant name."""
    return {plant: plant_settings(plant) for plant in PLANTS}


@blp.route("/")
def index():
    """Render the live dashboard: runner figures, controls, chart and downloads."""
    html = render_template(
        "dashboard/index.html",
        units=plant_units(),
        controller_fields=controller_fields(),
        disturbance_fields=disturbance_fields(),
        window_choices=WINDOW_STEP_CHOICES,
        default_window=DEFAULT_WINDOW_STEPS,
        poll_interval_ms=POLL_INTERVAL_MS,
        token_required=bool(current_app.config.get("API_TOKEN")),
    )
    response = make_response(html)
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    return response
