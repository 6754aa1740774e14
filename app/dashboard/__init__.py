"""The live dashboard page."""
