"""Apply journaled commands to the runner between two steps, in the order received."""

import logging

from app.extensions import db
from app.runner import status as states
from app.simulation import (
    CommandRejected,
    Simulation,
    SimulationConfig,
    ValidationError,
    parse_command,
)
from app.telemetry.journal import CommandJournal, CommandOutcome
from app.telemetry.repository import TelemetryRepository

log = logging.getLogger(__name__)

RUNNER_KINDS = frozenset({"start", "pause", "resume", "step", "reset", "speed"})


class Rejected(Exception):
    """A command that is valid but makes no sense in the runner's current state."""


class CommandApplier:
    """Carry out commands on a RunnerLoop and queue their outcomes for the journal."""

    def __init__(self, loop):
        self.loop = loop

    def apply_pending(self) -> None:
        """Apply every pending command of the journal, oldest first."""
        # Commands applied but not yet written are still pending in the
        # database. Skipping them by id, rather than reading only ids above the
        # last one seen, also catches a lower id that committed late.
        unwritten = self.loop.persister.unwritten_command_ids()
        try:
            with self.loop.app.app_context():
                entries = CommandJournal(db.session).pending()
                commands = [(entry.id, entry.kind, entry.payload) for entry in entries if entry.id not in unwritten]
                db.session.rollback()
        except Exception as exc:
            log.warning("reading the command journal failed (run %s): %s", self.loop.run_id, exc)
            return

        for command_id, kind, payload in commands:
            self.apply(command_id, kind, payload)

    def apply(self, command_id: int, kind: str, payload: dict, replay: bool = False) -> None:
        """Apply one command and queue its outcome.

        A rejection (Rejected, CommandRejected or ValidationError) is logged
        and journaled, not raised; any other exception propagates.
        """
        loop = self.loop
        step_before = loop.sim.next_step if loop.sim is not None else None
        try:
            result = self._dispatch(kind, payload)
        except (Rejected, CommandRejected, ValidationError) as exc:
            self._reject(command_id, kind, str(exc))
            return

        if kind == "step":
            outcome_step = step_before
        else:
            outcome_step = loop.sim.next_step if loop.sim is not None else None

        loop.persister.add_outcome(
            CommandOutcome(command_id, "applied", loop.run_id, outcome_step, result=result)
        )
        loop.stats.count_command(kind, "applied")
        log.info("applied %s command %d to run %s before step %s%s", kind, command_id, loop.run_id, outcome_step, " (replayed)" if replay else "")
        self._settle(kind)

    def _reject(self, command_id: int, kind: str, reason: str) -> None:
        loop = self.loop
        next_step = loop.sim.next_step if loop.sim is not None else None
        loop.persister.add_outcome(CommandOutcome(command_id, "rejected", loop.run_id, next_step, detail=reason))
        loop.stats.count_command(kind, "rejected")
        log.warning("rejected %s command %d for run %s: %s", kind, command_id, loop.run_id, reason)
        self._settle(kind)

    def _settle(self, kind: str) -> None:
        """Write outcomes at once unless a step follows that carries them, then republish."""
        loop = self.loop
        if loop.state != states.RUNNING or kind in RUNNER_KINDS:
            loop.persister.flush(force=True)
        else:
            # The outcome is written with the record of the next step, which
            # reflects it. Flushing right after that step lets a client that
            # polls the command read it within milliseconds, not a flush interval.
            loop.flush_after_step = True

        loop.publish_context()
        # Other processes read the state from the heartbeat: refresh it now
        # rather than up to HEARTBEAT_INTERVAL later.
        if kind in RUNNER_KINDS:
            loop.heartbeat()

    def _dispatch(self, kind: str, payload: dict):
        command = parse_command(kind, payload)
        if kind in RUNNER_KINDS:
            return getattr(self, f"_{kind}")(command)

        if self.loop.sim is None:
            raise Rejected(f"no run to apply the {kind} command to: start a run with POST /control/start first")

        self.loop.sim.apply(command)
        return None

    # Runner commands

    def _start(self, command):
        if self.loop.state != states.IDLE:
            raise Rejected(f"the runner is {self.loop.state}, not idle: use resume or reset instead of start")

        self.start_new_run(command.config)

    def _pause(self, command):
        if self.loop.state != states.RUNNING:
            raise Rejected(f"the runner is {self.loop.state}: only a running runner can pause")

        self.loop.state = states.PAUSED
        log.info("paused run %s at step %s", self.loop.run_id, self.loop.sim.next_step)

    def _resume(self, command):
        if self.loop.state != states.PAUSED:
            raise Rejected(f"the runner is {self.loop.state}: only a paused runner can resume")

        self.loop.state = states.RUNNING
        self.loop.pacer.reanchor()
        log.info("resumed run %s at step %s", self.loop.run_id, self.loop.sim.next_step)

    def _step(self, command):
        if self.loop.state != states.PAUSED:
            raise Rejected(f"the runner is {self.loop.state}: pause it before stepping")

        snapshot = None
        for _ in range(command.count):
            snapshot = self.loop.step_once()
            if snapshot is None:
                raise Rejected(f"step failed: {self.loop.last_error}")

        return snapshot.to_dict()

    def _reset(self, command):
        loop = self.loop
        previous_state = loop.state
        config = command.config
        if config is None and loop.sim is not None:
            config = loop.sim.config.to_dict()

        self.start_new_run(config, end_previous=True)
        if previous_state == states.PAUSED:
            loop.state = states.PAUSED

    def _speed(self, command):
        self.loop.speed = command.value
        self.loop.pacer.configure(self.loop.pacer.dt, command.value)
        log.info("speed of run %s set to %s simulated s per s", self.loop.run_id, command.value)

    def start_new_run(self, config: dict | None, end_previous: bool = False) -> None:
        """Create a run from `config` (default: the app's SIM_* settings) and start it running."""
        from app.runner.settings import default_simulation_config

        loop = self.loop
        merged = default_simulation_config(loop.app.config)
        merged.update(config or {})
        sim_config = SimulationConfig.from_dict(merged)
        sim = Simulation.from_config(sim_config)

        # Records of the old run go first, so its telemetry ends complete.
        loop.persister.flush(force=True)
        with loop.app.app_context():
            repository = TelemetryRepository(db.session)
            if end_previous and loop.run_id is not None:
                repository.end_run(loop.run_id)
            run = repository.create_run(sim_config.to_dict())
            db.session.commit()
            run_id = run.id

        loop.sim = sim
        loop.run_id = run_id
        loop.state = states.RUNNING
        loop.last_error = None
        loop.history.clear()
        loop.persister.discard_run()
        loop.pacer.configure(sim_config.dt, loop.speed)
        loop.published = (loop.published[0], None)
        log.info("started run %d: plant %s, controller %s, dt %s s", run_id, sim_config.plant, sim_config.controller, sim_config.dt)
