"""Persistence of runs, telemetry records, the command journal and the heartbeat."""
