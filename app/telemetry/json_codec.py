"""JSON encoding of the state, signal and config columns, shared by every engine."""

import orjson


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
