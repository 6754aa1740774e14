"""Request and response schemas of the control endpoints, also used for the OpenAPI document."""

from marshmallow import Schema, ValidationError, fields, validate

from app.simulation import CONTROLLERS, MAX_SPEED, MAX_STEP_COUNT


class StrictFloat(fields.Float):
    """A finite JSON number: rejects booleans, strings, NaN and infinities."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValidationError(f"must be a JSON number, got {value!r}")

        return super()._deserialize(value, attr, data, **kwargs)


class StrictInteger(fields.Integer):
    """A JSON integer: rejects booleans, strings and fractional numbers."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError(f"must be a JSON integer, got {value!r}")

        return super()._deserialize(value, attr, data, **kwargs)


class EmptySchema(Schema):
    """No fields: pause and resume take no body, or an empty object."""


class SetpointSchema(Schema):
    value = StrictFloat(required=True, allow_nan=False, metadata={"description": "New setpoint in process-value units"})


class ControllerSchema(Schema):
    type = fields.String(required=True, validate=validate.OneOf(CONTROLLERS, error="must be one of {choices}, got {input!r}"))
    params = fields.Dict(keys=fields.String(), load_default=dict, metadata={"description": "Controller parameters"})


class ModeSchema(Schema):
    mode = fields.String(required=True, validate=validate.OneOf(("auto", "manual"), error="must be one of {choices}, got {input!r}"))


class OutputSchema(Schema):
    value = StrictFloat(required=True, allow_nan=False, metadata={"description": "Manual controller output in actuator units"})


class DisturbanceSchema(Schema):
    profile = fields.String(required=True, metadata={"description": "constant, sinusoid, step or weather"})
    params = fields.Dict(keys=fields.String(), load_default=dict)


class SpeedSchema(Schema):
    value = StrictFloat(
        required=True,
        allow_nan=False,
        validate=validate.Range(min=0, max=MAX_SPEED, error="must be between {min} and {max}, got {input}"),
        metadata={"description": "Simulated seconds per wall-clock second; 0 runs as fast as possible"},
    )


class StepSchema(Schema):
    count = StrictInteger(
        load_default=1,
        validate=validate.Range(min=1, max=MAX_STEP_COUNT, error="must be between {min} and {max}, got {input}"),
    )


class RunConfigSchema(Schema):
    config = fields.Dict(
        keys=fields.String(),
        load_default=None,
        allow_none=True,
        metadata={"description": "SimulationConfig overrides: plant, controller, dt, seed, setpoint, ..."},
    )


class CommandAcceptedSchema(Schema):
    command_id = fields.Integer()
    kind = fields.String()
    status = fields.String()
