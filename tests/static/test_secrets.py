"""No private key in the repository (SECURITY.md, Key handling).

Every 32-byte hex value in a committed text file is either explained here (a hash, a protocol constant) or
fails the test: a private key is 32 bytes of hex, and the one way to tell it from a hash is to know what each
value is. The only keys the code may hold are anvil's public development ones, derived from its well-known
mnemonic, which is named as such wherever it appears.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from govchain.config import PROJECT_ROOT

ANVIL_MNEMONIC = "test test test test test test test test test test test junk"  # public: anvil's and hardhat's
# Folders of installs and generated or runtime data (ignored by git), never scanned.
SKIPPED = {".git", ".venv", "node_modules", ".solcx", ".make", "build", "reports", "data", "__pycache__",
           ".pytest_cache", ".hypothesis"}
# Files whose 32-byte hex values are all hashes, by what they hold.
HASH_FILES = {
    "data_pipeline/policies/released.json": "content hashes of the released policy versions",
    "package-lock.json": "npm's integrity hashes of the locked packages",
    "dashboard/schemas/iati-2.03/SHA256SUMS": "SHA-256 sums of the vendored IATI schema files",
}
# Single 32-byte hex values and what they are.
KNOWN_VALUES = {
    "63746963616c2062797a616e74696e65206661756c7420746f6c6572616e6365":
        "QBFT's genesis mixHash, ASCII for 'ctical byzantine fault tolerance' (network/besu/genesis.py)",
}
HEX_32 = re.compile(r"(?<![0-9A-Za-z])(?:0x)?([0-9a-fA-F]{64})(?![0-9A-Za-z])")
MNEMONIC_ASSIGNMENT = re.compile(r"MNEMONIC\s*=\s*[\"']([^\"']+)[\"']")


def committed_text_files() -> list[Path]:
    """The repository's files (git's list in a checkout, else a walk that skips installs and data)."""
    try:
        listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                                cwd=PROJECT_ROOT, capture_output=True, check=True).stdout
        paths = [PROJECT_ROOT / name for name in listed.decode().split("\0") if name]
    except (OSError, subprocess.CalledProcessError):
        paths = [p for p in PROJECT_ROOT.rglob("*") if not SKIPPED & set(p.relative_to(PROJECT_ROOT).parts)]
    texts = []
    for path in paths:
        if path.is_file() and not path.is_symlink() and b"\0" not in path.read_bytes()[:4096]:
            texts.append(path)
    return texts


def test_every_32_byte_hex_value_in_the_repository_is_a_known_hash_or_constant():
    unexplained = []
    for path in committed_text_files():
        relative = path.relative_to(PROJECT_ROOT).as_posix()
        if relative in HASH_FILES:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            unexplained += [f"{relative}:{number}: {value}" for value in HEX_32.findall(line)
                            if value.lower() not in KNOWN_VALUES]
    assert unexplained == []


def test_the_scan_finds_a_private_key_written_into_a_file(tmp_path):
    leaked = "0x" + "ab" * 32
    assert HEX_32.findall(f'KEY = "{leaked}"  # oops') == ["ab" * 32]


def test_the_only_mnemonic_in_the_repository_is_anvils_public_development_one():
    mnemonics = {value for path in committed_text_files() if path.suffix == ".py"
                 for value in MNEMONIC_ASSIGNMENT.findall(path.read_text(encoding="utf-8", errors="replace"))}
    assert mnemonics <= {ANVIL_MNEMONIC}


def test_the_dotenv_file_of_secrets_is_ignored_by_git():
    ignored = subprocess.run(["git", "check-ignore", "-q", ".env"], cwd=PROJECT_ROOT)
    assert ignored.returncode == 0
