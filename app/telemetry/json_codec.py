"""JSON encoding of the state, signal and config columns, shared by every engine."""

import orjson
from flask.json.provider import DefaultJSONProvider


def dumps(value) -> str:
    """Encode `value` as compact JSON text.

    orjson writes the shortest text that reads back as the same float, as
    json.dumps does. On a snapshot state it is about seven times faster
    (1 us against 7 us on a 2-core test machine), and the runner encodes
    the state of every step. NaN and infinities never reach it, because
    the simulation rejects them where they would enter the state.
    """
    return orjson.dumps(value).decode()


loads = orjson.loads


class OrjsonProvider(DefaultJSONProvider):
    """Flask's JSON provider with orjson for responses.

    Responses are encoded by orjson, several times faster than json.dumps,
    which matters for /status and /telemetry under polling load. Request
    bodies are still parsed by Flask's json.loads, so a body with a NaN
    token reaches the schema and gets a 422 that names the field.
    """

    def dumps(self, obj, **kwargs) -> str:
        return orjson.dumps(obj, default=self.default, option=orjson.OPT_NON_STR_KEYS).decode()
