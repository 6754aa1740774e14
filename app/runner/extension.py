"""The runner Flask extension: per-app RunnerLoop, command submission and status."""

import atexit
import logging
import signal
import threading
import time
from datetime import datetime, timezone

from sqlalchemy.exc import SQLAlchemyError

from app.runner import status as states
from app.runner.settings import RunnerSettings, check_simulation_settings
from app.runner.status import RunnerStatus

log = logging.getLogger(__name__)

EXTENSION_KEY = "loopsim.runner"
# How often a request waiting for a command's outcome reads the journal, in seconds.
OUTCOME_POLL_INTERVAL = 0.02
# Seconds between two checks of a schema that was behind, so the runner
# starts soon after `flask db upgrade` without a check on every request.
SCHEMA_RECHECK_INTERVAL = 2.0
# Seconds a starting runner may take to settle ownership and rehydrate
# before the request that started it goes on.
READY_TIMEOUT = 30.0

_live_loops: "set" = set()
_live_lock = threading.Lock()


class QueueFull(Exception):
    """The journal contains COMMAND_QUEUE_SIZE pending commands already."""


class Runner:
    """Bind a RunnerLoop to each app and give the API its submit and status calls."""

    def init_app(self, app) -> None:
        settings = RunnerSettings.from_config(app.config)
        check_simulation_settings(app.config)
        handle = RunnerHandle(app, settings)
        app.extensions[EXTENSION_KEY] = handle
        app.before_request(handle.autostart)
        _install_sigterm_handler()

    @staticmethod
    def handle(app) -> "RunnerHandle":
        try:
            return app.extensions[EXTENSION_KEY]
        except KeyError:
            raise RuntimeError(
                "the runner extension is not registered on this app: did you forget to call runner.init_app(app)?"
            ) from None


class RunnerHandle:
    """Per-app runner state: the loop, once started, and the calls the API makes."""

    def __init__(self, app, settings: RunnerSettings):
        self.app = app
        self.settings = settings
        self.loop = None
        self.blocked_reason: str | None = None
        self._schema_checked_at = 0.0
        self._heartbeat_cache: tuple[float, dict | None] = (0.0, None)
        self._start_lock = threading.Lock()

    def autostart(self) -> None:
        """Start the loop if RUNNER_AUTOSTART is set.

        Servers call this in the process that serves requests: gunicorn's
        post_worker_init hook, or the first request elsewhere. So a
        preloading gunicorn master, the Werkzeug reloader's watcher and
        `flask` CLI commands never start a runner.
        """
        if self.loop is None and self.settings.autostart:
            self.ensure_started()

    def ensure_started(self) -> None:
        """Start this process's runner thread once; it owns the run or waits as a follower."""
        if self.loop is not None:
            return

        if self.blocked_reason is not None and time.monotonic() - self._schema_checked_at < SCHEMA_RECHECK_INTERVAL:
            return

        with self._start_lock:
            if self.loop is not None:
                return

            from app.extensions import db
            from app.runner.loop import RunnerLoop
            from app.runner.ownership import lock_for, owner_id
            from app.telemetry.schema import schema_problem

            problem = schema_problem(self.app)
            self._schema_checked_at = time.monotonic()
            if problem is not None:
                if problem != self.blocked_reason:
                    log.error("runner not started: %s", problem)
                self.blocked_reason = problem
                return

            self.blocked_reason = None

            with self.app.app_context():
                lock = lock_for(db.engine)

            self.loop = RunnerLoop(self.app, self.settings, lock, owner_id())
            self.loop.start()
            self.loop.ready.wait(READY_TIMEOUT)

        with _live_lock:
            _live_loops.add(self.loop)

    def stop(self, timeout: float = 10.0) -> None:
        loop = self.loop
        if loop is None:
            return

        loop.stop(timeout)
        with _live_lock:
            _live_loops.discard(loop)

    def wake(self) -> None:
        if self.loop is not None:
            self.loop.wake.set()

    def status(self, max_age: float = 0.0) -> dict:
        """Return this process's status, or the owner's from its heartbeat.

        :param max_age: seconds a heartbeat read by an earlier call may be
            reused in a process that does not own the runner. GET /status
            passes a fraction of the heartbeat interval, so a burst of
            polls reads the database a few times a second, not per request.
            The control endpoints pass 0 to decide on the latest state.
        """
        loop = self.loop
        if loop is not None and loop.is_owner:
            return loop.status()

        cached_at, document = self._heartbeat_cache
        if document is not None and time.monotonic() - cached_at <= max_age:
            return self._aged(dict(document))

        return self._status_from_heartbeat()

    def _status_from_heartbeat(self) -> dict:
        from app.extensions import db
        from app.telemetry.heartbeat import read_heartbeat

        if self.blocked_reason is not None:
            return self._without_owner(self.blocked_reason)

        try:
            row = read_heartbeat(db.session)
        except SQLAlchemyError as exc:
            db.session.rollback()
            return self._without_owner(f"reading the heartbeat failed: {exc.__class__.__name__}")

        if row is None:
            return self._without_owner(None)

        document = dict(row.status)
        document["is_owner"] = False
        document["heartbeat_written_at"] = row.updated_at
        self._heartbeat_cache = (time.monotonic(), document)

        return self._aged(dict(document))

    def _aged(self, document: dict) -> dict:
        """Add the heartbeat's age to a status read from it, and call a stale owner stopped."""
        age = (datetime.now(timezone.utc) - document.pop("heartbeat_written_at")).total_seconds()
        document["heartbeat_age_seconds"] = round(age, 3)
        if age > self.settings.heartbeat_stale_after and document.get("state") != states.STOPPED:
            document["state"] = states.STOPPED
            document["last_error"] = f"no heartbeat from owner {document.get('owner')} for {age:.1f} s"

        return document

    def _without_owner(self, error: str | None) -> dict:
        """Return a status with every field, for when no process reports a runner."""
        state = states.IDLE if self.loop is not None and error is None else states.STOPPED
        document = RunnerStatus(state=state, last_error=error).to_dict()
        document.update(is_owner=False, heartbeat_age_seconds=None, step=None, sim_time=None)

        return document

    def submit(self, kind: str, payload: dict):
        """Journal a validated command, commit it and wake the local runner.

        :raises QueueFull: when COMMAND_QUEUE_SIZE commands are pending.
        """
        from app.extensions import db
        from app.telemetry.journal import CommandJournal

        journal = CommandJournal(db.session)
        pending = journal.pending_count()
        if pending >= self.settings.queue_size:
            raise QueueFull(f"{pending} commands are pending, the limit set by COMMAND_QUEUE_SIZE")

        entry = journal.append(kind, payload, run_id=self.status().get("run_id"))
        log.info("accepted %s command %d", kind, entry.id)
        db.session.commit()
        self.ensure_started()
        self.wake()

        return entry

    def wait_for_outcome(self, command_id: int, timeout: float):
        """Poll the journal until the runner has applied or rejected a command; None on timeout."""
        from app.extensions import db
        from app.telemetry.journal import CommandJournal

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            db.session.rollback()
            entry = CommandJournal(db.session).get(command_id)
            if entry is not None and entry.status != "pending":
                return entry

            time.sleep(OUTCOME_POLL_INTERVAL)

        return None


def start_runner(app) -> None:
    """Start the app's runner if RUNNER_AUTOSTART is set; for gunicorn's post_worker_init hook."""
    Runner.handle(app).autostart()


def stop_all(timeout: float = 10.0) -> None:
    """Stop every runner of this process: the step finishes, records flush, locks are released."""
    with _live_lock:
        loops = list(_live_loops)
        _live_loops.clear()

    for loop in loops:
        loop.stop(timeout)


atexit.register(stop_all)


def _install_sigterm_handler() -> None:
    """Stop the runners on SIGTERM when no server has a handler of its own.

    gunicorn installs its own handler and stops runners through its
    worker_exit hook; the development server has none.
    """
    if threading.current_thread() is not threading.main_thread():
        return

    if signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
        return

    def on_sigterm(signum, frame):
        log.info("SIGTERM received, stopping the runner")
        stop_all()
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, on_sigterm)
