"""A local anvil node for development, the demo and the tests, started and stopped by PID.

anvil comes from npm (``@foundry-rs/anvil-linux-amd64``). The ``@foundry-rs/anvil`` wrapper is a Node parent
process, so the platform binary is started directly: the PID we hold is the node itself.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import MutableMapping
from pathlib import Path

from govchain.config import PROJECT_ROOT
from govchain.errors import GovchainError

ANVIL_BINARY = PROJECT_ROOT / "node_modules" / "@foundry-rs" / "anvil-linux-amd64" / "bin" / "anvil"
LOCAL_CHAIN_ID = 31337
# What `make setup` installs: anvil linked into .make/bin, the offline solc wrapper in .solcx (see the Makefile).
PROJECT_BIN = PROJECT_ROOT / ".make" / "bin"
PROJECT_SOLCX = PROJECT_ROOT / ".solcx"


def use_project_tools(environ: MutableMapping[str, str] | None = None) -> None:
    """Lets this process (and its children) find the project's own tools, as the Makefile does for its targets.

    brownie launches ``anvil`` by name from PATH and py-solc-x looks for its compiler in ``SOLCX_BINARY_PATH``;
    an entry point run directly (``.venv/bin/python benchmarks/gas_registration.py``) has neither set. So this
    puts ``.make/bin`` at the front of PATH unless it is on it already, and sets ``SOLCX_BINARY_PATH`` to
    ``.solcx`` unless it is set; each only when the folder exists. Call it first thing in every entry point.
    """
    env = os.environ if environ is None else environ
    path = env.get("PATH", "")
    if PROJECT_BIN.is_dir() and str(PROJECT_BIN) not in path.split(os.pathsep):
        env["PATH"] = os.pathsep.join(filter(None, [str(PROJECT_BIN), path]))
    if PROJECT_SOLCX.is_dir() and not env.get("SOLCX_BINARY_PATH"):
        env["SOLCX_BINARY_PATH"] = str(PROJECT_SOLCX)


class LocalNodeError(GovchainError):
    """Raised when the local anvil node cannot be started."""


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop_process(process: subprocess.Popen | None, timeout: float = 15.0) -> None:
    """Stops a child process by PID: SIGTERM (services save state and close cleanly), SIGKILL if it hangs."""
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def port_in_use(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


class AnvilNode:
    """One anvil process on loopback; its state file (if any) is saved on stop and restored on start.

    Use as a context manager, or call :meth:`start` and :meth:`stop`.
    """

    def __init__(
        self,
        port: int | None = None,
        state_file: Path | None = None,
        chain_id: int = LOCAL_CHAIN_ID,
        log_file: Path | None = None,
        extra_args: tuple[str, ...] = (),
        *,
        hardfork: str | None = None,
        free_gas: bool = False,
    ):
        """
        Args:
            chain_id: the chain id the node reports (31337 by default, anvil's own).
            hardfork: the EVM fork to run (anvil's newest by default); ``"london"`` runs the fork of the
                production network's genesis (network/besu/genesis.py).
            free_gas: suggest a gas price of 0 (eth_gasPrice) as a Besu node with --min-gas-price=0 does, by
                turning off anvil's minimum suggested priority fee. Gas price 0 and base fee 0 hold for every
                node; with this, a sender that fills in web3.py's default EIP-1559 fees instead of a legacy gas
                price (govchain.chain.connect) is refused, as on that network.
        """
        self.port = port or free_port()
        self.state_file = Path(state_file) if state_file else None
        self.chain_id = chain_id
        self.log_file = Path(log_file) if log_file else None
        self.extra_args = extra_args
        self.hardfork = hardfork
        self.free_gas = free_gas
        self.process: subprocess.Popen | None = None

    @property
    def rpc_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        cmd = [
            str(ANVIL_BINARY),
            "--host", "127.0.0.1",
            "--port", str(self.port),
            "--chain-id", str(self.chain_id),
            # Permissioned production networks run with free gas; brownie expects the same locally.
            "--block-base-fee-per-gas", "0",
            "--gas-price", "0",
            "--silent",
        ]
        if self.hardfork:
            cmd += ["--hardfork", self.hardfork]
        if self.free_gas:
            cmd.append("--disable-min-priority-fee")
        if self.state_file:
            cmd += ["--state", str(self.state_file)]
        return cmd + list(self.extra_args)

    def start(self, timeout: float = 15.0) -> "AnvilNode":
        if not ANVIL_BINARY.exists():
            raise LocalNodeError(f"anvil is not installed at {ANVIL_BINARY}; run `make setup` (npm ci).")
        if port_in_use(self.port):
            raise LocalNodeError(
                f"Port {self.port} is already in use; stop what listens there or choose another port."
            )
        if self.state_file:
            self.state_file.parent.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ)
        # anvil leaves old state under $HOME/.foundry/anvil/tmp; keep that inside the project's data folder.
        env["HOME"] = str(PROJECT_ROOT / "data" / "anvil-home")
        Path(env["HOME"]).mkdir(parents=True, exist_ok=True)
        log = open(self.log_file, "ab") if self.log_file else subprocess.DEVNULL
        self.process = subprocess.Popen(self.command(), stdout=log, stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise LocalNodeError(f"anvil exited with code {self.process.returncode} at start: {self.command()}")
            if self._answers():
                return self
            time.sleep(0.05)
        self.stop()
        raise LocalNodeError(f"anvil did not answer on {self.rpc_url} within {timeout} s")

    def _answers(self) -> bool:
        request = urllib.request.Request(
            self.rpc_url,
            data=b'{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}',
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=1) as response:
                return response.status == 200
        except OSError:
            return False

    def stop(self, timeout: float = 15.0) -> None:
        """Stops the node with SIGTERM (anvil writes its state file then), SIGKILL if it hangs."""
        stop_process(self.process, timeout)

    def __enter__(self) -> "AnvilNode":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()
