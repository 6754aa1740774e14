"""Status, liveness and readiness endpoints."""
