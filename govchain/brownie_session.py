"""Driving brownie in-process (the demo's deploy, the gas benchmarks): a network connection that ends cleanly, and
brownie scripts run from any folder.

brownie finishes its bookkeeping of every transaction in daemon threads it never joins (the undo buffer's
snapshot, a deployed contract's record), and they still call the node. Disconnected under them, they print
"Web3 is not connected" tracebacks, as `make demo` runs that deployed contracts did. So the connection joins the
threads started while it was open before it disconnects.
"""

from __future__ import annotations

import importlib.util
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from govchain.localnode import use_project_tools


@contextmanager
def connected(network: str = "development", kill_rpc: bool = True) -> Iterator[None]:
    """brownie connected to ``network`` for the block; ``kill_rpc=False`` leaves a node brownie attached to."""
    import brownie  # imported late: loading brownie takes seconds and prints its banner

    use_project_tools()  # brownie launches anvil by name from PATH
    wait_for_receipts_a_loaded_node_shows_late()
    brownie.network.connect(network)
    already_running = set(threading.enumerate())
    try:
        yield
    finally:
        join_threads_started_since(already_running)
        brownie.network.disconnect(kill_rpc=kill_rpc)


def wait_for_receipts_a_loaded_node_shows_late(grace_seconds: float = 5.0) -> None:
    """Makes brownie's ``TransactionReceipt.wait`` give the node ``grace_seconds`` to show a mined transaction.

    brownie 1.22.2 declares a transaction dropped ("Tx dropped without known replacement") as soon as its
    sender's nonce has moved past it while the node does not return the transaction or its receipt. anvil on a
    loaded machine sometimes answers that way for a moment after mining it, which failed random tests and can
    fail a benchmark or the demo alike. So before brownie's own wait judges a transaction, the node gets up to
    ``grace_seconds`` to show it. Installed once per process (tests/conftest.py and :func:`connected`).
    """
    import brownie  # imported late, as in connected()
    from web3.exceptions import TransactionNotFound

    receipt = brownie.network.transaction.TransactionReceipt
    if getattr(receipt.wait, "waits_for_late_receipts", False):
        return
    brownie_wait = receipt.wait

    def wait(self, required_confs):
        if required_confs >= 1 and self.nonce is not None:
            eth = brownie.web3.eth
            deadline = time.monotonic() + grace_seconds
            while time.monotonic() < deadline:
                try:
                    if eth.get_transaction_count(str(self.sender)) > self.nonce:
                        eth.get_transaction(self.txid)
                        eth.get_transaction_receipt(self.txid)
                        break
                except TransactionNotFound:
                    pass
                time.sleep(0.05)
        brownie_wait(self, required_confs)

    wait.waits_for_late_receipts = True
    receipt.wait = wait


def join_threads_started_since(already_running: set[threading.Thread], timeout: float = 30.0) -> None:
    """Joins the threads started since ``already_running`` was taken."""
    for thread in threading.enumerate():
        if thread not in already_running and thread is not threading.current_thread():
            thread.join(timeout)


def run_script(path: Path, project=None, function: str = "main", *args: Any) -> Any:
    """Runs ``function`` of the brownie script at ``path`` (a file of a loaded brownie ``project``), as
    ``brownie.run`` would, and returns what it returns.

    ``brownie.run`` imports a script by a dotted module name built from every folder of its absolute path
    (``work.src.govchain.scripts.deploy``), so a checkout under a folder with a dot in its name
    (``~/src/govchain.v2``) fails with ``ModuleNotFoundError``. This loads the file by its path under a name of
    its own instead; like ``brownie.run`` it puts the project's contract containers in brownie's namespace while
    the script runs (``from brownie import RoleRegistry``).
    """
    path = Path(path).resolve()
    spec = importlib.util.spec_from_file_location(f"govchain_script_{path.stem}", path)
    if spec is None or spec.loader is None:
        raise FileNotFoundError(f"Cannot load the brownie script {path}")
    module = importlib.util.module_from_spec(spec)
    if project is not None:
        project._add_to_main_namespace()
    try:
        spec.loader.exec_module(module)
        return getattr(module, function)(*args)
    finally:
        if project is not None:
            project._remove_from_main_namespace()
