"""PID controller: anti-windup, derivative on measurement and derivative filter."""

import pytest

from app.simulation import SetManualOutput, SetMode, SetSetpoint

from .helpers import simulate

FAST_PLANT = {"gain": 1.0, "time_constant": 60.0, "dead_time": 0.0}


def steps_at_limit_after(snapshots, start: int, limit: float) -> int:
    """Return how many steps from ``start`` on the control output stays at ``limit``."""
    count = 0
    for snapshot in snapshots[start:]:
        if snapshot.control_output != limit:
            break
        count += 1
    return count


def saturate_then_drop_setpoint(tracking_time: float):
    """Saturate at 100 % against an unreachable setpoint for 2000 steps, then set a reachable one."""
    return simulate(
        2100,
        {2000: [SetSetpoint(50.0)]},
        plant="first_order",
        plant_params=FAST_PLANT,
        controller="pid",
        controller_params={"kp": 4.0, "ki": 0.07, "tracking_time": tracking_time},
        setpoint=150.0,
    )


def test_anti_windup_leaves_limit_on_sign_change():
    snapshots = saturate_then_drop_setpoint(tracking_time=20.0)

    assert snapshots[1999].control_output == 100.0
    assert snapshots[2000].setpoint - snapshots[2000].process_value < 0.0
    assert steps_at_limit_after(snapshots, 2000, 100.0) <= 2


def test_huge_tracking_time_winds_up():
    # Without effective back-calculation the integral winds up and keeps the
    # output at its limit long after the error changed sign.
    snapshots = saturate_then_drop_setpoint(tracking_time=1e12)

    assert steps_at_limit_after(snapshots, 2000, 100.0) > 50


def test_anti_windup_on_gradual_error_crossing():
    # A load of -80 keeps the output below the setpoint of 50 at full input.
    # When the load ends, the output rises through the setpoint and the
    # control output must leave its limit within a few steps of the crossing.
    snapshots = simulate(
        4000,
        plant="first_order",
        plant_params=FAST_PLANT,
        controller="pid",
        controller_params={"kp": 4.0, "ki": 0.07, "tracking_time": 20.0},
        disturbance={"profile": "step", "params": {"before": -80.0, "after": 0.0, "time": 2000.0}},
    )
    crossing = next(
        (snapshot.step for snapshot in snapshots[2000:] if snapshot.process_value > snapshot.setpoint),
        len(snapshots),
    )
    leaves_limit = next(snapshot.step for snapshot in snapshots[2000:] if snapshot.control_output < 100.0)

    assert snapshots[1999].control_output == 100.0
    assert leaves_limit <= crossing + 3
    assert max(snapshot.process_value for snapshot in snapshots[2000:]) < 51.0


def test_setpoint_change_has_no_derivative_kick():
    kp, kd = 1.0, 50.0
    snapshots = simulate(
        20,
        {10: [SetSetpoint(60.0)]},
        plant="first_order",
        # A time constant of 1e9 s keeps the PV nearly constant, so any jump
        # beyond kp times the setpoint change would come from the derivative.
        plant_params={"gain": 1.0, "time_constant": 1e9, "dead_time": 0.0},
        controller="pid",
        controller_params={"kp": kp, "ki": 0.0, "kd": kd, "derivative_filter": 0.0},
        setpoint=50.0,
        initial={"output": 20.0},
    )
    jump = snapshots[10].control_output - snapshots[9].control_output

    assert jump == pytest.approx(kp * 10.0, abs=1e-6)


def test_derivative_follows_pv_ramp():
    # In manual mode with a constant input of 50 % and tau = 1e6 s, the PV
    # ramps at 50/1e6 per second, so the filtered derivative term settles at
    # -kd * slope.
    kd = 1000.0
    snapshots = simulate(
        400,
        {0: [SetMode("manual"), SetManualOutput(50.0)]},
        plant="first_order",
        plant_params={"gain": 1.0, "time_constant": 1e6, "dead_time": 0.0},
        controller="pid",
        controller_params={"kp": 1.0, "kd": kd, "derivative_filter": 10.0},
    )
    derivative = snapshots[-1].state["controller"]["state"]["derivative"]

    assert derivative == pytest.approx(-kd * 50.0 / 1e6, rel=1e-3)


def test_derivative_filter_smooths_first_step():
    dt, filter_time, kd = 1.0, 9.0, 1000.0
    snapshots = simulate(
        2,
        {0: [SetMode("manual"), SetManualOutput(50.0)]},
        plant="first_order",
        plant_params={"gain": 1.0, "time_constant": 100.0, "dead_time": 0.0},
        controller="pid",
        controller_params={"kp": 1.0, "kd": kd, "derivative_filter": filter_time},
        dt=dt,
    )
    pv_change = snapshots[1].process_value - snapshots[0].process_value
    raw = -kd * pv_change / dt

    # Backward Euler filter from rest: D = (1 - Tf/(Tf + dt)) * raw = raw/10.
    assert snapshots[1].state["controller"]["state"]["derivative"] == pytest.approx(raw / 10.0, rel=1e-12)
