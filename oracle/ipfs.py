"""IPFS for the oracle: a client on the standard HTTP RPC ``/api/v0`` through ``ipfshttpclient`` (the same calls
work on Kubo in production), and a managed local js-ipfs node (npm ``ipfs@0.66.1``) for development and the tests.

Only these calls are used: ``add`` (CIDv1, raw leaves, pinned), ``cat``, ``pin/add`` and ``pin/ls``, each with a
timeout. ``ipfshttpclient.Client`` is constructed directly: its ``connect()`` refuses daemons newer than 0.8.0
(js-ipfs reports 0.18), while the calls themselves work (see ../shared/TOOLCHAIN.md). Content is addressed by
CID, so whoever fetches a manifest can check it against the CID committed on chain.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import tempfile
import time
import warnings
from pathlib import Path
from urllib.parse import urlsplit

import ipfshttpclient
from ipfshttpclient import exceptions as ipfs_errors
from multiformats import CID

from govchain.config import PROJECT_ROOT
from govchain.localnode import free_port, stop_process
from oracle.errors import OracleError

JS_IPFS_CLI = PROJECT_ROOT / "node_modules" / "ipfs" / "src" / "cli.js"
POLYFILL = Path(__file__).with_name("promise_with_resolvers.cjs")


class IpfsError(OracleError):
    """Raised when the IPFS node refuses a request or answers with something unexpected."""


class IpfsUnavailableError(IpfsError):
    """Raised when the IPFS node does not answer; the service retries these with backoff."""

    def __init__(self, api_url: str, cause: object):
        super().__init__(
            f"The IPFS node at {api_url} does not answer ({cause}). Start it (js-ipfs locally, Kubo in "
            f"production) or point GOVCHAIN_IPFS_API at a running node."
        )
        self.api_url = api_url


class IpfsNodeError(IpfsError):
    """Raised when the managed js-ipfs node cannot be started."""


def normalize_cid(cid: str) -> str:
    """A CID in the one text form the oracle commits: CIDv1, base32."""
    try:
        return CID.decode(cid).set(version=1).encode("base32")
    except Exception as exc:  # multiformats raises several unrelated error types for bad input
        raise IpfsError(f"{cid!r} is not a CID ({exc}).") from exc


def api_multiaddr(api_url: str) -> str:
    """The multiaddr ipfshttpclient takes for an API URL such as ``http://127.0.0.1:5001``."""
    parts = urlsplit(api_url if "://" in api_url else f"http://{api_url}")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise IpfsError(f"{api_url!r} is not an IPFS API URL such as http://127.0.0.1:5001.")
    host = parts.hostname
    kind = "ip6" if ":" in host else "ip4" if host.replace(".", "").isdigit() else "dns"
    return f"/{kind}/{host}/tcp/{parts.port or (443 if parts.scheme == 'https' else 80)}/{parts.scheme}"


class IpfsClient:
    """The oracle's IPFS calls, through ``ipfshttpclient``, with its errors mapped to the oracle's."""

    def __init__(self, api_url: str, timeout: float = 60.0):
        self.api_url = api_url.rstrip("/")
        self.timeout = timeout
        self.client = ipfshttpclient.Client(api_multiaddr(self.api_url), timeout=timeout)

    def _call(self, command: str, action):
        try:
            with warnings.catch_warnings():
                # ipfshttpclient 0.7 passes urllib3 a parameter urllib3 2 deprecates, on every request.
                warnings.filterwarnings("ignore", "The 'strict' parameter", FutureWarning)
                return action()
        except (ipfs_errors.ConnectionError, ipfs_errors.TimeoutError) as exc:
            raise IpfsUnavailableError(self.api_url, exc) from exc
        except ipfs_errors.Error as exc:
            raise IpfsError(f"IPFS {command} failed: {str(exc)[:300]}") from exc

    def version(self) -> str:
        return self._call("version", self.client.version)["Version"]

    def add(self, content: bytes, name: str = "manifest.json") -> str:
        """Adds and pins ``content``; returns its CIDv1 (base32)."""
        stream = io.BytesIO(content)
        stream.name = name
        result = self._call("add", lambda: self.client.add(stream, cid_version=1, raw_leaves=True, pin=True))
        if isinstance(result, list):  # one entry per file, the last one the root
            result = result[-1]
        if "Hash" not in result:
            raise IpfsError(f"IPFS add returned no CID: {str(result)[:300]}")
        return normalize_cid(result["Hash"])

    def cid_of(self, content: bytes, cid_version: int = 1) -> str:
        """The CID the node gives ``content`` (chunked as it chunks, nothing stored); for content too large for
        a local raw CID. Raw leaves go with CIDv1, as :meth:`add` stores them."""
        stream = io.BytesIO(content)
        stream.name = "document"
        result = self._call(
            "add",
            lambda: self.client.add(stream, cid_version=cid_version, raw_leaves=cid_version == 1, only_hash=True),
        )
        if isinstance(result, list):
            result = result[-1]
        if "Hash" not in result:
            raise IpfsError(f"IPFS add returned no CID: {str(result)[:300]}")
        return result["Hash"]

    def cat(self, cid: str) -> bytes:
        return self._call("cat", lambda: self.client.cat(normalize_cid(cid)))

    def pin(self, cid: str) -> None:
        self._call("pin/add", lambda: self.client.pin.add(normalize_cid(cid)))

    def is_pinned(self, cid: str) -> bool:
        try:
            keys = self._call("pin/ls", lambda: self.client.pin.ls(normalize_cid(cid))).get("Keys", {})
        except IpfsError as exc:
            if isinstance(exc, IpfsUnavailableError) or "not pinned" not in str(exc):
                raise
            return False
        return any(normalize_cid(key) == normalize_cid(cid) for key in keys)


class JsIpfsNode:
    """One js-ipfs daemon on loopback, offline, with its repo in ``repo_dir`` (a temporary folder by default).

    The daemon listens on no swarm address and has no bootstrap peers: it serves the RPC API and nothing else.
    It is stopped by its PID. Use as a context manager, or call :meth:`start` and :meth:`stop`.
    """

    def __init__(self, repo_dir: Path | None = None, api_port: int | None = None, log_file: Path | None = None):
        self._own_repo = repo_dir is None
        self.repo_dir = Path(repo_dir) if repo_dir else Path(tempfile.mkdtemp(prefix="govchain-ipfs-"))
        self.api_port = api_port or free_port()
        self.log_file = Path(log_file) if log_file else self.repo_dir.parent / f"{self.repo_dir.name}.log"
        self.process: subprocess.Popen | None = None

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.api_port}"

    def _config(self) -> dict:
        return {
            "Addresses": {
                "Swarm": [],
                "API": f"/ip4/127.0.0.1/tcp/{self.api_port}",
                "Gateway": f"/ip4/127.0.0.1/tcp/{free_port()}",
                "RPC": f"/ip4/127.0.0.1/tcp/{free_port()}",
                "Delegates": [],
            },
            "Bootstrap": [],
            "Discovery": {"MDNS": {"Enabled": False}, "webRTCStar": {"Enabled": False}},
        }

    def command(self, config_file: Path) -> list[str]:
        return [
            "node", "--require", str(POLYFILL), str(JS_IPFS_CLI), "daemon",
            "--init-config", str(config_file), "--offline", "--enable-preload=false",
        ]

    def start(self, timeout: float = 60.0) -> "JsIpfsNode":
        if not JS_IPFS_CLI.exists():
            raise IpfsNodeError(f"js-ipfs is not installed at {JS_IPFS_CLI}; run `make setup` (npm ci).")
        self.repo_dir.mkdir(parents=True, exist_ok=True)
        config_file = self.repo_dir.parent / f"{self.repo_dir.name}.config.json"
        config_file.write_text(json.dumps(self._config()))
        env = dict(os.environ, IPFS_PATH=str(self.repo_dir))
        # A daemon killed without a clean stop leaves its repo lock behind; we only ever run one per repo.
        (self.repo_dir / "repo.lock").unlink(missing_ok=True)
        # Only what this start writes to the log counts (a restarted node appends to the same log).
        offset = self.log_file.stat().st_size if self.log_file.exists() else 0
        with open(self.log_file, "ab") as log:
            self.process = subprocess.Popen(
                self.command(config_file), stdout=log, stderr=subprocess.STDOUT, env=env, cwd=PROJECT_ROOT
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with open(self.log_file, "rb") as log:
                log.seek(offset)
                started = b"Daemon is ready" in log.read()
            if started and self.process.poll() is None:
                return self
            if self.process.poll() is not None:
                raise IpfsNodeError(f"js-ipfs exited with code {self.process.returncode}; see {self.log_file}")
            time.sleep(0.1)
        self.stop()
        raise IpfsNodeError(f"js-ipfs did not report 'Daemon is ready' within {timeout} s; see {self.log_file}")

    def stop(self, timeout: float = 15.0) -> None:
        stop_process(self.process, timeout)

    def remove(self) -> None:
        """Stops the node and deletes its repo if this object made it."""
        self.stop()
        if self._own_repo:
            shutil.rmtree(self.repo_dir, ignore_errors=True)

    def __enter__(self) -> "JsIpfsNode":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.remove()
