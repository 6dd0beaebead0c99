"""The event indexer: every platform contract's events, from the chain into the event index (indexer.store).

Reads the chain only through ``govchain`` (no key, no transaction). ``python -m indexer sync [--follow]``.
"""
