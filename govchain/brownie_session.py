"""A brownie network connection that ends cleanly, for code that drives brownie in-process (the demo's deploy,
the gas benchmark).

brownie finishes its bookkeeping of every transaction in daemon threads it never joins (the undo buffer's
snapshot, a deployed contract's record), and they still call the node. Disconnected under them, they print
"Web3 is not connected" tracebacks, as `make demo` runs that deployed contracts did. So the connection joins the
threads started while it was open before it disconnects.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def connected(network: str = "development", kill_rpc: bool = True) -> Iterator[None]:
    """brownie connected to ``network`` for the block; ``kill_rpc=False`` leaves a node brownie attached to."""
    import brownie  # imported late: loading brownie takes seconds and prints its banner

    brownie.network.connect(network)
    already_running = set(threading.enumerate())
    try:
        yield
    finally:
        join_threads_started_since(already_running)
        brownie.network.disconnect(kill_rpc=kill_rpc)


def join_threads_started_since(already_running: set[threading.Thread], timeout: float = 30.0) -> None:
    """Joins the threads started since ``already_running`` was taken."""
    for thread in threading.enumerate():
        if thread not in already_running and thread is not threading.current_thread():
            thread.join(timeout)
