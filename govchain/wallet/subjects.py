"""What the wallet reads from the chain: where a hub subject stands, what its client says it is, whether an
official may decide it now, and which subjects wait for them.

The hub is the one source for standing (``subjectOf``, ``route``, ``hasApproved``); the role registry for
authority (``officialIn``, ``regionsOf``); the subject's client (found by the address its id carries, named by
the deployment registry) for what it is. Pending subjects are found from the hub's ``ApprovalTransition`` events
and then checked against the hub's views, so an event missed or reordered can never list a subject wrongly.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from eth_account.signers.local import LocalAccount
from eth_utils import event_abi_to_log_topic, to_checksum_address
from web3.exceptions import ContractCustomError, ContractLogicError, Web3RPCError

from govchain import regions
from govchain.chain import Chain, load_artifact
from govchain.deploy import APPROPRIATION, EXIT, MILESTONE, PAYMENT_BATCH, PLAN, PROCUREMENT, REGISTRATION
from govchain.errors import GovchainError
from govchain.events import fetch_logs
from govchain.roles import ROLE_BY_ID, ROLE_IDS
from govchain.wallet.words import PENDING, SUBJECT_STATES, SubjectFacts, kind_words, region_words, subject_text

_REGION_BITS, _KEY_BITS = 40, 56
# IApprovalHub.Outcome values after which a subject waits for nobody (Returned waits for its submitter).
_COMPLETED, _RETURNED, _REJECTED, _CLOSED = 3, 4, 6, 8
_SETTLED = {_COMPLETED, _RETURNED, _REJECTED, _CLOSED}


class WalletError(GovchainError):
    """Raised when the wallet refuses an action; the message says why and what to do."""


class NotDecidableError(WalletError):
    """Raised when an official may not decide a subject now: not pending (at that level), frozen, their own,
    approved by them already, or outside their roles."""


class TransactionRefusedError(WalletError):
    """Raised when the chain refuses a transaction; the message names the contract's custom error."""


def parse_subject(text: str) -> int:
    """A subject id as typed: 0x-hex (as the wallet prints it) or decimal."""
    try:
        value = int(text.strip(), 0)
    except ValueError:
        raise WalletError(f"{text!r} is not a subject id: give it as `pending` prints it (0x...).") from None
    if value <= 0 or value >= 1 << 256:
        raise WalletError(f"{text!r} is not a subject id (a positive 256-bit number).")
    return value


def subject_key(subject: int) -> int:
    return subject >> _REGION_BITS & (1 << _KEY_BITS) - 1


def subject_region(subject: int) -> int:
    return subject & (1 << _REGION_BITS) - 1


def subject_client(subject: int) -> str:
    return to_checksum_address((subject >> (_REGION_BITS + _KEY_BITS)).to_bytes(20, "big"))


def _named(component: dict, value):
    """A decoded ABI value with its tuples as dicts by component name."""
    kind = component["type"]
    if kind.startswith("tuple") and kind.endswith("]"):
        inner = dict(component, type=kind[: kind.rindex("[")])
        return [_named(inner, v) for v in value]
    if kind == "tuple":
        return {c["name"]: _named(c, v) for c, v in zip(component["components"], value, strict=True)}
    return value


def call_named(contract, function: str, *args):
    """Calls a view and returns its result with structs by name (one output: that value; several: a dict)."""
    abi = next(e for e in contract.abi
               if e.get("type") == "function" and e["name"] == function and len(e["inputs"]) == len(args))
    value = getattr(contract.functions, function)(*args).call()
    outputs = abi["outputs"]
    if len(outputs) == 1:
        return _named(outputs[0], value)
    return {o["name"] or str(i): _named(o, v) for i, (o, v) in enumerate(zip(outputs, value, strict=True))}


def _text_or_hex(value: bytes) -> str:
    """A bytes32 label (a budget line, a unit) as text when it is text, else as hex."""
    raw = bytes(value).rstrip(b"\x00")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return "0x" + bytes(value).hex()
    return text if text.isprintable() else "0x" + bytes(value).hex()


def revert_text(exc: Exception, abis: list[list[dict]]) -> str:
    """A node's refusal as ``ErrorName(arg=value, ...)`` when its data is a custom error of one of ``abis``
    (role ids by name), else the node's own message.

    Private to the wallet until govchain has one decoder for every caller (orchestration/flow.py ``_error_names``
    does the same for names only)."""
    from eth_abi import decode as abi_decode
    from eth_utils import keccak

    data = getattr(exc, "data", None)
    if isinstance(data, dict):
        data = data.get("data")
    if not isinstance(data, str) or len(data) < 10:
        message = getattr(exc, "message", None) or str(exc)
        return str(message)
    selector, body = data[:10], bytes.fromhex(data[10:])
    for abi in abis:
        for entry in abi:
            if entry.get("type") != "error":
                continue
            types = [i["type"] for i in entry["inputs"]]
            if "0x" + keccak(text=f"{entry['name']}({','.join(types)})")[:4].hex() != selector:
                continue
            try:
                values = abi_decode(types, body)
            except Exception:
                return entry["name"]
            shown = []
            for spec, value in zip(entry["inputs"], values, strict=True):
                if spec["type"] == "address":
                    value = to_checksum_address(value)
                elif spec["type"] == "bytes32" and bytes(value) in ROLE_BY_ID:
                    value = ROLE_BY_ID[bytes(value)]
                elif isinstance(value, bytes):
                    value = "0x" + value.hex()
                elif spec["type"] == "uint256" and value >= 1 << 96:
                    value = hex(value)
                shown.append(f"{spec['name']}={value}")
            return f"{entry['name']}({', '.join(shown)})"
    return f"custom error {selector}"


def _covers(authority: int, region: int) -> bool:
    try:
        return regions.covers(authority, region)
    except GovchainError:
        return False


@dataclass(frozen=True)
class Decidability:
    """Whether ``account`` may decide ``facts`` now, and if not, why (a message for the official)."""

    facts: SubjectFacts
    reason: str | None

    @property
    def ok(self) -> bool:
        return self.reason is None


class PlatformReader:
    """The hub, the role registry and the hub's clients on one chain."""

    def __init__(self, chain: Chain):
        self.chain = chain
        self.web3 = chain.web3
        self.chain_id = chain.chain_id  # raises first when the node is down or on another chain
        self.hub = chain.contract("ApprovalHub")
        self.roles = chain.contract("RoleRegistry")
        self._routes: dict[int, tuple[int, list]] = {}
        self._names = {to_checksum_address(d.address): name for name, d in chain.registry.all(self.chain_id).items()}

    # ------------------------------------------------------------------ standing on the hub

    def _route(self, route_id: int) -> tuple[int, list]:
        if route_id not in self._routes:
            self._routes[route_id] = tuple(self.hub.functions.route(route_id).call())
        return self._routes[route_id]

    def standing(self, subject: int) -> SubjectFacts:
        """Where ``subject`` stands on the hub (no client details)."""
        stored = call_named(self.hub, "subjectOf", subject)
        if stored["state"] == 0:
            raise WalletError(
                f"Subject {subject_text(subject)} does not exist on the approval hub of chain {self.chain_id}: check "
                f"the id (`govchain-wallet pending` lists yours) and the network (--rpc-url)."
            )
        kind, levels = self._route(stored["routeId"])
        level = min(stored["level"], len(levels) - 1)
        role_id, region_level, threshold, _timeout = levels[level]
        region = subject_region(subject)
        try:
            role_region = regions.ancestor_at(region, regions.RegionLevel(region_level - stored["escalations"]))
        except (GovchainError, ValueError):
            role_region = region
        return SubjectFacts(
            subject=subject, kind=kind, region=region, state=stored["state"], level=stored["level"],
            level_count=len(levels), role=ROLE_BY_ID.get(bytes(role_id), "0x" + bytes(role_id).hex()),
            role_region=role_region, threshold=threshold, approvals=stored["approvals"], frozen=stored["frozen"],
            details={"submitter": stored["submitter"]},
        )

    def facts(self, subject: int) -> SubjectFacts:
        """Where ``subject`` stands and what its client says it is."""
        standing = self.standing(subject)
        details = dict(standing.details)
        try:
            details.update(self._client_details(standing))
        except (ContractLogicError, Web3RPCError, StopIteration, GovchainError):
            pass  # an unknown or older client: the hub's facts are still shown
        return replace(standing, details=details)

    def decidability(self, subject: int, account: str, level: int | None = None,
                     facts: SubjectFacts | None = None) -> Decidability:
        """Whether ``account`` may approve, reject or return ``subject`` now (at hub ``level``, when given);
        ``facts``: its standing, when read already."""
        facts = facts or self.standing(subject)
        _, kind_en = kind_words(facts.kind)
        what = f"{kind_en} {subject_text(subject)}"
        state_en = SUBJECT_STATES.get(facts.state, ("", str(facts.state)))[1]
        if facts.state != PENDING:
            return Decidability(facts, f"The {what} is not pending: it is {state_en}. Nothing to decide.")
        if level is not None and level != facts.level:
            return Decidability(
                facts,
                f"The {what} is not pending at level {level + 1}: it stands at level {facts.level + 1} of "
                f"{facts.level_count} (decided or moved on since). Check "
                f"`govchain-wallet show {subject_text(subject)}`.",
            )
        if facts.frozen:
            return Decidability(facts, f"The {what} is frozen by supervision: nothing moves it until it is unfrozen.")
        if facts.details.get("submitter", "").lower() == account.lower():
            return Decidability(facts, f"{account} submitted the {what}: the submitter never decides it.")
        if self.hub.functions.hasApproved(subject, account).call():
            return Decidability(facts, f"{account} approved the {what} already: one account approves a subject once.")
        _official, authorized = self.roles.functions.officialIn(ROLE_IDS.get(facts.role, b""), account,
                                                                facts.role_region).call()
        if not authorized:
            held = self.roles.functions.regionsOf(ROLE_IDS.get(facts.role, b""), account).call()
            area = region_words(facts.role_region)[1]
            return Decidability(
                facts,
                f"{account} holds no {facts.role} role for region {area}, which level {facts.level + 1} of "
                f"the {what} needs. Its {facts.role} grants: {', '.join(map(str, held)) or 'none'}. Ask the "
                f"administrator for the grant, or leave it to an official who holds it.",
            )
        return Decidability(facts, None)

    def require_decidable(self, subject: int, account: str, level: int | None = None) -> SubjectFacts:
        verdict = self.decidability(subject, account, level)
        if not verdict.ok:
            raise NotDecidableError(verdict.reason)
        return verdict.facts

    def pending_for(self, account: str, held: list[tuple[str, int]] | None = None) -> list[SubjectFacts]:
        """Every subject waiting for ``account``'s decision: pending at a level whose role it holds over the
        subject's region, not submitted or approved by it, not frozen. ``held``: its grants, when read already."""
        held = self.held_roles(account) if held is None else held
        if not held:
            return []
        candidates = [s for s, outcome in self._last_outcomes().items() if outcome not in _SETTLED]
        waiting = []
        for subject in sorted(candidates):
            facts = self.standing(subject)
            # The grants read once rule out most subjects without asking the chain about each.
            if facts.state != PENDING or not any(role == facts.role and _covers(region, facts.role_region)
                                                 for role, region in held):
                continue
            verdict = self.decidability(subject, account, facts=facts)
            if verdict.ok:
                waiting.append(verdict.facts)
        return waiting

    def _last_outcomes(self) -> dict[int, int]:
        """Each subject's last transition outcome, from the hub's ApprovalTransition events."""
        event_abi = next(e for e in self.hub.abi if e.get("type") == "event" and e["name"] == "ApprovalTransition")
        topic = bytes(event_abi_to_log_topic(event_abi))
        deployment = self.chain.registry.get(self.chain_id, "ApprovalHub")
        start = deployment.block if deployment else 0
        last: dict[int, int] = {}
        for found in fetch_logs(self.web3, [self.hub.address], start, self.web3.eth.block_number):
            for log in found.logs:
                topics = [bytes(t) for t in log["topics"]]
                if topics and topics[0] == topic and len(topics) == 4:
                    last[int.from_bytes(topics[1], "big")] = int.from_bytes(topics[3], "big")
        return last

    def held_roles(self, account: str) -> list[tuple[str, int]]:
        """(role, region) of every regional grant ``account`` holds directly."""
        return [(name, int(region)) for name, role in ROLE_IDS.items()
                for region in self.roles.functions.regionsOf(role, account).call()]

    # ------------------------------------------------------------------ what the client says

    def _client(self, subject: int):
        name = self._names.get(subject_client(subject))
        if name is None:
            raise WalletError(f"no deployment recorded at {subject_client(subject)}")
        abi = load_artifact(self.chain.config.build_dir, name)["abi"]
        return self.web3.eth.contract(address=subject_client(subject), abi=abi)

    def _client_details(self, facts: SubjectFacts) -> dict:
        client, key = self._client(facts.subject), subject_key(facts.subject)
        if facts.kind in (REGISTRATION, EXIT):
            event = client.events.RegistrationFiled if facts.kind == REGISTRATION else client.events.ExitFiled
            deployment = self.chain.registry.get(self.chain_id, self._names[client.address])
            logs = event.get_logs(argument_filters={"subject": facts.subject},
                                  from_block=deployment.block if deployment else 0)
            if not logs:
                return {}
            args = logs[-1]["args"]
            return {"household": "0x" + bytes(args["householdId"]).hex(), "batch": "0x" + bytes(args["batchId"]).hex()}
        if facts.kind in (PLAN, MILESTONE):
            plan_id, low = key >> 16 & 0xFFFFFFFF, key & 0xFFFF
            plan = call_named(client, "planOf", plan_id)
            details = {"plan_id": plan_id, "support_type": plan["supportType"], "category": plan["category"]}
            if facts.kind == PLAN:
                version = call_named(client, "versionOf", plan_id, low)
                return details | {"version": low, "budget": version["terms"]["budget"]}
            progress = call_named(client, "milestoneOf", plan_id, low >> 8)
            return details | {"index": low >> 8, "amount": progress["amount"]}
        if facts.kind == APPROPRIATION:
            found = call_named(client, "appropriationOf", key)
            return {"appropriation_id": key, "year": found["year"], "budget_line": _text_or_hex(found["budgetLine"]),
                    "cap": found["cap"]}
        if facts.kind == PAYMENT_BATCH:
            batch = call_named(client, "batchOf", key)
            return {"batch_id": key, "plan_id": batch["planId"], "tranche": batch["tranche"], "count": batch["count"],
                    "total": batch["total"]}
        if facts.kind == PROCUREMENT:
            found = call_named(client, "procurementOf", key)
            unit = _text_or_hex(client.functions.unitOf(found["kindId"]).call())
            return {"procurement_id": key, "plan_id": found["planId"], "supplier": found["supplier"],
                    "material_kind": found["kindId"], "unit": unit, "quantity": found["quantity"],
                    "unit_price": found["unitPrice"]}
        return {}

    # ------------------------------------------------------------------ sending

    def _gas_price(self) -> int:
        """0 on a free-gas network (zero base fee: Besu with zeroBaseFee, the local anvil), where officials' accounts
        hold no ether; else the node's suggestion. (anvil suggests 1 gwei of tip even at base fee 0.)"""
        if self.web3.eth.get_block("latest").get("baseFeePerGas") == 0:
            return 0
        return self.web3.eth.gas_price

    def send(self, account: LocalAccount, call, what: str, subjects: tuple[int, ...] = ()) -> dict:
        """Sends ``call`` from ``account`` (a legacy transaction at the node's gas price: free-gas networks take
        0), waits for its receipt and returns it; a refusal raises :class:`TransactionRefusedError`, naming the
        custom error of the hub, the role registry or the clients of ``subjects`` (the hub calls them back)."""
        abis = [self.hub.abi, self.roles.abi]
        for client in dict.fromkeys(subject_client(s) for s in subjects):
            name = self._names.get(client)
            if name:
                abis.append(load_artifact(self.chain.config.build_dir, name)["abi"])
        try:
            tx = call.build_transaction({
                "from": account.address,
                "nonce": self.web3.eth.get_transaction_count(account.address, "pending"),
                "gasPrice": self._gas_price(),
                "chainId": self.chain_id,
            })
            tx_hash = self.web3.eth.send_raw_transaction(account.sign_transaction(tx).raw_transaction)
        except (ContractCustomError, ContractLogicError, Web3RPCError) as exc:
            raise TransactionRefusedError(
                f"The chain refused {what}: {revert_text(exc, abis)}. Nothing changed."
            ) from None
        receipt = self.web3.eth.wait_for_transaction_receipt(tx_hash, timeout=120)
        if receipt["status"] != 1:
            raise TransactionRefusedError(f"{what} reverted in transaction 0x{bytes(tx_hash).hex()}. Nothing changed.")
        return receipt
