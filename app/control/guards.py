"""Checks every state-changing request passes before its view runs."""

import hmac

from flask import Flask, current_app, request

from app.config import ConfigError
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
    if not has_body:
        return

    if not request.is_json:
        content_type = request.mimetype or "none"
        fail(415, f"unsupported Content-Type {content_type!r}: send the body as application/json")

    # Endpoints without a body schema would ignore a malformed body.
    if request.get_json(silent=True) is None and request.get_data(cache=True).strip():
        fail(400, "invalid JSON body: send a JSON object with Content-Type application/json")


def check_api_token(config) -> None:
    """Reject an API_TOKEN that would silently disable or break authentication.

    :raises ConfigError: for an empty string or a value that is not text.
    """
    token = config.get("API_TOKEN")
    if token is None:
        return

    # FLASK_API_TOKEN is parsed as JSON, so FLASK_API_TOKEN=123 arrives as a
    # number; true, false or a list would not be the text a client sends.
    if isinstance(token, bool) or not isinstance(token, (str, int)):
        raise ConfigError(f"invalid API_TOKEN {token!r}: set it to text, e.g. FLASK_API_TOKEN='\"my-token\"'")

    if str(token).strip() == "":
        raise ConfigError("invalid API_TOKEN '': an empty token would turn authentication off; unset it or set a token")


def register_guards(app: Flask) -> None:
    check_api_token(app.config)
    app.before_request(require_token)
    app.before_request(require_json_body)
