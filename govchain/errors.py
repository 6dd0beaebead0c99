"""One exception tree for everything that talks to the chain.

Every message says what went wrong and what to do about it, because the people who read them are
operators and officials, not the authors of this code.
"""


class GovchainError(Exception):
    """Base class of every error raised by the GovChain Python packages."""


class ConfigError(GovchainError):
    """Raised when the network configuration is missing or malformed."""


class NodeUnreachableError(GovchainError):
    """Raised when the JSON-RPC node does not answer."""

    def __init__(self, rpc_url: str, cause: object = None):
        super().__init__(
            f"The chain node at {rpc_url} does not answer ({cause}). Start it (`make demo` starts a local "
            f"node) or point GOVCHAIN_RPC_URL at a running node."
        )
        self.rpc_url = rpc_url


class WrongChainError(GovchainError):
    """Raised when the node reports another chain id than the one configured."""

    def __init__(self, rpc_url: str, expected: int, actual: int):
        super().__init__(
            f"The node at {rpc_url} is on chain id {actual}, but chain id {expected} was expected. Check "
            f"GOVCHAIN_RPC_URL and GOVCHAIN_CHAIN_ID: they must name the same network."
        )
        self.expected = expected
        self.actual = actual


class NotDeployedError(GovchainError):
    """Raised when a contract has no deployment on the connected chain, or its address holds no code."""

    def __init__(self, name: str, chain_id: int, detail: str):
        super().__init__(
            f"{name} is not deployed on chain id {chain_id}: {detail}. Run the deploy script "
            f"(`make demo` locally, `brownie run scripts/deploy.py --network besu` in production)."
        )
        self.name = name
        self.chain_id = chain_id


class ArtifactMissingError(GovchainError):
    """Raised when brownie's build artifact of a contract is missing."""

    def __init__(self, name: str, path: object):
        super().__init__(
            f"No build artifact for {name} at {path}. Compile the contracts first: `.venv/bin/brownie compile`."
        )
        self.name = name


class InvalidRegionError(GovchainError):
    """Raised when a value is not a valid 12-digit administrative region code."""

    def __init__(self, code: object, reason: str):
        super().__init__(f"{code!r} is not a valid 12-digit region code: {reason}.")
        self.code = code
