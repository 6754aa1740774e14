"""Benchmarks of Loopsim: each figure is a ratio against a baseline measured in the same run.

Run them with `make bench` or `python -m bench --help`. They write
docs/benchmarks.md and keep scratch databases and logs in bench/results/.
"""
