"""Scratch databases and logs of one benchmark run, kept in the results folder."""

import logging
import os

from bench.database import build_app, checkpoint, copy_database, dispose, migrate, remove_database
from bench.seed import SeededRun, seed_run

log = logging.getLogger(__name__)


class Workspace:
    """Build the migrated templates once and hand out fresh copies of them."""

    def __init__(self, folder: str, seeded_rows: int):
        self.folder = os.path.abspath(folder)
        self.seeded_rows = seeded_rows
        self._empty: str | None = None
        self._seeded: tuple[str, SeededRun] | None = None
        os.makedirs(self.folder, exist_ok=True)
        self.remove_logs()

    def remove_logs(self) -> None:
        """Delete the server logs of an earlier run, because servers append to them."""
        for name in os.listdir(self.folder):
            if name.endswith(".log"):
                os.remove(self.path(name))

    def path(self, name: str) -> str:
        return os.path.join(self.folder, name)

    def empty_template(self) -> str:
        """Return a migrated SQLite file with no rows, made on first use."""
        if self._empty is None:
            path = self.path("template-empty.db")
            migrate(path)
            checkpoint(path)
            self._empty = path

        return self._empty

    def seeded_template(self) -> tuple[str, SeededRun]:
        """Return a migrated SQLite file with one active run of `seeded_rows` records, made on first use."""
        if self._seeded is None:
            path = self.path("template-seeded.db")
            copy_database(self.empty_template(), path)
            log.info("seeding %d records of a prior run into %s", self.seeded_rows, path)
            app = build_app(path)
            try:
                seeded = seed_run(app, self.seeded_rows)
            finally:
                dispose(app)
            checkpoint(path)
            log.info("seeded %d records in %.1f s", self.seeded_rows, seeded.seconds)
            self._seeded = (path, seeded)

        return self._seeded

    def copy_of(self, template: str, name: str) -> str:
        """Return the path of a new copy of `template` named `name` in the workspace."""
        path = self.path(name)
        copy_database(template, path)
        return path

    def remove(self, path: str) -> None:
        remove_database(path)

    def clean(self) -> None:
        """Delete every database of the workspace; logs and results stay."""
        for name in os.listdir(self.folder):
            if name.endswith((".db", ".db-wal", ".db-shm", ".db.runner.lock")):
                os.remove(self.path(name))

        log.info("removed the scratch databases in %s", self.folder)
