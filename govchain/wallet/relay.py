"""Relaying a folder of signature files in one ``approveBySig`` batch, and the signers' nonces.

The hub reverts a whole batch for some faults and only skips a signature for others, so the batch is planned
before it is sent:

- held back, never sent: a file for another chain or hub; one whose subject is frozen; one whose nonce is still
  unused while its signer may not approve that level now (not pending there, approved already, submitted by
  them, role not held), or whose level the signatures before it in the batch complete (the hub would revert the
  whole batch for any of these);
- sent, and the hub skips and reports it (``ApprovalSignatureSkipped``): an expired signature, or one whose
  nonce is used up (relayed before, front-run, or cancelled);
- sent in nonce order per signer: the hub takes a signer's nonces one after the other, so a signature after a
  gap (its predecessor missing or refused) is held back until the missing one is relayed.

The same hub does not use up the nonce of an expired signature: a signer's later signature then waits too.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from govchain.wallet.signature_file import SignatureFile
from govchain.wallet.words import SubjectFacts

# IApprovalHub.SkipReason.
SKIP_REASONS = {0: "expired", 1: "nonce used up (relayed before, front-run or cancelled)"}


@dataclass(frozen=True)
class Candidate:
    path: Path
    signature: SignatureFile


@dataclass(frozen=True)
class BatchPlan:
    """What goes into the batch, in order, and what is held back with the reason."""

    send: list[Candidate]
    held: list[tuple[Candidate, str]]


def plan_batch(
    candidates: list[Candidate],
    chain_id: int,
    hub: str,
    next_nonce: Callable[[str], int],
    now: int,
    standing: Callable[[int], SubjectFacts | None],
    blocker: Callable[[int, str, int, SubjectFacts], str | None],
) -> BatchPlan:
    """Plans one batch.

    Args:
        candidates: the signature files read.
        chain_id, hub: the node's chain id and the deployed hub's address.
        next_nonce: a signer's next unused nonce on the hub.
        now: the chain's latest block time.
        standing: where a subject stands (None: no such subject).
        blocker: why a signer may not approve a subject's level now (None: it may), given its standing.
    """
    send: list[Candidate] = []
    held: list[tuple[Candidate, str]] = []
    by_signer: dict[str, list[Candidate]] = defaultdict(list)
    for c in candidates:
        s = c.signature
        if s.chain_id != chain_id:
            held.append((c, f"signed for chain id {s.chain_id}, but the node is on chain id {chain_id} (wrong chain)"))
        elif s.hub.lower() != hub.lower():
            held.append((c, f"signed for the hub at {s.hub}, but this network's hub is {hub}"))
        else:
            by_signer[s.signer].append(c)
    taken: dict[int, int] = defaultdict(int)  # approvals this batch gives each subject's current level
    for signer, mine in by_signer.items():
        expected = next_nonce(signer)
        approved: set[int] = set()
        for c in sorted(mine, key=lambda c: (c.signature.approval.nonce, c.path.name)):
            a = c.signature.approval
            facts = standing(a.subject)
            if a.deadline <= now:
                send.append(c)  # the hub skips it and says so (its nonce stays unused)
            elif facts is None:
                held.append((c, f"no subject {hex(a.subject)} on this hub"))
            elif facts.frozen:
                held.append((c, "its subject is frozen by supervision (the hub would refuse the whole batch)"))
            elif a.nonce < expected:
                send.append(c)  # the hub skips it and says so: the nonce is used up
            elif a.nonce > expected:
                held.append((c, f"waits for {signer}'s signature with nonce {expected}, which is not in this batch"))
            else:
                reason = blocker(a.subject, signer, a.level, facts)
                if reason is None and a.subject in approved:
                    reason = "the same official approves the same subject earlier in this batch"
                elif reason is None and facts.approvals + taken[a.subject] >= facts.threshold:
                    reason = f"signatures before it in this batch complete level {a.level + 1} already"
                if reason:
                    held.append((c, reason))
                    continue
                send.append(c)
                expected += 1
                approved.add(a.subject)
                taken[a.subject] += 1
    return BatchPlan(send, held)


class NonceBook:
    """The signatures each signer of this keystore folder gave out and that may still be relayed (nonce and
    deadline, per chain and hub), so an official can sign several approvals before any is relayed: the hub wants
    a signer's nonces in sequence from its own ``nonces(signer)``. A nonce whose signature expired unrelayed is
    given out again (the hub never used it up), so one lapsed signature never blocks the ones after it."""

    def __init__(self, path: Path):
        self.path = Path(path)

    def _load(self) -> dict[str, list[list[int]]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    @staticmethod
    def _key(chain_id: int, hub: str, signer: str) -> str:
        return f"{chain_id}:{hub.lower()}:{signer.lower()}"

    @staticmethod
    def _outstanding(entries: list[list[int]], on_chain: int, now: int) -> list[list[int]]:
        return [[nonce, deadline] for nonce, deadline in entries if nonce >= on_chain and deadline > now]

    def next(self, chain_id: int, hub: str, signer: str, on_chain: int, now: int) -> int:
        """The nonce the next signature carries: the first from the hub's next one that no signature given out
        here still holds."""
        held = {nonce for nonce, _ in self._outstanding(self._load().get(self._key(chain_id, hub, signer), []),
                                                        on_chain, now)}
        nonce = on_chain
        while nonce in held:
            nonce += 1
        return nonce

    def used(self, chain_id: int, hub: str, signer: str, nonce: int, deadline: int, on_chain: int, now: int) -> None:
        """Records a signature given out (and forgets those relayed or expired)."""
        data = self._load()
        key = self._key(chain_id, hub, signer)
        data[key] = self._outstanding(data.get(key, []), on_chain, now) + [[nonce, deadline]]
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".nonces-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=2, sort_keys=True)
        os.replace(tmp, self.path)
