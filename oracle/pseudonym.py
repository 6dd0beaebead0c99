"""Pseudonymous household ids: a keyed hash of the household head's ID number, never the number itself.

Why keyed: an 18-digit resident ID number (GB 11643) is 6 digits of region, 8 of birth date, 3 of sequence and
a check digit. Knowing a village and a birth year leaves about 365 x 1,000 candidates, so a plain hash of the
number is reversed by trying them all in well under a second (tests/oracle/test_pseudonym.py does it). With
HMAC-SHA256 under a secret key held by the data authority, nobody without the key can test a guess.

    householdId = HMAC-SHA256(key, "govchain/household-id/v1" || 0x00 || ID number)      (32 bytes, bytes32)

The key never enters the repository. It comes from, in this order:

- ``GOVCHAIN_PSEUDONYM_KEY_FILE`` (preferred): an encrypted key file (scrypt + AES-256-GCM) made by
  ``python -m oracle key new --out FILE``; the passphrase comes from the file named by
  ``GOVCHAIN_PSEUDONYM_KEY_PASSPHRASE_FILE`` (e.g. a systemd credential or a container secret, readable by the
  service's user only), else from ``GOVCHAIN_PSEUDONYM_KEY_PASSPHRASE``, else from a prompt for the
  interactive commands;
- ``GOVCHAIN_PSEUDONYM_KEY``: the key itself as hex (at least 32 bytes), for CI and local development only.

Why the file is preferred: a process's environment is readable from ``/proc/<pid>/environ`` by its user and
by root for as long as it runs (removing a variable later does not erase it there). A key in the environment
is the key in the clear; a passphrase there still needs the key file as well. Using the hex key logs a
warning.

Every key has a public ``key_id`` (the first 8 bytes of an HMAC of a fixed label under the key): manifests
carry it, so anyone can see which key a batch's ids were made with, and it reveals nothing about the key.

Key rotation (when the key may have leaked, or on the authority's schedule):

1. Make a new key file (``python -m oracle key new``) and store it and its passphrase as the old one was.
2. Point every oracle node at the new key at the same time; from the next batch on, ids are under the new
   key and the manifest shows the new ``key_id``. Oracle nodes on different keys compute different roots, so
   the quorum fails loudly (a conflict alarm) rather than mixing keys in one batch.
3. Issue new household cards (:func:`render_card`): a household's id changes with the key. Filings already
   registered keep their old ids; the authority keeps the old key file (archived, encrypted) for as long as
   those registrations must be re-checked, and destroys it afterwards. Never publish a mapping old id -> new id.
"""

from __future__ import annotations

import getpass
import hashlib
import hmac
import json
import logging
import os
import secrets
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from govchain.config import environment
from oracle.errors import OracleError

log = logging.getLogger("oracle")

ID_DOMAIN = b"govchain/household-id/v1\x00"
KEY_ID_LABEL = b"govchain/pseudonym-key-id"
KEY_FILE_FORMAT = "govchain-pseudonym-key-v1"
MIN_KEY_BYTES = 32
# scrypt cost, once per process: 32 MiB per unlock (128 x N x r bytes) and 0.25-0.4 s of CPU (measured 2026-12-01
# on the project's 2 shared cores: hashlib.scrypt with these parameters, 5 runs).
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
CARD_URI_PREFIX = "govchain-household:"

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"


class PseudonymKeyError(OracleError):
    """Raised when the data authority's pseudonymisation key is missing, malformed or cannot be decrypted."""


class IdNumberError(OracleError):
    """Raised when a value is not a valid 18-digit resident ID number."""


class CardError(OracleError):
    """Raised when a household card value cannot be read."""


def id_check_digit(first17: str) -> str:
    """The GB 11643 check character of the first 17 digits of an ID number."""
    return _CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS)) % 11]


def normalize_id_number(id_number: str) -> str:
    """The canonical form of an 18-digit ID number (upper-case X), after checking its check digit.

    The pipeline cleans IDs (full-width digits, 15-digit legacy numbers); the oracle only accepts clean ones.

    Raises:
        IdNumberError: when the value is not 17 digits plus a correct check character.
    """
    text = str(id_number).strip().upper()
    if len(text) != 18 or not text[:17].isascii() or not text[:17].isdigit() or text[17] not in "0123456789X":
        raise IdNumberError(
            "A household key is not an 18-digit ID number; clean the results table with the pipeline first."
        )
    if id_check_digit(text[:17]) != text[17]:
        raise IdNumberError("A household key has a wrong ID check digit; fix it in the pipeline's cleaning step.")
    return text


@dataclass(frozen=True, repr=False)
class PseudonymKey:
    """The data authority's secret; ``repr`` never shows it."""

    secret: bytes

    def __post_init__(self):
        if len(self.secret) < MIN_KEY_BYTES:
            raise PseudonymKeyError(
                f"The pseudonymisation key has {len(self.secret)} bytes; it needs at least {MIN_KEY_BYTES}. "
                f"Make one with `python -m oracle key new --out FILE`."
            )

    def __repr__(self) -> str:
        return f"PseudonymKey(key_id={self.key_id})"

    @property
    def key_id(self) -> str:
        """A public fingerprint of the key, recorded in manifests."""
        return hmac.digest(self.secret, KEY_ID_LABEL, "sha256")[:8].hex()

    def household_id(self, id_number: str) -> bytes:
        """The 32-byte pseudonymous id of the household whose head has ``id_number``."""
        return hmac.digest(self.secret, ID_DOMAIN + normalize_id_number(id_number).encode("ascii"), "sha256")

    def household_ids(self, id_numbers: Iterable[str]) -> np.ndarray:
        """Pseudonymous ids of many households, as an ``(n, 32)`` uint8 array (the tree's id column)."""
        secret = self.secret
        digests = b"".join(
            hmac.digest(secret, ID_DOMAIN + normalize_id_number(n).encode("ascii"), "sha256") for n in id_numbers
        )
        return np.frombuffer(digests, dtype=np.uint8).reshape(-1, 32)

    @classmethod
    def generate(cls) -> "PseudonymKey":
        return cls(secrets.token_bytes(MIN_KEY_BYTES))


def _scrypt(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(passphrase.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=128 * 1024 * 1024, dklen=32)


def write_key_file(path: Path, key: PseudonymKey, passphrase: str) -> None:
    """Writes ``key`` encrypted under ``passphrase`` (scrypt + AES-256-GCM), readable by the owner only."""
    from Crypto.Cipher import AES

    if len(passphrase) < 12:
        raise PseudonymKeyError("The key file passphrase must have at least 12 characters.")
    path = Path(path)
    if path.exists():
        raise PseudonymKeyError(f"{path} exists; a key file is never overwritten. Choose another path.")
    salt = secrets.token_bytes(16)
    cipher = AES.new(_scrypt(passphrase, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P), AES.MODE_GCM)
    header = {
        "format": KEY_FILE_FORMAT,
        "key_id": key.key_id,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "kdf": {"name": "scrypt", "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P, "salt": salt.hex()},
        "cipher": "aes-256-gcm",
        "nonce": cipher.nonce.hex(),
    }
    cipher.update(json.dumps(header, sort_keys=True).encode())
    ciphertext, tag = cipher.encrypt_and_digest(key.secret)
    document = {**header, "ciphertext": ciphertext.hex(), "tag": tag.hex()}
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".key-")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(document, handle, indent=2)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def read_key_file(path: Path, passphrase: str) -> PseudonymKey:
    """Decrypts a key file made by :func:`write_key_file`.

    Raises:
        PseudonymKeyError: when the file is missing or malformed, or the passphrase is wrong.
    """
    from Crypto.Cipher import AES

    path = Path(path)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        header = {k: document[k] for k in ("format", "key_id", "created", "kdf", "cipher", "nonce")}
        kdf = header["kdf"]
        if header["format"] != KEY_FILE_FORMAT or kdf["name"] != "scrypt":
            raise ValueError(f"format {header['format']!r}")
        cipher = AES.new(
            _scrypt(passphrase, bytes.fromhex(kdf["salt"]), kdf["n"], kdf["r"], kdf["p"]),
            AES.MODE_GCM,
            nonce=bytes.fromhex(header["nonce"]),
        )
        ciphertext, tag = bytes.fromhex(document["ciphertext"]), bytes.fromhex(document["tag"])
    except FileNotFoundError:
        raise PseudonymKeyError(f"The key file {path} does not exist; check GOVCHAIN_PSEUDONYM_KEY_FILE.") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise PseudonymKeyError(
            f"{path} is not a pseudonymisation key file ({exc}); restore it from the backup."
        ) from exc
    cipher.update(json.dumps(header, sort_keys=True).encode())
    try:
        secret = cipher.decrypt_and_verify(ciphertext, tag)
    except ValueError:
        raise PseudonymKeyError(
            f"Cannot decrypt {path}: wrong passphrase, or the file was altered. Check the passphrase "
            f"(GOVCHAIN_PSEUDONYM_KEY_PASSPHRASE_FILE or GOVCHAIN_PSEUDONYM_KEY_PASSPHRASE)."
        ) from None
    key = PseudonymKey(secret)
    if key.key_id != header["key_id"]:
        raise PseudonymKeyError(f"{path} holds a key whose id differs from its header; restore it from the backup.")
    return key


def load_key(environ: Mapping[str, str] | None = None, prompt: bool = False) -> PseudonymKey:
    """The data authority's key from the environment (see the module docstring).

    Args:
        environ: the variables to read (by default the environment over the project's ``.env``, govchain.config).
        prompt: ask for the key file passphrase on the terminal when the environment lacks it.

    Raises:
        PseudonymKeyError: when no key is configured or it cannot be read.
    """
    env = environment(environ)
    if env.get("GOVCHAIN_PSEUDONYM_KEY_FILE"):
        passphrase = env.get("GOVCHAIN_PSEUDONYM_KEY_PASSPHRASE")
        if env.get("GOVCHAIN_PSEUDONYM_KEY_PASSPHRASE_FILE"):
            try:
                passphrase = Path(env["GOVCHAIN_PSEUDONYM_KEY_PASSPHRASE_FILE"]).read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise PseudonymKeyError(
                    f"Cannot read the passphrase file {env['GOVCHAIN_PSEUDONYM_KEY_PASSPHRASE_FILE']} "
                    f"({exc.strerror}); check GOVCHAIN_PSEUDONYM_KEY_PASSPHRASE_FILE."
                ) from None
        if passphrase is None and prompt:
            passphrase = getpass.getpass("Passphrase of the pseudonymisation key file: ")
        if passphrase is None:
            raise PseudonymKeyError(
                "GOVCHAIN_PSEUDONYM_KEY_FILE is set but its passphrase is not: set "
                "GOVCHAIN_PSEUDONYM_KEY_PASSPHRASE_FILE to a file holding it (readable by this service's user only)."
            )
        return read_key_file(Path(env["GOVCHAIN_PSEUDONYM_KEY_FILE"]), passphrase)
    if env.get("GOVCHAIN_PSEUDONYM_KEY"):
        log.warning(
            "Using the pseudonymisation key from GOVCHAIN_PSEUDONYM_KEY: it is readable from /proc/<pid>/environ while "
            "this process runs. Outside development use the encrypted key file (GOVCHAIN_PSEUDONYM_KEY_FILE)."
        )
        try:
            return PseudonymKey(bytes.fromhex(env["GOVCHAIN_PSEUDONYM_KEY"].strip().removeprefix("0x")))
        except ValueError:
            raise PseudonymKeyError(
                "GOVCHAIN_PSEUDONYM_KEY is not hex; set it to the key as 64 or more hex digits."
            ) from None
    raise PseudonymKeyError(
        "No pseudonymisation key: set GOVCHAIN_PSEUDONYM_KEY_FILE (made with `python -m oracle key new --out FILE`) "
        "and GOVCHAIN_PSEUDONYM_KEY_PASSPHRASE_FILE (a file holding its passphrase), or, for development only, "
        "GOVCHAIN_PSEUDONYM_KEY (hex). The key is held by the data authority and never stored in the repository."
    )


def card_text(household_id: bytes) -> str:
    """The household card's text: the pseudonymous id as 0x-hex, as the chain and the manifests show it."""
    if len(household_id) != 32:
        raise CardError("A household id is 32 bytes; this value is not one.")
    return "0x" + bytes(household_id).hex()


def card_payload(household_id: bytes) -> str:
    """What the card's QR code holds."""
    return CARD_URI_PREFIX + card_text(household_id)


def parse_card(text: str) -> bytes:
    """The household id from a card's text or QR payload.

    Raises:
        CardError: when the text is neither.
    """
    value = text.strip().removeprefix(CARD_URI_PREFIX).removeprefix("0x")
    try:
        household_id = bytes.fromhex(value)
    except ValueError:
        household_id = b""
    if len(household_id) != 32:
        raise CardError(f"{text!r} is not a household card value: expected 0x and 64 hex digits.")
    return household_id


def render_card(household_id: bytes, region: int | None = None):
    """The household card as a PIL image: QR code of :func:`card_payload` and the id in readable groups.

    The card carries only the pseudonymous id (and the village code if given): no name, no ID number.
    """
    import qrcode
    from PIL import Image, ImageDraw, ImageFont

    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=6, border=4)
    qr.add_data(card_payload(household_id))
    qr.make(fit=True)
    code = qr.make_image(fill_color="black", back_color="white").get_image().convert("RGB")
    font = ImageFont.load_default(size=18)
    small = ImageFont.load_default(size=14)
    hex_id = bytes(household_id).hex()
    lines = [
        ("GovChain household card", font),
        ("Household id (pseudonymous):", small),
        *[("0x" + hex_id[:16] if i == 0 else "  " + hex_id[16 * i : 16 * (i + 1)], font) for i in range(4)],
    ]
    if region is not None:
        lines.append((f"Village code: {region}", small))
    lines.append(("Scan or type this id on the public", small))
    lines.append(("disclosure site to check your status.", small))
    width = code.width + 380
    card = Image.new("RGB", (width, max(code.height, 40 + 28 * len(lines))), "white")
    card.paste(code, (0, 0))
    draw = ImageDraw.Draw(card)
    y = 24
    for text, face in lines:
        draw.text((code.width + 10, y), text, fill="black", font=face)
        y += 28
    return card


def write_card_png(path: Path, household_id: bytes, region: int | None = None) -> Path:
    """Writes the household card as a PNG file and returns its path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    render_card(household_id, region).save(path, format="PNG")
    return path
