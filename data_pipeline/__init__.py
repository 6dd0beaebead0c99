"""Data pipeline: ten noisy government sources to a person and household database, eligibility models,
a results table for the oracle, and aggregate reports. See README.md in this folder."""
