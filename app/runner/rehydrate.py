"""Continue the latest run from its last persisted record after a restart."""

import logging

from app.extensions import db
from app.runner import status as states
from app.runner.commands import RUNNER_KINDS
from app.simulation import Simulation, SimulationConfig, Snapshot
from app.telemetry.journal import CommandJournal
from app.telemetry.repository import TelemetryRepository

log = logging.getLogger(__name__)


def load_latest_run(loop, initial_state: str) -> None:
    """Restore the latest active run into `loop` and apply the commands its records miss.

    The run continues from the step after its last record in
    `initial_state` (running or paused), which replayed commands may
    change. With no active run the loop stays idle.
    """
    with loop.app.app_context():
        repository = TelemetryRepository(db.session)
        run = repository.latest_run()
        if run is None or run.status != "active":
            db.session.rollback()
            return

        config = SimulationConfig.from_dict(run.config)
        record = repository.latest_record(run.id)
        last_step = record.step if record is not None else -1
        snapshot = None
        if record is None:
            sim = Simulation.from_config(config)
        else:
            sim = Simulation.restore(config, record.state)
            snapshot = record_snapshot(record)

        run_id = run.id
        journal = CommandJournal(db.session)
        last_pause = journal.latest_applied(("pause", "resume"), run_id)
        last_speed = journal.latest_applied(("speed",))
        paused_by_operator = last_pause is not None and last_pause.kind == "pause"
        speed = last_speed.payload["value"] if last_speed is not None else loop.speed
        # A runner command that was applied already (start, pause, speed...)
        # changed the runner, not the state in the records, and the restart
        # chooses running or paused itself: only pending ones apply again.
        replay = [
            (entry.id, entry.kind, entry.payload)
            for entry in journal.to_replay(run_id, last_step)
            if entry.status == "pending" or entry.kind not in RUNNER_KINDS
        ]
        db.session.rollback()

    loop.sim = sim
    loop.run_id = run_id
    loop.published = (loop.published[0], snapshot)
    # A run an operator paused stays paused, and the last speed set over the
    # API outlives a restart; RUNNER_AUTOSTART decides for the rest.
    loop.state = states.PAUSED if paused_by_operator else initial_state
    loop.speed = speed
    loop.persister.last_persisted_step = last_step if last_step >= 0 else None
    loop.pacer.configure(config.dt, loop.speed)
    log.info("rehydrated run %d at step %d (%d commands to apply again)", run_id, last_step + 1, len(replay))

    for command_id, kind, payload in replay:
        loop.applier.apply(command_id, kind, payload, replay=True)


def record_snapshot(record) -> Snapshot:
    """Rebuild the snapshot of a stored record, so /status shows the last step at once."""
    return Snapshot.from_dict(
        {
            "step": record.step,
            "sim_time": record.sim_time,
            "setpoint": record.setpoint,
            "process_value": record.process_value,
            "control_output": record.control_output,
            "signals": record.signals,
            "state": record.state,
            "mode": record.state.get("mode", "auto"),
        }
    )
