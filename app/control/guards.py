"""Checks every state-changing request passes before its view runs."""

import hmac

from flask import Flask, current_app, request

from app.errors import fail

STATE_CHANGING_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def require_token() -> None:
    """Reject a state-changing request without the API_TOKEN bearer token (401)."""
    token = current_app.config.get("API_TOKEN")
    if not token or request.method not in STATE_CHANGING_METHODS:
        return

    scheme, _, presented = request.headers.get("Authorization", "").partition(" ")
    # compare_digest takes constant time, so response timing reveals nothing
    # about how much of a guessed token was right.
    if scheme.lower() != "bearer" or not hmac.compare_digest(presented.encode(), str(token).encode()):
        fail(401, "missing or invalid bearer token: send Authorization: Bearer <API_TOKEN>", headers={"WWW-Authenticate": "Bearer"})


def require_json_body() -> None:
    """Reject a request body that is not JSON (415) before the schema reads it."""
    if request.method not in STATE_CHANGING_METHODS:
        return

    has_body = bool(request.content_length) or request.headers.get("Transfer-Encoding") == "chunked"
    if has_body and not request.is_json:
        shown = request.mimetype or "none"
        fail(415, f"unsupported Content-Type {shown!r}: send the body as application/json")


def register_guards(app: Flask) -> None:
    app.before_request(require_token)
    app.before_request(require_json_body)
