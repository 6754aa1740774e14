"""The runner: the one thread that steps the simulation and persists each step."""
