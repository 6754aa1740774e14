"""The flask-smorest Api, documenting errors as the RFC 9457 problem details the app returns."""

import http

from flask_smorest import Api
from flask_smorest.utils import prepare_response
from marshmallow import Schema, fields

PROBLEM_CONTENT_TYPE = "application/problem+json"
BEARER_SCHEME = "bearerAuth"


class ProblemErrorSchema(Schema):
    message = fields.String()
    field = fields.String()


class ProblemSchema(Schema):
    """RFC 9457 problem details, with the invalid field where there is one."""

    type = fields.String(metadata={"example": "about:blank"})
    title = fields.String(metadata={"example": "Unprocessable Entity"})
    status = fields.Integer(metadata={"example": 422})
    detail = fields.String(metadata={"example": "value: not a valid number: send a JSON number"})
    instance = fields.String(metadata={"example": "/control/setpoint"})
    field = fields.String(allow_none=True, metadata={"example": "value"})
    errors = fields.List(fields.Nested(ProblemErrorSchema), metadata={"description": "Every invalid field, when the body schema found several"})


class ProblemApi(Api):
    """An Api whose documented error responses are problem details."""

    ERROR_SCHEMA = ProblemSchema

    def _register_responses(self):
        # flask-smorest registers one response component per HTTP status
        # with its own error schema as application/json. These components
        # describe what the error handlers in app/errors.py send instead.
        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_CONTENT_TYPE)
            self.spec.components.response(status.name, response, lazy=True)

        response = {"description": "Default error response", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_CONTENT_TYPE)
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, response, lazy=True)

    def init_app(self, app, *args, **kwargs):
        super().init_app(app, *args, **kwargs)
        self.spec.components.security_scheme(
            BEARER_SCHEME,
            {"type": "http", "scheme": "bearer", "description": "Needed for POST and PUT when API_TOKEN is set"},
        )
