"""Synthetic county: the ten sources with realistic noise, plus the ground truth kept apart.

Real household data is private, so tests, benchmarks and demos run on this. ``python -m data_pipeline.synth``.
"""
