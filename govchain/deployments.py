"""The deployment registry: contract addresses per chain id, in one JSON file.

The deploy script writes it; every other component reads it. Layout::

    {"31337": {"RoleRegistry": {"address": "0x..", "tx": "0x..", "block": 3, "code_hash": "0x.."}}}

``code_hash`` is the keccak-256 of the creation bytecode deployed, so the deploy script can tell whether the
contract on chain was built from the sources of today (records written before it existed have none).

Writes go to a temporary file that is then renamed, so a crash never leaves a half-written registry.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from eth_utils import keccak
from hexbytes import HexBytes

from govchain.errors import ConfigError


@dataclass(frozen=True)
class Deployment:
    """Where one contract lives on one chain, the transaction that created it and the build it came from."""

    address: str
    tx: str
    block: int
    code_hash: str | None = None


def code_hash(creation_code: str | bytes) -> str:
    """A deployment's ``code_hash``: keccak-256 of its creation bytecode (hex or bytes), as 0x-hex."""
    return "0x" + keccak(HexBytes(creation_code)).hex()


class DeploymentRegistry:
    """Reads and writes the deployment registry file."""

    def __init__(self, path: Path):
        self.path = Path(path)

    def _load(self) -> dict[str, dict[str, dict]]:
        if not self.path.exists():
            return {}
        try:
            return json.loads(self.path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise ConfigError(
                f"The deployment registry {self.path} is not valid JSON ({exc}); restore it from a backup or "
                f"delete it and redeploy."
            ) from exc

    def get(self, chain_id: int, name: str) -> Deployment | None:
        """The deployment of ``name`` on ``chain_id``, or None."""
        entry = self._load().get(str(chain_id), {}).get(name)
        return Deployment(**entry) if entry else None

    def all(self, chain_id: int) -> dict[str, Deployment]:
        """Every deployment recorded for ``chain_id``."""
        return {name: Deployment(**entry) for name, entry in self._load().get(str(chain_id), {}).items()}

    def record(self, chain_id: int, name: str, deployment: Deployment) -> None:
        """Records (or replaces) the deployment of ``name`` on ``chain_id``."""
        data = self._load()
        data.setdefault(str(chain_id), {})[name] = asdict(deployment)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".deployments-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=2, sort_keys=True)
            handle.write("\n")
        os.replace(tmp, self.path)
