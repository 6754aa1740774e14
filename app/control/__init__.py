"""Control endpoints: validate a command, journal it and return its id."""
