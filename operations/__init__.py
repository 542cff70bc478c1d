"""Instrument operations: problem reports from researchers, triaged by the lab's staff."""
