"""Shared fixtures. brownie's pytest plugin compiles the project and starts anvil for the session.

brownie attaches silently to whatever already listens on its development port, so two runs at once would
share one chain. Each session (each xdist worker too) takes a free port instead; brownie.network is not
connected yet when this file is loaded (it connects once collection is finished).

brownie hashes every conftest.py together with the project files it imports, and since .venv lies inside
the project it also opens imported venv modules as text: a conftest must not import brownie's compiled
modules (``from brownie._config import ...`` fails with UnicodeDecodeError), hence ``import brownie``.
"""

import brownie
import pytest

from govchain.brownie_session import wait_for_receipts_a_loaded_node_shows_late
from govchain.localnode import free_port, use_project_tools

use_project_tools()  # plain `.venv/bin/python -m pytest`: brownie launches anvil by name from PATH
brownie._config.CONFIG.networks["development"]["cmd_settings"]["port"] = free_port()
wait_for_receipts_a_loaded_node_shows_late()  # the same patch as the benchmarks and the demo (connected())


@pytest.fixture(autouse=True)
def isolation(fn_isolation):
    """Every test starts from the chain snapshot taken after the module's fixtures deployed."""
