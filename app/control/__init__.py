"""Control endpoints: validate a command, journal it, answer with its id."""
