"""RFC 9457 problem details for every HTTP error and validation failure."""

import logging

from flask import Flask, jsonify, request
from flask_smorest import abort
from werkzeug.exceptions import HTTPException, InternalServerError

from app.extensions import db

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


def _flatten(messages, prefix: str = "") -> list[tuple[str, str]]:
    """Turn marshmallow's nested messages into (dotted field, message) pairs."""
    if isinstance(messages, dict):
        pairs = []
        for key, value in messages.items():
            name = str(key) if not prefix else f"{prefix}.{key}"
            # webargs nests messages under the request location ("json", "query").
            if not prefix and key in ("json", "query", "form", "headers", "files"):
                name = ""
            pairs.extend(_flatten(value, name))
        return pairs

    if isinstance(messages, list) and messages and all(isinstance(item, str) for item in messages):
        return [(prefix, " ".join(messages))]

    if isinstance(messages, list):
        return [pair for item in messages for pair in _flatten(item, prefix)]

    return [(prefix, str(messages))]


def handle_http_exception(exc: HTTPException):
    data = getattr(exc, "data", None) or {}
    messages = data.get("messages")
    if messages:
        errors = [{"field": name or None, "message": message} for name, message in _flatten(messages)]
        first = errors[0]
        detail = "; ".join(f"{e['field']}: {e['message']}" if e["field"] else e["message"] for e in errors)
        return problem(exc.code, exc.name, detail, field=first["field"], errors=errors, headers=data.get("headers"))

    detail = data.get("message") or exc.description or exc.name
    return problem(exc.code, exc.name, detail, field=data.get("field"), headers=data.get("headers"))


def handle_unexpected(exc: Exception):
    db.session.rollback()
    if isinstance(exc, HTTPException):
        return handle_http_exception(exc)

    log.exception("unhandled error on %s %s", request.method, request.path)
    error = InternalServerError()
    return problem(500, error.name, "the server failed to handle the request; the error is in the server log")


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(Exception, handle_unexpected)
