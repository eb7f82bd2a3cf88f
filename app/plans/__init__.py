"""Optimisation runs: build a dispatch.Problem from rows, solve it on a worker, apply the plan."""
