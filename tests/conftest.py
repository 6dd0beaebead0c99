"""Shared fixtures. brownie's pytest plugin compiles the project and starts anvil for the session.

brownie attaches silently to whatever already listens on its development port, so two runs at once would
share one chain. Each session (each xdist worker too) takes a free port instead; brownie.network is not
connected yet when this file is loaded (it connects once collection is finished).

brownie hashes every conftest.py together with the project files it imports, and since .venv lies inside
the project it also opens imported venv modules as text: a conftest must not import brownie's compiled
modules (``from brownie._config import ...`` fails with UnicodeDecodeError), hence ``import brownie``.
"""

import time

import brownie
import pytest
from web3.exceptions import TransactionNotFound

from govchain.localnode import free_port, use_project_tools

use_project_tools()  # plain `.venv/bin/python -m pytest`: brownie launches anvil by name from PATH
brownie._config.CONFIG.networks["development"]["cmd_settings"]["port"] = free_port()


@pytest.fixture(autouse=True)
def isolation(fn_isolation):
    """Every test starts from the chain snapshot taken after the module's fixtures deployed."""


_brownie_wait = brownie.network.transaction.TransactionReceipt.wait


def _wait_until_the_node_shows_the_transaction(self, required_confs):
    """brownie 1.22.2 declares a transaction dropped ("Tx dropped without known replacement") as soon as its
    sender's nonce has moved past it while the node does not return the transaction or its receipt. anvil on a
    loaded machine sometimes answers that way for a moment after mining it, which failed random tests. So before
    brownie's own wait judges a transaction, give the node up to five seconds to show it."""
    if required_confs >= 1 and self.nonce is not None:
        eth = brownie.web3.eth
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            try:
                if eth.get_transaction_count(str(self.sender)) > self.nonce:
                    eth.get_transaction(self.txid)
                    eth.get_transaction_receipt(self.txid)
                    break
            except TransactionNotFound:
                pass
            time.sleep(0.05)
    _brownie_wait(self, required_confs)


brownie.network.transaction.TransactionReceipt.wait = _wait_until_the_node_shows_the_transaction
