"""The benchmark groups by the name `--only` takes, in the order a full run measures them."""

from bench.figures import export, pacing, startup, status_load, steps

# Each group measures its figures together, because they share one setup:
# the same runner runs, the same export or the same server under load.
GROUPS = {
    "steps": steps.run,  # figures 1 to 3
    "export": export.run,  # figures 4 and 5
    "status": status_load.run,  # figures 6 and 7
    "startup": startup.run,  # figure 8
    "pacing": pacing.run,  # figure 9
}
