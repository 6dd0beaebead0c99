"""Stateful properties of the household register (brownie + hypothesis): over random sequences of eligibility batches
published at county, township or village scope (final at once, or started by one oracle and finalized late, after newer
ones), registration and exit filings (with proofs from the newest final batch covering the village, forged, from an
older batch of any scope, or non-final), entries into monitoring, approvals by anyone at any level (direct and relayed,
relays replayed), returns, resubmissions, rejections, escalations of overdue levels by anyone, revocation and re-grant
of the clerk's and a township leader's roles mid-route, objections and their resolution, completions, re-admissions and
the passing of days (past notice periods and to either side of the end of a transition period),

- no household is admitted (or exited, or monitored) on a proof that a newer final batch covering its village
  contradicts: a filing counts only on the newest final batch covering the village, whatever its scope, and a
  batch finalized late never displaces a newer one;
- no household becomes registered (or exited) without a valid admit (exit) proof in such a batch,
  every level's threshold of distinct approvers, and a completed notice period with no upheld objection;
- a household enters monitoring only on a valid monitor proof, and only from none or exited;
- designated policies stay covered for an exited household exactly until its transition period ends, other
  policies stop at the exit;
- no account ever approves a subject twice, and no subject completes with fewer distinct approvers than its
  route requires (escalation hands a level up, it never skips one);
- an official acts only while holding the role: a revoked clerk files, resubmits and escalates nothing, a
  revoked leader approves nothing;
- every action succeeds exactly when the rules say it may (the model below is the rules, written plainly), and
  a refused filing reverts with the custom error the rules name.
"""

from collections import defaultdict
from types import SimpleNamespace

import pytest
from brownie import web3
from brownie.exceptions import VirtualMachineError
from eth_utils import keccak
from hexbytes import HexBytes
from hypothesis import HealthCheck
from hypothesis import strategies as st

from govchain.eligibility import Decision, leaf_hash
from govchain.roles import role_id
from tests.contracts.conftest import (
    ADVANCED,
    COMPLETED,
    COUNTY,
    DAY,
    H_EXITED,
    H_MONITORING,
    H_NONE,
    H_REGISTERED,
    LEVEL_TIMEOUT,
    NOTICE_PERIOD,
    O_APPROVED,
    OTHER_VILLAGE_SAME_TOWNSHIP,
    TOWNSHIP,
    TRANSITION_PERIOD,
    VILLAGE,
    CommittedBatch,
    err,
    household_id,
    make_leaves,
)
from tests.contracts.signing import approval_signature, compact

HOUSEHOLDS = ["alpha", "beta"]
# The routes of household_registry (tests/contracts/conftest.py TEST_ROUTES), each level as (role, region level,
# threshold, timeout): registration (village, township, county LEADERs), exit (township REVIEWER, county LEADER).
ROUTES = {
    "registration": [("LEADER", 5, 1, LEVEL_TIMEOUT), ("LEADER", 4, 2, LEVEL_TIMEOUT), ("LEADER", 3, 1, LEVEL_TIMEOUT)],
    "exit": [("REVIEWER", 4, 1, LEVEL_TIMEOUT), ("LEADER", 3, 1, 0)],
}
THRESHOLDS = {kind: [threshold for _, _, threshold, _ in levels] for kind, levels in ROUTES.items()}
# Escalation is tried only this far from a level's deadline, so the block's second never decides it.
MARGIN = 120
NOTICE_DAYS = NOTICE_PERIOD // DAY
# Where a filing's proof comes from: the newest final batch covering the village (three times as likely), the same
# with a forged leaf, an older final batch (of any scope), or a batch that is not final.
PROOFS = ["current", "current", "current", "forged", "older", "not final"]
SCOPES = [COUNTY, TOWNSHIP, VILLAGE]
# None: the batch has no leaf for the household (absence cannot be proven; it must still stop a completion).
DECISIONS = [Decision.ADMIT, Decision.EXIT, Decision.MONITOR, Decision.NONE, None]
DESIGNATED_POLICY = keccak(text="policy:medical-insurance")
OTHER_POLICY = keccak(text="policy:housing-grant")
SETTINGS = {
    "max_examples": 30,
    "stateful_step_count": 40,
    "deadline": None,
    "suppress_health_check": list(HealthCheck),
    "database": None,
}


def _batch(eligibility, officials, name, scope, decisions, oracles=2):
    """A batch of `decisions` (one per household, all of VILLAGE; None leaves the household out) committed by
    `oracles` oracles; a household of another village keeps a batch that leaves out every household non-empty."""
    leaves = make_leaves({h: (VILLAGE, decision) for h, decision in zip(HOUSEHOLDS, decisions) if decision is not None}
                         | {"elsewhere": (OTHER_VILLAGE_SAME_TOWNSHIP, Decision.NONE)})
    return CommittedBatch(keccak(text=name), scope, leaves).commit(eligibility, officials.oracles[:oracles])


@pytest.fixture(scope="module")
def stateful_batches(eligibility, officials, chain):
    """A county batch admitting every household (final), and a village batch of exit leaves that never becomes
    final (one oracle)."""
    chain.sleep(1)
    initial = _batch(eligibility, officials, "stateful-initial", COUNTY, [Decision.ADMIT] * len(HOUSEHOLDS))
    chain.sleep(1)
    not_final = _batch(eligibility, officials, "stateful-not-final", VILLAGE, [Decision.EXIT] * len(HOUSEHOLDS),
                       oracles=1)
    return SimpleNamespace(initial=initial, not_final=not_final)


class Published:
    """A batch as the model knows it: its scope, decisions, date (its data's as-of time) and whether it is final."""

    def __init__(self, batch, decisions, dated, final):
        self.batch = batch
        self.decisions = dict(zip(HOUSEHOLDS, decisions))
        self.dated = dated
        self.final = final


@pytest.fixture(scope="module")
def clerk_also_leader(role_registry, officials, admin, role):
    """The filing clerk also holds LEADER over the village: only separation of duties stops it approving."""
    role_registry.grantRoleIn(role["LEADER"], officials.clerk, VILLAGE, {"from": admin})


@pytest.fixture(scope="module")
def designated_policy(household_registry, admin):
    household_registry.setPolicyDesignated(DESIGNATED_POLICY, True, {"from": admin})


def _wrong_decision(error):
    return error is not None and error.startswith("HouseholdWrongDecision")


class Procedure:
    def __init__(self, subject, kind):
        self.subject = subject
        self.kind = kind  # "registration" or "exit"
        self.thresholds = THRESHOLDS[kind]
        self.state = "pending"
        self.level = 0
        self.at_level = 0
        self.approvers = set()
        self.approved_day = None
        self.open_objections = 0
        self.objectors = set()  # accounts with an open objection against it
        self.stopped = False
        self.escalations = 0  # region levels the current level is handed up
        self.since = None  # when the current level started (or was escalated, or resubmitted)

    @property
    def closed(self):
        return self.state == "rejected" or self.stopped


class Registration:
    st_household = st.integers(0, len(HOUSEHOLDS) - 1)
    st_actor = st.integers(0, 6)
    st_level = st.integers(-1, 1)
    st_valid = st.booleans()
    st_proof = st.sampled_from(PROOFS)
    st_upheld = st.booleans()
    st_days = st.sampled_from([1, 2, 3, 5])
    st_objection = st.integers(0, 5)
    # Up to a registration and an exit (6 and 5 steps) in one go, so exits and transitions are common.
    st_steps = st.integers(1, 12)
    st_scope = st.sampled_from(SCOPES)
    st_decisions = st.tuples(*[st.sampled_from(DECISIONS) for _ in HOUSEHOLDS])

    def __init__(cls, registry, hub, batches, officials, chain, role_registry, admin, eligibility):
        cls.eligibility = eligibility
        cls.oracles = officials.oracles
        cls.officials_for_batches = officials
        cls.registry = registry
        cls.hub = hub
        cls.roles = role_registry
        cls.admin = admin
        cls.batches = batches
        cls.chain = chain
        cls.clerk = officials.clerk
        cls.reviewer = officials.reviewer
        cls.signer = officials.signers[0]
        cls.relayer = officials.outsider
        # Who acts: the clerk (submitter, also a village LEADER), the leaders, a reviewer, an outsider.
        cls.actors = [officials.clerk, officials.village_leader, *officials.township_leaders, officials.county_leader,
                      officials.reviewer, officials.outsider]
        # Each account's grants as (role, region level of the grant); a grant covers every region under it. The
        # clerk also holds LEADER over the village (clerk_also_leader); the relay signer is a township LEADER.
        cls.grants = {
            officials.clerk: {("INTAKE_CLERK", 5), ("LEADER", 5)},
            officials.village_leader: {("LEADER", 5)},
            officials.township_leaders[0]: {("LEADER", 4)},
            officials.township_leaders[1]: {("LEADER", 4)},
            officials.county_leader: {("LEADER", 3)},
            officials.reviewer: {("REVIEWER", 4)},
            cls.signer.address: {("LEADER", 4)},
        }
        # Roles revoked and granted again mid-route: the clerk's INTAKE_CLERK and a township leader's LEADER.
        cls.toggled = [(officials.clerk, "INTAKE_CLERK", VILLAGE), (officials.township_leaders[0], "LEADER", TOWNSHIP)]

    def setup(self):
        self.day = 0
        self.status = {name: H_NONE for name in HOUSEHOLDS}
        self.transition_ends = {name: 0 for name in HOUSEHOLDS}
        self.procedures = {}  # household name -> current (open or closed, not completed) Procedure
        self.completed = {}  # household name -> (last completed Procedure, completion timestamp)
        self.approvals = defaultdict(list)  # subject -> [(level, approver, timestamp)] from events
        self.completed_at = {}  # subject -> timestamp the last level passed (from events)
        self.upheld = set()  # subjects with an upheld objection (from events)
        self.filed_with = {}  # subject -> batch id of its filing (from events)
        self.completed_on = {}  # subject -> (batch id, decision) of the leaf its completion proved
        self.monitored_with = {}  # household id -> batch id of its last entry into monitoring (from events)
        self.objections = []  # (objection id, procedure, objector)
        self.revoked = set()  # indexes into `toggled` currently revoked
        self.kind_of = {}  # subject -> "registration" or "exit"
        initial = self.batches.initial
        self.published = [Published(initial, [Decision.ADMIT] * len(HOUSEHOLDS),
                                    initial.as_of, True)]
        self.heads = {COUNTY: self.published[0]}  # scope -> its current final batch
        self.levels_in_use = {COUNTY}  # scopes of every batch ever final (outdated ones too)
        self.pending = []  # batches committed by one oracle
        self.newest_at_filing = {}  # subject or household id -> the newest covering batch when it was filed
        self.signatures = []  # relayed approvals already sent
        self.resolved = set()  # objection ids resolved

    # --- helpers ----------------------------------------------------------------------------------------------

    def _send(self, expect_success, fn, *args, error=None):
        """Sends the transaction; it must succeed exactly when `expect_success`, and a revert must carry the
        custom error `error` (a prefix of the revert message) when one is named."""
        try:
            tx = fn(*args)
        except VirtualMachineError as reverted:
            assert not expect_success, f"{fn._name} reverted ({reverted.revert_msg}) although the rules allow it"
            if error is not None:
                assert str(reverted.revert_msg).startswith(error), f"{fn._name}: {reverted.revert_msg} != {error}"
            return None
        assert expect_success, f"{fn._name} succeeded although the rules forbid it"
        self._record_events(tx)
        return tx

    def _record_events(self, tx):
        timestamp = tx.timestamp
        for event in tx.events["ApprovalTransition"] if "ApprovalTransition" in tx.events else []:
            if event["outcome"] in (O_APPROVED, ADVANCED, COMPLETED):
                self.approvals[event["subject"]].append((event["level"], event["actor"], timestamp))
            if event["outcome"] == COMPLETED:
                self.completed_at[event["subject"]] = timestamp
        for event in tx.events["ObjectionResolved"] if "ObjectionResolved" in tx.events else []:
            if event["upheld"]:
                self.upheld.add(event["subject"])
        for name in ("RegistrationFiled", "ExitFiled"):
            for event in tx.events[name] if name in tx.events else []:
                self.filed_with[event["subject"]] = bytes(HexBytes(event["batchId"]))
        for event in tx.events["HouseholdMonitored"] if "HouseholdMonitored" in tx.events else []:
            self.monitored_with[bytes(HexBytes(event["householdId"]))] = bytes(HexBytes(event["batchId"]))

    def _holds(self, account, role, region_level):
        """Whether `account` holds `role` over the test village's region at `region_level` (1 province ... 5)."""
        for index, (who, name, _) in enumerate(self.toggled):
            if index in self.revoked and who == account and name == role:
                return False
        return any(name == role and level <= region_level for name, level in self.grants.get(account, ()))

    def _eligible(self, proc, approver):
        """Whether `approver` holds the role of `proc`'s current level where it is decided now."""
        role, region_level, _, _ = ROUTES[proc.kind][proc.level]
        return self._holds(approver, role, region_level - proc.escalations)

    def _approved(self, proc, approver, timestamp):
        proc.approvers.add(str(approver))
        proc.at_level += 1
        if proc.at_level == proc.thresholds[proc.level]:
            proc.at_level = 0
            proc.escalations = 0
            proc.since = timestamp
            if proc.level + 1 == len(proc.thresholds):
                proc.state = "approved"
                proc.approved_day = self.day
            else:
                proc.level += 1

    def _may_approve(self, proc, approver, level):
        return (proc.state == "pending" and level == proc.level and approver != self.clerk
                and str(approver) not in proc.approvers and self._eligible(proc, approver))

    def _newest(self):
        """The newest final batch covering VILLAGE, whatever its scope."""
        return max(self.heads.values(), key=lambda published: published.dated)

    def _refusal(self, published):
        """The custom error the eligibility registry gives a proof of VILLAGE from `published` (None: it proves).
        The rules: final; the current batch of its own scope; no current batch of another scope in use that
        covers the village is dated later (looked for from the province down)."""
        batch = published.batch
        if not published.final:
            return err("EligibilityBatchNotFinal", batch.id)
        scope = next(scope for scope in SCOPES if batch.scope == scope)
        if self.heads.get(scope) is not published:
            return err("EligibilityBatchSuperseded", batch.id, self.heads[scope].batch.id)
        for other in SCOPES:  # province down: COUNTY, TOWNSHIP, VILLAGE
            head = self.heads.get(other)
            if other != scope and other in self.levels_in_use and head and head.dated > published.dated:
                return err("EligibilityBatchSuperseded", batch.id, head.batch.id)
        return None

    def _proof(self, name, decision, source):
        """(batch id, leaf, proof, error, newest) for a filing by `name` needing `decision` with a proof from
        `source` (see PROOFS); `error` is the custom error the proof alone earns (None: the proof is good);
        `newest` the newest final batch covering the village now."""
        newest = self._newest()
        published = newest
        if source == "older":
            older = [p for p in self.published if p.final and p is not newest]
            published = older[-1] if older else newest
        elif source == "not final":
            published = Published(self.batches.not_final, [Decision.EXIT] * len(HOUSEHOLDS), 0, False)
        batch = published.batch
        if published.decisions[name] is None:
            return None  # the batch has no leaf for the household: nothing to file
        leaf, proof = batch.proof(name)
        if source == "forged":
            leaf = leaf[:3] + (bytes(32),)  # forged details: the proof no longer holds
        if leaf[2] != decision:
            error = err("HouseholdWrongDecision", household_id(name), int(decision), leaf[2])
        else:
            error = self._refusal(published)
            if error is None and source == "forged":
                error = err("HouseholdInvalidProof", batch.id, leaf_hash(*leaf))
        return batch.id, leaf, proof, error, newest

    def _file(self, name, kind, source):
        """Files a registration or an exit of `name`; the rules: a good proof of the kind's decision, the status
        the kind needs, no procedure open."""
        decision, fn, needs = {
            "registration": (Decision.ADMIT, self.registry.fileRegistration, lambda status: status != H_REGISTERED),
            "exit": (Decision.EXIT, self.registry.fileExit, lambda status: status == H_REGISTERED),
        }[kind]
        found = self._proof(name, decision, source)
        if found is None:
            return
        batch_id, leaf, proof, error, newest = found
        current = self.procedures.get(name)
        if error is None and not needs(self.status[name]):
            error = err("HouseholdWrongStatus", household_id(name), self.status[name])
        if error is None and current is not None and not current.closed:
            error = err("HouseholdProcedureOpen", household_id(name), current.subject)
        if not self._holds(self.clerk, "INTAKE_CLERK", 5) and not _wrong_decision(error):
            # The role check comes right after the leaf's decision.
            error = err("HouseholdUnauthorized", self.clerk, role_id("INTAKE_CLERK"), VILLAGE)
        tx = self._send(error is None, fn, batch_id, leaf, proof, {"from": self.clerk}, error=error)
        if tx:
            self.procedures[name] = Procedure(tx.return_value, kind)
            self.procedures[name].since = tx.timestamp
            self.kind_of[tx.return_value] = kind
            self.newest_at_filing[tx.return_value] = newest.batch.id

    def _latest_block(self):
        block = self.chain[-1]
        return block.number, block.timestamp

    # --- rules ------------------------------------------------------------------------------------------------

    def initialize_filings(self):
        """Every household starts filed, so sequences spend their steps on what follows a filing."""
        for index in range(len(HOUSEHOLDS)):
            self.rule_file(index, "current")

    def _commit(self, scope, decisions, oracles):
        """A new batch, its data a second newer than every batch before it, committed by `oracles` oracles."""
        self.chain.sleep(1)
        name = f"stateful-{len(self.published)}-{len(self.pending)}-{self.chain.time()}"
        batch = _batch(self.eligibility, self.officials_for_batches, name, scope, decisions, oracles)
        return Published(batch, decisions, batch.as_of, oracles >= 2)

    def _finalized(self, published):
        """The model's rules for a batch reaching the quorum: it becomes its scope's current batch unless that
        one is dated later (then it is outdated and proves nothing)."""
        published.final = True
        scope = published.batch.scope
        self.levels_in_use.add(scope)
        self.published.append(published)
        head = self.heads.get(scope)
        if head is None or head.dated <= published.dated:
            self.heads[scope] = published
        else:
            assert self.eligibility.currentBatch(scope) == "0x" + head.batch.id.hex()

    def rule_publish(self, st_scope, st_decisions):
        """A new batch at any scope covering the village, final at once."""
        self._finalized(self._commit(st_scope, list(st_decisions), 2))

    def rule_start_a_batch(self, st_scope, st_decisions):
        """A new batch committed by one oracle only: it waits for a lagging second oracle."""
        if len(self.pending) < 2:
            self.pending.append(self._commit(st_scope, list(st_decisions), 1))

    def rule_finish_a_late_batch(self, st_objection):
        """The lagging oracle commits a waiting batch, which finalizes now, possibly after newer ones."""
        if self.pending:
            published = self.pending.pop(st_objection % len(self.pending))
            self.eligibility.commitBatch(*published.batch.commit_args(), {"from": self.oracles[1]})
            self._finalized(published)

    def rule_file(self, st_household, st_proof):
        self._file(HOUSEHOLDS[st_household], "registration", st_proof)

    def rule_file_exit(self, st_household, st_proof):
        self._file(HOUSEHOLDS[st_household], "exit", st_proof)

    def rule_enter_monitoring(self, st_household, st_proof):
        name = HOUSEHOLDS[st_household]
        found = self._proof(name, Decision.MONITOR, st_proof)
        if found is None:
            return
        batch_id, leaf, proof, error, newest = found
        if error is None and self.status[name] not in (H_NONE, H_EXITED):
            error = err("HouseholdWrongStatus", household_id(name), self.status[name])
        if not self._holds(self.clerk, "INTAKE_CLERK", 5) and not _wrong_decision(error):
            error = err("HouseholdUnauthorized", self.clerk, role_id("INTAKE_CLERK"), VILLAGE)
        if self._send(error is None, self.registry.enterMonitoring, batch_id, leaf, proof, {"from": self.clerk},
                      error=error):
            self.status[name] = H_MONITORING  # the transition period of an exit runs on
            self.newest_at_filing[household_id(name)] = newest.batch.id

    def rule_approve(self, st_household, st_actor, st_level):
        proc = self.procedures.get(HOUSEHOLDS[st_household])
        if proc is None:
            return
        approver, level = self.actors[st_actor], max(0, proc.level + st_level)
        allowed = self._may_approve(proc, approver, level)
        tx = self._send(allowed, self.hub.approve, proc.subject, level, {"from": approver})
        if tx:
            self._approved(proc, approver, tx.timestamp)

    def rule_approve_as_an_eligible_official(self, st_household, st_actor):
        """An official whose grant covers the current level: may still be the submitter or a repeat approver."""
        proc = self.procedures.get(HOUSEHOLDS[st_household])
        if proc is None:
            return
        candidates = [actor for actor in self.actors if self._eligible(proc, actor)]
        if not candidates:
            return
        approver = candidates[st_actor % len(candidates)]
        allowed = self._may_approve(proc, approver, proc.level)
        error = None if allowed or approver == self.clerk else err("ApprovalAlreadyApproved", proc.subject, approver)
        tx = proc.state == "pending" and self._send(allowed, self.hub.approve, proc.subject, proc.level,
                                                    {"from": approver}, error=error)
        if tx:
            self._approved(proc, approver, tx.timestamp)

    def rule_progress(self, st_household, st_steps):
        """Up to `st_steps` steps the rules allow (waiting out the notice is one; so is filing the exit of a
        registered household), so that sequences reach the notice, registration and exit among the random
        actions."""
        name = HOUSEHOLDS[st_household]
        for _ in range(st_steps):
            proc = self.procedures.get(name)
            if proc is None or proc.closed:
                if self.status[name] != H_REGISTERED:
                    return
                if self._newest().decisions[name] != Decision.EXIT:
                    self.rule_publish(COUNTY, [Decision.EXIT] * len(HOUSEHOLDS))
                self._file(name, "exit", "current")
            elif proc.state == "returned":
                if not self._holds(self.clerk, "INTAKE_CLERK", 5):
                    return
                self.rule_resubmit(st_household)
            elif proc.state == "approved":
                if self.day - proc.approved_day < NOTICE_DAYS:
                    self.rule_sleep(NOTICE_DAYS - (self.day - proc.approved_day))
                else:
                    self.rule_complete(st_household)
            else:
                candidates = [actor for actor in self.actors if self._may_approve(proc, actor, proc.level)]
                if not candidates:
                    return
                tx = self._send(True, self.hub.approve, proc.subject, proc.level, {"from": candidates[0]})
                self._approved(proc, candidates[0], tx.timestamp)

    def rule_approve_by_relay(self, st_household):
        proc = self.procedures.get(HOUSEHOLDS[st_household])
        if proc is None:
            return
        nonce = self.hub.nonces(self.signer)
        deadline = self.chain.time() + 30 * DAY
        signature = approval_signature(self.signer, self.hub, proc.subject, proc.level, nonce, deadline,
                                       self.chain.id, "GovChain ApprovalHub")
        signed = (proc.subject, proc.level, self.signer.address, nonce, deadline, *compact(signature))
        allowed = self._may_approve(proc, self.signer.address, proc.level)
        tx = self._send(allowed, self.hub.approveBySig, [signed], {"from": self.relayer})
        if tx:
            self.signatures.append(signed)
            self._approved(proc, self.signer.address, tx.timestamp)

    def rule_replay_a_relayed_approval(self, st_objection):
        """A relayed signature sent again is skipped and reported; nothing moves."""
        if self.signatures:
            signed = self.signatures[st_objection % len(self.signatures)]
            tx = self._send(True, self.hub.approveBySig, [signed], {"from": self.relayer})
            assert "ApprovalTransition" not in tx.events
            assert tx.events["ApprovalSignatureSkipped"]["nonce"] == signed[3]

    def rule_escalate(self, st_household, st_actor):
        """Anyone tries to escalate the current level; only clearly before or after its deadline."""
        proc = self.procedures.get(HOUSEHOLDS[st_household])
        if proc is None or proc.state != "pending":
            return
        role, region_level, _, timeout = ROUTES[proc.kind][proc.level]
        now = self.chain.time()
        if timeout and abs(now - (proc.since + timeout)) < MARGIN:
            return
        actor = self.actors[st_actor]
        overdue = timeout != 0 and now > proc.since + timeout
        higher = region_level - proc.escalations - 1
        allowed = overdue and higher >= 1 and (
            self._holds(actor, role, higher) or (actor == self.clerk and self._holds(self.clerk, "INTAKE_CLERK", 5)))
        tx = self._send(allowed, self.hub.escalate, proc.subject, {"from": actor})
        if tx:
            proc.escalations += 1
            proc.since = tx.timestamp

    def rule_toggle_a_role(self, st_objection):
        """Revokes (or grants again) the clerk's INTAKE_CLERK or a township leader's LEADER, mid-route."""
        index = st_objection % len(self.toggled)
        account, role, region = self.toggled[index]
        if index in self.revoked:
            self.roles.grantRoleIn(role_id(role), account, region, {"from": self.admin})
            self.revoked.discard(index)
        else:
            self.roles.revokeRoleIn(role_id(role), account, region, {"from": self.admin})
            self.revoked.add(index)

    def rule_return_for_revision(self, st_household, st_actor):
        proc = self.procedures.get(HOUSEHOLDS[st_household])
        if proc is None or st_actor % 2:  # returns stall a filing: keep them rarer than approvals
            return
        actor = self.actors[st_actor]
        allowed = proc.state == "pending" and actor != self.clerk and self._eligible(proc, actor)
        if self._send(allowed, self.hub.returnForRevision, proc.subject, "bafkreiwhy", {"from": actor}):
            proc.state = "returned"

    def rule_resubmit(self, st_household):
        proc = self.procedures.get(HOUSEHOLDS[st_household])
        if proc is None:
            return
        allowed = proc.state == "returned" and self._holds(self.clerk, "INTAKE_CLERK", 5)
        error = None
        if proc.state == "returned" and not allowed:
            error = err("ApprovalSubmitterLacksRole", proc.subject, self.clerk, role_id("INTAKE_CLERK"), VILLAGE)
        tx = self._send(allowed, self.hub.resubmit, proc.subject, "bafkreirev", {"from": self.clerk}, error=error)
        if tx:
            proc.state = "pending"
            proc.since = tx.timestamp

    def rule_reject(self, st_household, st_actor):
        proc = self.procedures.get(HOUSEHOLDS[st_household])
        if proc is None or st_actor % 4:  # rejections end a filing: keep them rarer than approvals
            return
        actor = self.actors[st_actor]
        allowed = proc.state == "pending" and actor != self.clerk and self._eligible(proc, actor)
        if self._send(allowed, self.hub.reject, proc.subject, "bafkreino", {"from": actor}):
            proc.state = "rejected"

    def rule_object(self, st_household, st_actor):
        proc = self.procedures.get(HOUSEHOLDS[st_household])
        if proc is None:
            return
        objector = self.actors[st_actor]
        allowed = (proc.state == "approved" and not proc.stopped and self.day - proc.approved_day < NOTICE_DAYS
                   and objector not in proc.objectors)
        tx = self._send(allowed, self.registry.raiseObjection, proc.subject, "bafkreievidence", {"from": objector})
        if tx:
            proc.open_objections += 1
            proc.objectors.add(objector)
            self.objections.append((tx.return_value, proc, objector))

    def rule_resolve(self, st_objection, st_upheld, st_valid):
        if not self.objections:
            return
        objection_id, proc, objector = self.objections[st_objection % len(self.objections)]
        resolver = self.reviewer if st_valid else self.clerk  # the clerk is no reviewer
        # The reviewer approves exits (their first level): it never judges objections to one it approved.
        allowed = st_valid and objection_id not in self.resolved and str(resolver) not in proc.approvers
        error = None
        if st_valid and objection_id not in self.resolved and not allowed:
            error = err("HouseholdReviewerIsApprover", proc.subject, resolver)
        if self._send(allowed, self.registry.resolveObjection, objection_id, st_upheld, "bafkreir",
                      {"from": resolver}, error=error):
            self.resolved.add(objection_id)
            proc.open_objections -= 1
            proc.objectors.discard(objector)
            proc.stopped = proc.stopped or st_upheld

    def rule_complete(self, st_household):
        name = HOUSEHOLDS[st_household]
        proc = self.procedures.get(name)
        if proc is None:
            return
        allowed = (proc.state == "approved" and not proc.stopped and proc.open_objections == 0
                   and self.day - proc.approved_day >= NOTICE_DAYS)
        # Eligibility is proven again at completion, on the newest final batch covering the village now.
        newest = self._newest()
        decision = newest.decisions[name]
        if decision is None:
            # The newest batch leaves the household out: the filing's own proof no longer counts (unless the
            # filing's batch is still the newest, which cannot leave out a household it proved).
            filing = next(p for p in self.published if p.batch.id == self.filed_with[proc.subject])
            self._send(False, self.registry.completeProcedure, filing.batch.id, *filing.batch.proof(name),
                       {"from": self.relayer})
            return
        needed = Decision.ADMIT if proc.kind == "registration" else Decision.EXIT
        leaf, proof = newest.batch.proof(name)
        tx = self._send(allowed, self.registry.completeProcedure, newest.batch.id, leaf, proof, {"from": self.relayer})
        if tx and decision != needed:
            # The newest batch no longer supports the procedure: it lapses, nothing completes.
            assert tx.events["ProcedureLapsed"]["decision"] == int(decision)
            proc.stopped = True
            return
        if tx:
            self.completed_on[proc.subject] = (newest.batch.id, decision)
            self.completed[name] = (proc, tx.timestamp)
            del self.procedures[name]
            if proc.kind == "registration":
                self.status[name], self.transition_ends[name] = H_REGISTERED, 0
            else:
                self.status[name], self.transition_ends[name] = H_EXITED, tx.timestamp + TRANSITION_PERIOD

    def rule_sleep(self, st_days):
        self.chain.sleep(st_days * DAY)
        self.day += st_days

    def rule_wait_for_the_end_of_a_transition(self):
        """Mines the block one second before and the block at the end of the first transition period to end
        beyond every running notice, and checks the policies covered at each."""
        _, now = self._latest_block()
        after_notices = self.chain.time() + (NOTICE_DAYS + 1) * DAY
        ending = [ends for ends in self.transition_ends.values() if ends and ends - 1 >= after_notices]
        if not ending:
            return
        ends = min(ending)
        for target in (ends - 1, ends):
            # anvil refuses brownie's mine(timestamp); a failed request would leave the boundary untested unseen.
            response = web3.provider.make_request("evm_setNextBlockTimestamp", [target])
            assert "error" not in response, response
            self.chain.mine()
            assert self.chain[-1].timestamp == target, "the transition boundary block was not mined at its time"
            self._check_coverage()
        self.day += -(-(ends - now) // DAY)

    # --- invariants -------------------------------------------------------------------------------------------

    def invariant_no_account_approves_a_subject_twice(self):
        for subject, approvals in self.approvals.items():
            approvers = [approver for _, approver, _ in approvals]
            assert len(approvers) == len(set(approvers)), f"subject {subject} approved twice by one account"

    def invariant_no_filing_counts_on_a_batch_a_newer_one_covering_the_village_contradicts(self):
        for subject, batch_id in self.filed_with.items():
            assert batch_id == self.newest_at_filing[subject], f"subject {subject} filed on an outdated batch"

    def invariant_the_registry_agrees_on_each_scopes_current_batch(self):
        for scope, head in self.heads.items():
            assert self.eligibility.currentBatch(scope) == "0x" + head.batch.id.hex()

    def invariant_no_subject_completes_with_fewer_distinct_approvers_than_its_route_requires(self):
        for subject in self.completed_at:
            approvers = {approver for _, approver, _ in self.approvals[subject]}
            assert len(approvers) == sum(THRESHOLDS[self.kind_of[subject]]), f"subject {subject}: {approvers}"

    def invariant_registered_or_exited_only_with_proof_thresholds_and_clean_notice(self):
        for name in HOUSEHOLDS:
            record = self.registry.household(household_id(name))
            assert record["status"] == self.status[name]
            assert record["transitionEndsAt"] == self.transition_ends[name]
            if record["status"] not in (H_REGISTERED, H_EXITED):
                continue
            proc, completed_at = self.completed[name]
            assert proc.kind == ("registration" if record["status"] == H_REGISTERED else "exit")
            # Only a filing with a valid proof opens a procedure; its subject is the one that completed, and it
            # was filed on the newest final batch covering the village at the time.
            assert proc.subject == self._completed_subject(name)
            assert self.filed_with[proc.subject] == self.newest_at_filing[proc.subject]
            by_level = defaultdict(set)
            for level, approver, _ in self.approvals[proc.subject]:
                by_level[level].add(approver)
            assert [len(by_level[level]) for level in range(len(proc.thresholds))] == proc.thresholds
            assert completed_at >= self.completed_at[proc.subject] + NOTICE_PERIOD
            assert proc.subject not in self.upheld
            # And completed on a leaf with the needed decision, proven again at completion on the newest final
            # batch covering the village then: no newer batch contradicted it, none left the household out.
            batch_id, decision = self.completed_on[proc.subject]
            assert decision == (Decision.ADMIT if proc.kind == "registration" else Decision.EXIT)

    def invariant_monitored_only_on_a_current_monitor_proof(self):
        for name in HOUSEHOLDS:
            if self.status[name] == H_MONITORING:
                hid = household_id(name)
                assert self.monitored_with[hid] == self.newest_at_filing[hid]

    def invariant_designated_policies_cover_until_the_transition_ends(self):
        self._check_coverage()

    def _check_coverage(self):
        number, timestamp = self._latest_block()
        for name in HOUSEHOLDS:
            status, ends = self.status[name], self.transition_ends[name]
            kept = status in (H_EXITED, H_MONITORING) and timestamp < ends
            for policy, expected in ((DESIGNATED_POLICY, status == H_REGISTERED or kept),
                                     (OTHER_POLICY, status == H_REGISTERED)):
                covered = self.registry.isCovered(household_id(name), policy, block_identifier=number)
                assert covered == expected, f"{name} {status} at {timestamp} (transition ends {ends})"

    def _completed_subject(self, name):
        record = self.registry.household(household_id(name))
        # The completed procedure is the one before the household's current procedure counter.
        key = keccak(household_id(name) + (record["procedures"] - 1).to_bytes(32, "big"))
        # The subject id names the registry (its client on the hub) and the key's low 56 bits.
        return int(self.registry.address, 16) << 96 | int.from_bytes(key[-7:], "big") << 40 | VILLAGE


def test_household_rules_hold_over_random_action_sequences(state_machine, household_registry, approval_hub,
                                                           stateful_batches, officials, chain, role_registry, admin,
                                                           eligibility, clerk_also_leader, designated_policy):
    state_machine(Registration, household_registry, approval_hub, stateful_batches, officials, chain, role_registry,
                  admin, eligibility, settings=SETTINGS)
