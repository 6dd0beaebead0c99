"""Approvals as officials give them on a real network: each signs an EIP-712 `Approval` with their own key, and
a relayer submits the signatures in batches through the hub's `approveBySig` (govchain/approvals.py).

One batch per round: every pending subject given gets one signature for the level it stands at, by the first
official who may approve it there, and the round's signatures go in one transaction. So several households
filed together take one transaction per level of their route, not one per approval. An official signing for
several subjects in one batch uses consecutive nonces, which the hub consumes in batch order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from web3 import Web3
from web3.logs import DISCARD

from govchain import regions
from govchain.approvals import Approval, hub_domain, sign_approval, signed_approval
from govchain.enums import SubjectState
from govchain.errors import GovchainError
from govchain.roles import ROLE_BY_ID
from govchain.structs import read
from orchestration.keyring import Keyring

# How long a signature stays valid: a relayer sends it at once; an hour covers a slow node, not a lost file.
SIGNATURE_LIFETIME = 3600

Send = Callable[[object, str, str], str]


class ApprovalRelayError(GovchainError):
    """Raised when no official given may approve a subject's level, or the hub skipped a relayed signature."""


def approve_in_batches(web3: Web3, hub, roles, subjects: Iterable[tuple[int, int]], officials: list[str],
                       keyring: Keyring, relayer: str, send: Send) -> dict[str, str]:
    """Approves each pending (subject, region) of ``subjects`` to the end of its route with signatures of
    ``officials`` (those ``keyring`` can sign for), relayed by ``relayer``; returns label → transaction hash,
    one transaction per round. ``send(call, sender, what)`` sends and waits (orchestration.flow.transact)."""
    subjects = list(subjects)
    domain = hub_domain(web3.eth.chain_id, hub.address)
    routes: dict[int, list] = {}
    txs: dict[str, str] = {}
    while True:
        deadline = web3.eth.get_block("latest")["timestamp"] + SIGNATURE_LIFETIME
        nonces: dict[str, int] = {}
        batch, levels_signed = [], []
        for subject, region in subjects:
            pending = read(hub.functions.subjectOf(subject))
            submitter, route_id, level = pending.submitter, pending.routeId, pending.level
            if pending.state != SubjectState.PENDING:
                continue
            if route_id not in routes:
                routes[route_id] = read(hub.functions.route(route_id)).levels
            role, region_level = bytes(routes[route_id][level].role), routes[route_id][level].regionLevel
            level_region = regions.ancestor_at(region, regions.RegionLevel(region_level))
            approver = _approver(hub, roles, subject, submitter, role, level_region, officials, keyring)
            if approver not in nonces:
                nonces[approver] = hub.functions.nonces(approver).call()
            approval = Approval(subject, level, nonces[approver], deadline)
            nonces[approver] += 1
            signature = sign_approval(keyring.signer(approver).key, approval, domain)
            batch.append(signed_approval(approver, approval, signature))
            levels_signed.append(f"L{level} {ROLE_BY_ID.get(role, role.hex())} {level_region}")
        if not batch:
            return txs
        what = f"relaying {len(batch)} signed approval{'s' if len(batch) > 1 else ''}"
        tx = send(hub.functions.approveBySig(batch), relayer, what)
        skipped = hub.events.ApprovalSignatureSkipped().process_receipt(web3.eth.get_transaction_receipt(tx),
                                                                  errors=DISCARD)  # the batch's other events
        if skipped:
            reasons = ", ".join(f"subject {e['args']['subject']} by {e['args']['signer']} "
                                f"({('expired', 'nonce used')[e['args']['reason']]})" for e in skipped)
            raise ApprovalRelayError(f"The hub skipped relayed signatures in {tx}: {reasons}.")
        label = (levels_signed[0] if len(batch) == 1
                 else f"{len(batch)} subjects: " + "; ".join(sorted(set(levels_signed))))
        txs[f"approve {label} (signed, relayed)"] = tx


def _approver(hub, roles, subject: int, submitter: str, role: bytes, region: int, officials: list[str],
              keyring: Keyring) -> str:
    """The first of ``officials`` with a key who may approve ``subject`` at this level: holds ``role`` over
    ``region``, did not submit it and has not approved it yet (the hub enforces the same)."""
    for official in officials:
        if (official != submitter and keyring.has(official)
                and not hub.functions.hasApproved(subject, official).call()
                and roles.functions.hasRoleIn(role, official, region).call()):
            return official
    raise ApprovalRelayError(
        f"No demo official with a keystore holds {ROLE_BY_ID.get(role, role.hex())} over {region} and may approve "
        f"subject {subject} (officials tried: {', '.join(officials)}).")
