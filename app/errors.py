"""RFC 9457 problem details for every HTTP error and validation failure."""

import logging

from flask import Flask, current_app, jsonify, request
from flask_smorest import abort
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException, InternalServerError

from app.extensions import db
from app.telemetry.schema import schema_problem

log = logging.getLogger(__name__)

PROBLEM_MIMETYPE = "application/problem+json"


def problem(status: int, title: str, detail: str, field: str | None = None, headers: dict | None = None, **extra):
    """Build a problem details response."""
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, "instance": request.path}
    if field is not None:
        body["field"] = field

    body.update(extra)
    response = jsonify(body)
    response.status_code = status
    response.mimetype = PROBLEM_MIMETYPE
    for name, value in (headers or {}).items():
        response.headers[name] = value

    return response


def fail(status: int, detail: str, field: str | None = None, headers: dict | None = None):
    """Raise the HTTP error `status` that the handler turns into problem details."""
    abort(status, message=detail, field=field, headers=headers)


# marshmallow's and webargs' stock messages, reworded to say what to send.
CLEARER_MESSAGES = {
    "Missing data for required field.": "missing: this field is required",
    "Unknown field.": "unknown field: remove it",
    "Invalid input type.": "the body must be a JSON object, e.g. {\"value\": 21.5}",
    "Invalid JSON body.": "invalid JSON body: send a JSON object with Content-Type application/json",
    "Not a valid number.": "not a valid number: send a JSON number",
    "Not a valid integer.": "not a valid integer: send a JSON integer",
    "Not a valid string.": "not a valid string: send a JSON string",
}


def _clearer(message: str) -> str:
    return CLEARER_MESSAGES.get(message, message)


def _flatten(messages, prefix: str = "") -> list[tuple[str, str]]:
    """Turn marshmallow's nested messages into (dotted field, message) pairs."""
    if isinstance(messages, dict):
        pairs = []
        for key, value in messages.items():
            name = str(key) if not prefix else f"{prefix}.{key}"
            # webargs nests messages under the request location ("json",
            # "query"), and marshmallow files whole-body errors under "_schema".
            if not prefix and key in ("json", "query", "form", "headers", "files"):
                name = ""
            if key == "_schema":
                name = prefix
            pairs.extend(_flatten(value, name))
        return pairs

    if isinstance(messages, list) and messages and all(isinstance(item, str) for item in messages):
        return [(prefix, " ".join(_clearer(message) for message in messages))]

    if isinstance(messages, list):
        return [pair for item in messages for pair in _flatten(item, prefix)]

    return [(prefix, _clearer(str(messages)))]


def handle_http_exception(exc: HTTPException):
    data = getattr(exc, "data", None) or {}
    messages = data.get("messages")
    if messages:
        errors = [{"field": name or None, "message": message} for name, message in _flatten(messages)]
        first = errors[0]
        detail = "; ".join(f"{e['field']}: {e['message']}" if e["field"] else e["message"] for e in errors)
        return problem(exc.code, exc.name, detail, field=first["field"], errors=errors, headers=data.get("headers"))

    detail = data.get("message") or exc.description or exc.name
    if exc.code == 413:
        limit = current_app.config.get("MAX_CONTENT_LENGTH")
        detail = f"request body larger than MAX_CONTENT_LENGTH ({limit} bytes): send a smaller body"

    return problem(exc.code, exc.name, detail, field=data.get("field"), headers=data.get("headers"))


def handle_database_error(exc: SQLAlchemyError):
    """Return 503 for a database that is unreachable, locked or not migrated, never 500."""
    db.session.rollback()
    log.error("database error on %s %s: %s", request.method, request.path, exc.__class__.__name__, exc_info=exc)
    problem_text = schema_problem(current_app)
    detail = problem_text or f"the database failed: {exc.__class__.__name__}; the error is in the server log"

    return problem(503, "Service Unavailable", detail, headers={"Retry-After": "5"})


def handle_unexpected(exc: Exception):
    db.session.rollback()
    if isinstance(exc, HTTPException):
        return handle_http_exception(exc)

    log.exception("unhandled error on %s %s", request.method, request.path)
    error = InternalServerError()
    return problem(500, error.name, "the server failed to handle the request; the error is in the server log")


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(SQLAlchemyError, handle_database_error)
    app.register_error_handler(Exception, handle_unexpected)
