"""Stateful properties of registration (brownie + hypothesis): over random sequences of filings (with valid and
forged proofs), approvals by anyone at any level (direct and relayed), returns, resubmissions, rejections,
objections and their resolution, completions and the passing of days,

- no household becomes registered without a valid proof, every level's threshold of distinct approvers, and a
  completed notice period with no upheld objection;
- no account ever approves a subject twice;
- every action succeeds exactly when the rules say it may (the model below is the rules, written plainly).
"""

from collections import defaultdict

import pytest
from brownie.exceptions import VirtualMachineError
from eth_utils import keccak
from hypothesis import HealthCheck
from hypothesis import strategies as st

from govchain.eligibility import Decision
from tests.contracts.conftest import (
    ADVANCED,
    COMPLETED,
    COUNTY,
    DAY,
    H_REGISTERED,
    NOTICE_PERIOD,
    O_APPROVED,
    VILLAGE,
    CommittedBatch,
    household_id,
    make_leaves,
)
from tests.contracts.signing import approval_signature, compact

HOUSEHOLDS = ["alpha", "beta"]
THRESHOLDS = [1, 2, 1]  # the registration route of household_registry: village, township, county
NOTICE_DAYS = NOTICE_PERIOD // DAY
SETTINGS = {
    "max_examples": 30,
    "stateful_step_count": 25,
    "deadline": None,
    "suppress_health_check": list(HealthCheck),
    "database": None,
}


@pytest.fixture(scope="module")
def stateful_batch(eligibility, officials):
    batch = CommittedBatch(keccak(text="stateful-batch"), COUNTY,
                           make_leaves({name: (VILLAGE, Decision.ADMIT) for name in HOUSEHOLDS}))
    return batch.commit(eligibility, officials.oracles[:2])


@pytest.fixture(scope="module")
def clerk_also_leader(role_registry, officials, admin, role):
    """The filing clerk also holds LEADER over the village: only separation of duties stops it approving."""
    role_registry.grantRoleIn(role["LEADER"], officials.clerk, VILLAGE, {"from": admin})


class Procedure:
    def __init__(self, subject):
        self.subject = subject
        self.state = "pending"
        self.level = 0
        self.at_level = 0
        self.approvers = set()
        self.approved_day = None
        self.open_objections = 0
        self.stopped = False

    @property
    def closed(self):
        return self.state == "rejected" or self.stopped


class Registration:
    st_household = st.integers(0, len(HOUSEHOLDS) - 1)
    st_actor = st.integers(0, 6)
    st_level = st.integers(-1, 1)
    st_valid = st.booleans()
    st_upheld = st.booleans()
    st_days = st.sampled_from([1, 2, 3, 5])
    st_objection = st.integers(0, 5)
    st_steps = st.integers(1, 6)

    def __init__(cls, registry, batch, officials, chain):
        cls.registry = registry
        cls.batch = batch
        cls.chain = chain
        cls.clerk = officials.clerk
        cls.reviewer = officials.reviewer
        cls.signer = officials.signers[0]
        cls.relayer = officials.outsider
        # Who acts: the clerk (submitter, also a village LEADER), the leaders, a reviewer, an outsider.
        cls.actors = [officials.clerk, officials.village_leader, *officials.township_leaders, officials.county_leader,
                      officials.reviewer, officials.outsider]
        # Who may approve at each level (a grant covers every region under it); the relay signer is a township
        # LEADER.
        cls.eligible = [
            {officials.clerk, officials.village_leader, *officials.township_leaders, officials.county_leader,
             cls.signer.address},
            {*officials.township_leaders, officials.county_leader, cls.signer.address},
            {officials.county_leader},
        ]

    def setup(self):
        self.day = 0
        self.procedures = {}  # household name -> current Procedure
        self.registered = {}  # household name -> (Procedure, completion timestamp)
        self.approvals = defaultdict(list)  # subject -> [(level, approver, timestamp)] from events
        self.completed_at = {}  # subject -> timestamp the last level passed (from events)
        self.upheld = set()  # subjects with an upheld objection (from events)
        self.objections = []  # (objection id, subject)
        self.signatures = []  # relayed approvals already sent
        self.resolved = set()  # objection ids resolved

    # --- helpers ----------------------------------------------------------------------------------------------

    def _send(self, expect_success, fn, *args):
        try:
            tx = fn(*args)
        except VirtualMachineError:
            assert not expect_success, f"{fn._name} reverted although the rules allow it"
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

    def _approved(self, proc, approver):
        proc.approvers.add(str(approver))
        proc.at_level += 1
        if proc.at_level == THRESHOLDS[proc.level]:
            proc.at_level = 0
            if proc.level + 1 == len(THRESHOLDS):
                proc.state = "approved"
                proc.approved_day = self.day
            else:
                proc.level += 1

    def _may_approve(self, proc, approver, level):
        return (proc.state == "pending" and level == proc.level and approver != self.clerk
                and str(approver) not in proc.approvers and approver in self.eligible[proc.level])

    # --- rules ------------------------------------------------------------------------------------------------

    def initialize_filings(self):
        """Every household starts filed, so sequences spend their steps on what follows a filing."""
        for index in range(len(HOUSEHOLDS)):
            self.rule_file(index, True)

    def rule_file(self, st_household, st_valid):
        name = HOUSEHOLDS[st_household]
        leaf, proof = self.batch.proof(name)
        if not st_valid:
            leaf = leaf[:4] + (leaf[4] + 1,)  # a forged score: the proof no longer holds
        current = self.procedures.get(name)
        allowed = st_valid and name not in self.registered and (current is None or current.closed)
        tx = self._send(allowed, self.registry.fileRegistration, self.batch.id, leaf, proof, {"from": self.clerk})
        if tx:
            self.procedures[name] = Procedure(tx.return_value)

    def rule_approve(self, st_household, st_actor, st_level):
        proc = self.procedures.get(HOUSEHOLDS[st_household])
        if proc is None:
            return
        approver, level = self.actors[st_actor], max(0, proc.level + st_level)
        allowed = self._may_approve(proc, approver, level)
        if self._send(allowed, self.registry.approve, proc.subject, level, {"from": approver}):
            self._approved(proc, approver)

    def rule_approve_as_an_eligible_official(self, st_household, st_actor):
        """An official whose grant covers the current level: may still be the submitter or a repeat approver."""
        proc = self.procedures.get(HOUSEHOLDS[st_household])
        if proc is None:
            return
        candidates = [actor for actor in self.actors if actor in self.eligible[proc.level]]
        approver = candidates[st_actor % len(candidates)]
        allowed = self._may_approve(proc, approver, proc.level)
        if self._send(allowed, self.registry.approve, proc.subject, proc.level, {"from": approver}):
            self._approved(proc, approver)

    def rule_progress(self, st_household, st_steps):
        """Up to `st_steps` steps the rules allow (waiting out the notice is one), so that sequences reach the
        notice and registration among the random actions."""
        for _ in range(st_steps):
            proc = self.procedures.get(HOUSEHOLDS[st_household])
            if proc is None or proc.closed:
                return
            if proc.state == "returned":
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
                self._send(True, self.registry.approve, proc.subject, proc.level, {"from": candidates[0]})
                self._approved(proc, candidates[0])

    def rule_approve_by_relay(self, st_household):
        proc = self.procedures.get(HOUSEHOLDS[st_household])
        if proc is None:
            return
        nonce = self.registry.nonces(self.signer)
        deadline = self.chain.time() + 30 * DAY
        signature = approval_signature(self.signer, self.registry, proc.subject, proc.level, nonce, deadline,
                                       self.chain.id, "GovChain HouseholdRegistry")
        signed = (proc.subject, proc.level, self.signer.address, nonce, deadline, *compact(signature))
        allowed = self._may_approve(proc, self.signer.address, proc.level)
        if self._send(allowed, self.registry.approveBySig, [signed], {"from": self.relayer}):
            self.signatures.append(signed)
            self._approved(proc, self.signer.address)

    def rule_replay_a_relayed_approval(self, st_objection):
        if self.signatures:
            signed = self.signatures[st_objection % len(self.signatures)]
            self._send(False, self.registry.approveBySig, [signed], {"from": self.relayer})

    def rule_return_for_revision(self, st_household, st_actor):
        proc = self.procedures.get(HOUSEHOLDS[st_household])
        if proc is None or st_actor % 2:  # returns stall a filing: keep them rarer than approvals
            return
        actor = self.actors[st_actor]
        allowed = proc.state == "pending" and actor != self.clerk and actor in self.eligible[proc.level]
        if self._send(allowed, self.registry.returnForRevision, proc.subject, "bafkreiwhy", {"from": actor}):
            proc.state = "returned"

    def rule_resubmit(self, st_household):
        proc = self.procedures.get(HOUSEHOLDS[st_household])
        if proc is None:
            return
        if self._send(proc.state == "returned", self.registry.resubmit, proc.subject, "bafkreirev",
                      {"from": self.clerk}):
            proc.state = "pending"

    def rule_reject(self, st_household, st_actor):
        proc = self.procedures.get(HOUSEHOLDS[st_household])
        if proc is None or st_actor % 4:  # rejections end a filing: keep them rarer than approvals
            return
        actor = self.actors[st_actor]
        allowed = proc.state == "pending" and actor != self.clerk and actor in self.eligible[proc.level]
        if self._send(allowed, self.registry.reject, proc.subject, "bafkreino", {"from": actor}):
            proc.state = "rejected"

    def rule_object(self, st_household, st_actor):
        proc = self.procedures.get(HOUSEHOLDS[st_household])
        if proc is None:
            return
        allowed = (proc.state == "approved" and not proc.stopped and self.day - proc.approved_day < NOTICE_DAYS)
        tx = self._send(allowed, self.registry.raiseObjection, proc.subject, "bafkreievidence",
                        {"from": self.actors[st_actor]})
        if tx:
            proc.open_objections += 1
            self.objections.append((tx.return_value, proc))

    def rule_resolve(self, st_objection, st_upheld, st_valid):
        if not self.objections:
            return
        objection_id, proc = self.objections[st_objection % len(self.objections)]
        resolver = self.reviewer if st_valid else self.clerk  # the clerk is no reviewer
        allowed = st_valid and objection_id not in self.resolved
        if self._send(allowed, self.registry.resolveObjection, objection_id, st_upheld, "bafkreir",
                      {"from": resolver}):
            self.resolved.add(objection_id)
            proc.open_objections -= 1
            proc.stopped = proc.stopped or st_upheld

    def rule_complete(self, st_household):
        name = HOUSEHOLDS[st_household]
        proc = self.procedures.get(name)
        if proc is None:
            return
        allowed = (proc.state == "approved" and not proc.stopped and proc.open_objections == 0
                   and self.day - proc.approved_day >= NOTICE_DAYS)
        tx = self._send(allowed, self.registry.completeProcedure, household_id(name), VILLAGE, {"from": self.relayer})
        if tx:
            self.registered[name] = (proc, tx.timestamp)
            del self.procedures[name]

    def rule_sleep(self, st_days):
        self.chain.sleep(st_days * DAY)
        self.day += st_days

    # --- invariants -------------------------------------------------------------------------------------------

    def invariant_no_account_approves_a_subject_twice(self):
        for subject, approvals in self.approvals.items():
            approvers = [approver for _, approver, _ in approvals]
            assert len(approvers) == len(set(approvers)), f"subject {subject} approved twice by one account"

    def invariant_registered_only_with_proof_thresholds_and_clean_notice(self):
        for name in HOUSEHOLDS:
            status = self.registry.household(household_id(name))["status"]
            assert (status == H_REGISTERED) == (name in self.registered)
            if status != H_REGISTERED:
                continue
            proc, registered_at = self.registered[name]
            # Only a filing with a valid proof opens a procedure; its subject is the one that completed.
            assert proc.subject == self._completed_subject(name)
            by_level = defaultdict(set)
            for level, approver, _ in self.approvals[proc.subject]:
                by_level[level].add(approver)
            assert [len(by_level[level]) for level in range(len(THRESHOLDS))] == THRESHOLDS
            assert registered_at >= self.completed_at[proc.subject] + NOTICE_PERIOD
            assert proc.subject not in self.upheld

    def _completed_subject(self, name):
        record = self.registry.household(household_id(name))
        # The completed procedure is the one before the household's current procedure counter.
        key = keccak(household_id(name) + (record["procedures"] - 1).to_bytes(32, "big"))
        return (int.from_bytes(key, "big") << 40) % 2**256 | VILLAGE


def test_registration_rules_hold_over_random_action_sequences(state_machine, household_registry, stateful_batch,
                                                               officials, chain, clerk_also_leader):
    state_machine(Registration, household_registry, stateful_batch, officials, chain, settings=SETTINGS)
