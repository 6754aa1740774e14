"""The Prometheus scrape endpoint."""

import logging

from flask import Blueprint, Response, current_app, request
from prometheus_client.exposition import choose_encoder
from sqlalchemy.exc import SQLAlchemyError

from app.errors import fail
from app.extensions import db
from app.metrics.collector import EXTENSION_KEY, init_metrics

log = logging.getLogger(__name__)

blp = Blueprint("metrics", __name__)
blp.record_once(lambda state: init_metrics(state.app))


@blp.route("/metrics", methods=["GET"])
def metrics():
    """Return the runner metrics in the Prometheus text format, or OpenMetrics when the Accept header requests it."""
    registry = current_app.extensions[EXTENSION_KEY]
    encoder, content_type = choose_encoder(request.headers.get("Accept", ""))
    try:
        body = encoder(registry)
    except SQLAlchemyError as exc:
        db.session.rollback()
        log.warning("metrics scrape failed: reading the runner heartbeat failed: %s", exc)
        fail(503, f"cannot read the runner status: {exc.__class__.__name__}; retry when the database is reachable")

    return Response(body, headers={"Content-Type": content_type})
