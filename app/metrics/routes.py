"""The Prometheus scrape endpoint."""

from flask import Blueprint

blp = Blueprint("metrics", __name__)
