"""The runner thread: one tick applies commands, steps, publishes, persists and paces."""

import logging
import threading
import time
from collections import deque
from datetime import datetime, timezone

from app.extensions import db
from app.runner import status as states
from app.runner.commands import CommandApplier
from app.runner.pacing import Pacer
from app.runner.persistence import Persister
from app.runner.rehydrate import load_latest_run
from app.runner.settings import COMMAND_POLL_INTERVAL, RunnerSettings
from app.runner.stats import RunnerStats
from app.runner.status import RunnerStatus
from app.telemetry.heartbeat import read_heartbeat, write_heartbeat
from app.telemetry.journal import CommandJournal

log = logging.getLogger(__name__)

# Seconds the runner waits at shutdown for its buffered records to be
# written: inside gunicorn's graceful timeout of 20 s.
SHUTDOWN_WRITE_TIMEOUT = 10.0
# Steps taken back to back at SIM_SPEED=0 before the tick's housekeeping
# (journal poll, flush, heartbeat): a burst lasts about a millisecond.
BURST_STEPS = 64
# A follower tries to take the lock this often, in seconds.
TAKEOVER_INTERVAL = 0.5


class RunnerLoop:
    """Own the Simulation of one app and the only thread that mutates it."""

    def __init__(self, app, settings: RunnerSettings, lock, owner: str):
        self.app = app
        self.settings = settings
        self.lock = lock
        self.owner = owner
        self.wake = threading.Event()
        self.stopping = threading.Event()
        # Set once this loop has tried the ownership lock, so the API
        # reads a settled state.
        self.ready = threading.Event()
        self.thread: threading.Thread | None = None
        self.is_owner = False

        self.state = states.IDLE
        self.sim = None
        self.run_id: int | None = None
        self.speed = settings.speed
        self.last_error: str | None = None
        self.history: deque = deque(maxlen=settings.history_size)
        self.stats = RunnerStats()
        self.persister: Persister | None = None
        self.pacer = Pacer(dt=1.0, speed=self.speed)
        self.applier = CommandApplier(self)
        self.queue_length = 0
        self.started_at = datetime.now(timezone.utc).isoformat()

        # Readers take this pair as one reference: the context changes at most
        # a few times a second, the snapshot after every step.
        self.published = (RunnerStatus(state=states.IDLE, owner=owner), None)

        self._next_poll = 0.0
        self.flush_after_step = False
        self._next_heartbeat = 0.0
        self._last_heartbeat_at: float | None = None
        self._next_log = 0.0
        self._rate_mark = (time.monotonic(), 0)
        self._steps_per_second = 0.0

    # Lifecycle

    def start(self) -> None:
        self.thread = threading.Thread(target=self._main, name="loopsim-runner", daemon=True)
        self.thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Ask the thread to finish its step, flush and release the lock, then wait for it."""
        self.stopping.set()
        self.wake.set()
        if self.thread is not None and self.thread is not threading.current_thread():
            self.thread.join(timeout)

    def _main(self) -> None:
        try:
            if not self._become_owner():
                return

            while not self.stopping.is_set():
                self._tick()
        except Exception as exc:
            # Nothing outside a step should raise; if something does, the
            # runner stays visible as faulted instead of vanishing.
            log.exception("runner loop failed, runner stopped (run %s)", self.run_id)
            self.state = states.FAULTED
            self.last_error = f"{type(exc).__name__}: {exc}"
            self.publish_context()
        finally:
            self._shut_down()

    def _become_owner(self) -> bool:
        """Wait as a follower until this process holds the lock; return False when stopped first."""
        first_attempt = True
        while not self.stopping.is_set():
            if self.lock.try_acquire():
                try:
                    self._take_over(takeover=not first_attempt)
                except Exception:
                    self.lock.release()
                    raise
                finally:
                    self.ready.set()

                # Only now does status() serve this loop's state: during the
                # takeover the previous owner's heartbeat is the truth.
                self.is_owner = True
                return True

            if first_attempt:
                log.info("runner owned by another process; %s serves as follower", self.owner)
                self.ready.set()

            first_attempt = False
            self.stopping.wait(TAKEOVER_INTERVAL)

        return False

    def _take_over(self, takeover: bool) -> None:
        previous_state = None
        with self.app.app_context():
            heartbeat = read_heartbeat(db.session)
            if heartbeat is not None:
                self.stats = RunnerStats.from_dict(heartbeat.status.get("stats"))
                previous_state = heartbeat.state
            db.session.rollback()

        with self.app.app_context():
            dialect = db.engine.dialect.name
        self.persister = Persister(
            self.app,
            self.stats,
            enabled=self.settings.persistence,
            flush_interval=self.settings.flush_interval,
            flush_max_rows=self.settings.flush_max_rows,
            dialect=dialect,
        )
        log.info("runner started by %s (takeover=%s)", self.owner, takeover)

        # A takeover continues the run as the previous owner left it; a
        # fresh start runs it when RUNNER_AUTOSTART is set.
        if takeover and previous_state in (states.RUNNING, states.PAUSED):
            initial_state = previous_state
        else:
            initial_state = states.RUNNING if self.settings.autostart else states.PAUSED

        if self.settings.rehydrate or takeover:
            load_latest_run(self, initial_state)

        if self.sim is None and self.settings.autostart:
            self.applier.start_new_run(config=None)

        self.publish_context()

    def _shut_down(self) -> None:
        if not self.is_owner:
            return

        try:
            if self.persister is not None and not self.persister.close(SHUTDOWN_WRITE_TIMEOUT):
                log.error(
                    "runner stopped with %d records not written (run %s)", self.persister.unwritten_count(), self.run_id
                )
            self._write_heartbeat(state=states.STOPPED)
        finally:
            self.lock.release()
            self.is_owner = False
            log.info("runner stopped (run %s, step %s)", self.run_id, self._last_step())

    # One tick

    def _tick(self) -> None:
        now = time.monotonic()
        if self.wake.is_set() or now >= self._next_poll:
            self.wake.clear()
            self.applier.apply_pending()
            self._next_poll = now + COMMAND_POLL_INTERVAL

        if self.state == states.RUNNING and not self.persister.backlogged and self.pacer.seconds_until_due() == 0:
            self.step_once()
            if self.speed == 0:
                self._step_burst()

        now = time.monotonic()
        if self.persister.due(now) or (self.flush_after_step and self.persister.rows):
            self.flush_after_step = False
            self.persister.flush()
            self.publish_context()

        if now >= self._next_heartbeat:
            self.heartbeat()

        if now >= self._next_log:
            self._log_progress(now)

        self._wait()

    def _step_burst(self) -> None:
        """Take more steps before the housekeeping of the next tick, when running unpaced.

        The burst stops at a command arriving in this process, at a fault
        and where the buffer reaches TELEMETRY_FLUSH_MAX_ROWS, so batches
        keep their size and commands still wait at most a burst.
        """
        limit = BURST_STEPS
        if self.persister.enabled:
            limit = min(limit, self.persister.flush_max_rows - len(self.persister.rows))

        for _ in range(limit):
            if self.state != states.RUNNING or self.wake.is_set() or self.step_once() is None:
                return

    def step_once(self):
        """Take one step, publish it and queue its record; return the snapshot, or None on a fault."""
        started = time.perf_counter()
        try:
            snapshot = self.sim.step()
        except Exception as exc:
            self.fault(exc)
            return None

        self.stats.step_seconds.observe(time.perf_counter() - started)
        self.stats.steps_total += 1
        self.history.append(snapshot)
        self.persister.add_snapshot(self.run_id, snapshot)
        self.pacer.step_taken()
        self.published = (self.published[0], snapshot)

        return snapshot

    def fault(self, exc: Exception) -> None:
        step = self.sim.next_step if self.sim is not None else None
        log.error("step %s of run %s failed, runner faulted", step, self.run_id, exc_info=exc)
        self.state = states.FAULTED
        self.last_error = f"step {step}: {type(exc).__name__}: {exc}"
        self.publish_context()

    def _wait(self) -> None:
        if self.state == states.RUNNING:
            wait = self.pacer.seconds_until_due()
        else:
            wait = COMMAND_POLL_INTERVAL

        if wait <= 0:
            return

        # Never sleep past the next journal poll, and wake at once when a
        # command arrives in this process.
        wait = min(wait, max(self._next_poll - time.monotonic(), 0.0))
        if wait > 0:
            self.wake.wait(wait)

    # Publishing

    def _last_step(self) -> int | None:
        snapshot = self.published[1]
        return snapshot.step if snapshot is not None else None

    def publish_context(self) -> None:
        config = self.sim.config if self.sim is not None else None
        context = RunnerStatus(
            state=self.state,
            owner=self.owner,
            run_id=self.run_id,
            plant=config.plant if config else None,
            controller=self.sim.controller_name if self.sim is not None else None,
            dt=config.dt if config else None,
            speed=self.speed,
            queue_length=self.queue_length,
            steps_per_second=self._steps_per_second,
            last_error=self.last_error,
            last_persisted_step=self.persister.last_persisted_step if self.persister else None,
            persistence_error=self.persister.last_error if self.persister else None,
            started_at=self.started_at,
            stats=self.stats.to_dict(),
        )
        self.published = (context, self.published[1])

    def status(self) -> dict:
        """Return the published status as a JSON-able dict, without waiting for the runner."""
        context, snapshot = self.published
        document = context.to_dict()
        document["is_owner"] = self.is_owner
        document["history_size"] = len(self.history)
        document["updated_at"] = datetime.now(timezone.utc).isoformat()
        written = self._last_heartbeat_at
        document["heartbeat_age_seconds"] = round(time.monotonic() - written, 3) if written is not None else None
        if snapshot is None:
            return document

        document.update(
            step=snapshot.step,
            sim_time=snapshot.sim_time,
            setpoint=snapshot.setpoint,
            process_value=snapshot.process_value,
            control_output=snapshot.control_output,
            mode=snapshot.mode,
        )
        # The lag is computed from the same snapshot the step comes from, so
        # the two figures always agree.
        if self.settings.persistence:
            persisted = context.last_persisted_step
            lag = snapshot.step - (persisted if persisted is not None else -1)
            document["persistence_lag_steps"] = lag
            document["persistence_lag_seconds"] = lag * context.dt

        return document

    def heartbeat(self) -> None:
        """Publish the status and write it to the heartbeat row."""
        now = time.monotonic()
        self._update_rate(now)
        self.publish_context()
        self._write_heartbeat()
        self._next_heartbeat = now + self.settings.heartbeat_interval

    def _write_heartbeat(self, state: str | None = None) -> None:
        document = self.status()
        if state is not None:
            document["state"] = state

        stamp = datetime.now(timezone.utc)
        document["updated_at"] = stamp.isoformat()
        try:
            with self.app.app_context():
                write_heartbeat(db.session, self.owner, document, stamp)
                self.queue_length = CommandJournal(db.session).pending_count()
                db.session.commit()
            self._last_heartbeat_at = time.monotonic()
        except Exception as exc:
            log.warning("heartbeat write failed (run %s): %s", self.run_id, exc)

    def _update_rate(self, now: float) -> None:
        since, steps = self._rate_mark
        if now - since >= 1.0:
            self._steps_per_second = (self.stats.steps_total - steps) / (now - since)
            self._rate_mark = (now, self.stats.steps_total)

    def _log_progress(self, now: float) -> None:
        self._next_log = now + self.settings.log_interval
        if self.sim is None:
            return

        context, snapshot = self.published
        log.info(
            "run %s step %s sim_time %s state %s queue %d history %d steps/s %.1f",
            self.run_id,
            snapshot.step if snapshot else None,
            snapshot.sim_time if snapshot else None,
            self.state,
            self.queue_length,
            len(self.history),
            self._steps_per_second,
        )
