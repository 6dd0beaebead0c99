"""A small county on a real local chain, for the dashboard tests: what the site must show.

anvil and js-ipfs of the test's own; the registries deployed with web3 from brownie's artifacts (the oracle
tests' :class:`LocalChain`); the pipeline run on a synthetic county of 800 people; its batch committed by one
oracle (k = 1) with the manifest on IPFS; then, driven by the demo officials (anvil accounts):

- household A: filed, approved at village, township and county, public notice passed, registered;
- household B: filed, approved at every level, in public notice, with two objections: one whose evidence is a
  real document on IPFS, one whose "CID" is a hostile string (HTML, script, a formula, control and
  right-to-left characters) — the chain takes any string, the site must show it inert;
- household C: filed, waiting for the village leader (pending at level 0).

Between A's registration and B's filing, execution, as `make demo` runs it (orchestration.flow's demo plans,
orchestration.funding_demo, assessment.demo), then what the disclosure pages need beyond the demo:

- plans: a project, a fund and an industry plan of the first township (approved), a fund plan of A's village
  (executing: escrowed, tranche 0 released, a payment batch paying A to its wallet and by bank), a material and a
  crowdfunding plan of A's village (executing, first milestones approved);
- an appropriation per funding step (60,000 and 1,000,000 yuan), a procurement of 200 bags received, 20
  dispatched to A's village, 2 delivered to A (then 2 more after a visit window was set, 1 lost in transit);
- a crowdfunding campaign (a donation of its goal, a tranche released, a payment to A), an enterprise pledge
  fulfilled, a follow-up visit, an assessment committed by two assessors;
- outcome reports (KPI actuals, OUTCOMES) of the village fund plan and the material plan;
- a supervisor's freeze of the project plan, and a flag (not a freeze) of the industry plan;
- two disclosures: a major event whose document is on IPFS, and a report whose "CID" is hostile;
- a visit obligation (the second delivery) left unvisited past its window and marked overdue.

The only dependencies on other tests' helpers are LocalChain's deploy methods; the rest is the demo's own code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from web3 import Web3

from govchain import regions
from govchain.deploy import DEFAULT_ROUTES
from govchain.localnode import AnvilNode
from orchestration.flow import Actors, approve_demo_plans, grant_roles, prepare_data, results_regions, transact
from tests.oracle.chain import LocalChain

DAY = 86_400
REGISTRATION, EXIT = 1, 2  # HouseholdRegistry.ProcedureKind
ROUTES = DEFAULT_ROUTES  # the routes the platform is deployed with
NOTICE_PERIOD, TRANSITION_PERIOD = 7 * DAY, 365 * DAY
HOSTILE_CID = '=HYPERLINK("http://evil","x")<script>alert("x")</script><b>bold</b>\x07\u202egnp.exe'
EVIDENCE = "入户核查记录：该户与登记信息不符（测试证据）".encode("utf-8")
MAJOR_EVENT = "重大事件：某村扶贫仓库受洪水影响，损失物资已登记（测试）".encode("utf-8")
MAJOR_EVENT_CATEGORY, REPORT_CATEGORY = 3, 7
# KPI actuals of the outcome reports: the fund plan's one KPI (target 1), the material plan's (target 40).
OUTCOMES = {"fund": [1], "material": [28]}
VISIT_WINDOW_DAYS = 1
SECOND_DELIVERY, LOST_IN_TRANSIT = 2, 1
SOCIAL_CATEGORY = 205  # the drafted social plan's project category (the demo's plans are all 101)
ASSESSMENT_DAYS = 7  # the second assessment's period: the last week, with its full results on IPFS


@dataclass
class Household:
    household_id: bytes
    region: int
    subject: int = 0
    txs: dict[str, str] = field(default_factory=dict)


@dataclass
class County:
    """What the scenario built, for the tests to compare the site's content with."""

    node: AnvilNode
    chain: LocalChain
    ipfs_api: str
    results: Path
    reports: Path
    county: int
    villages: list[int]
    batch_id: bytes
    manifest_cid: str
    manifest_root: bytes
    leaf_count: int
    admitted: int
    registered: Household
    in_notice: Household
    pending: Household
    evidence_cid: str
    objection_txs: list[str]
    execution: "Execution" = None


@dataclass
class Execution:
    """Plans, funds, materials, social support, supervision and disclosures done on chain (ids and txs)."""

    plans: dict[str, int] = field(default_factory=dict)  # "project", "fund", "industry" (township), "village_fund",
    #                                                      "material", "crowdfunding" (A's village) -> plan id
    township: int = 0
    village: int = 0
    dispatch_id: int = 0
    assessment_root: bytes = b""
    assessment_results_cid: str = ""
    assessment_rows: int = 0
    frozen_target: int = 0
    flagged_target: int = 0
    major_event_cid: str = ""
    documents: list[str] = field(default_factory=list)  # CIDs of the real documents added to IPFS here
    txs: dict[str, str] = field(default_factory=dict)

    @property
    def web3(self) -> Web3:
        return self.chain.web3


def build_county(workdir: Path, ipfs_api: str, node: AnvilNode) -> County:
    from oracle.batches import build_batches
    from oracle.ipfs import IpfsClient
    from oracle.manifest import filing_arguments
    from oracle.pseudonym import PseudonymKey

    table = prepare_data(workdir / "sources", workdir / "results", people=800, seed=3, log=lambda _: None)
    county, villages = results_regions(table)
    chain = LocalChain(node, workdir)
    chain.deploy_platform(quorum=1, notice_period=NOTICE_PERIOD, transition_period=TRANSITION_PERIOD)
    web3, actors = chain.web3, Actors.anvil_defaults()  # the demo's officials (assessment.demo counts on them)
    grant_roles(web3, chain.roles, actors.admin, actors.grants(county, villages), log=lambda _: None)

    ipfs = IpfsClient(ipfs_api)
    (manifest,) = build_batches(table, PseudonymKey.generate())
    cid = ipfs.add(manifest.to_bytes())
    h = manifest.header
    transact(web3, chain.registry.functions.commitBatch(h.batch_id, h.scope, manifest.root, cid, h.model_version,
                                                        h.snapshot_hash, h.as_of, manifest.leaf_count),
             actors.oracles[0].address, "committing the batch")

    households = chain.households
    admitted = [manifest.tree.leaf(i) for i in range(manifest.leaf_count)]
    admitted = [leaf for leaf in admitted if int(leaf.decision) == 1]
    approvers = [actors.village_leader, actors.township_reviewer, actors.county_leader]

    def file(leaf) -> Household:
        done = Household(leaf.household_id, leaf.region)
        args = filing_arguments(manifest, leaf.household_id).contract_args()
        done.txs["file"] = transact(web3, households.functions.fileRegistration(*args), actors.clerk, "filing")
        done.subject = households.functions.procedureOf(leaf.household_id, leaf.region).call()
        return done

    def approve_all(done: Household) -> None:
        for level, approver in enumerate(approvers):
            done.txs[f"approve {level}"] = transact(web3, chain.hub.functions.approve(done.subject, level),
                                                    approver, f"approval at level {level}")

    def pass_notice(subject: int) -> None:
        ends_at = households.functions.noticeEndsAt(subject).call()
        now = web3.eth.get_block("latest")["timestamp"]
        web3.provider.make_request("evm_increaseTime", [max(0, ends_at - now + 1)])
        web3.provider.make_request("evm_mine", [])

    registered = file(admitted[0])
    approve_all(registered)
    pass_notice(registered.subject)
    registered.txs["complete"] = transact(
        web3, households.functions.completeProcedure(
            *filing_arguments(manifest, registered.household_id).contract_args()),
        actors.county_leader, "completing")

    execution = execute(chain, actors, ipfs, registered, county, villages)

    in_notice = file(admitted[1])
    approve_all(in_notice)
    evidence_cid = ipfs.add(EVIDENCE, name="evidence.txt")
    # Two members of the public: one account may hold one open objection per procedure.
    public, another = web3.eth.accounts[9], web3.eth.accounts[8]
    objection_txs = [
        transact(web3, households.functions.raiseObjection(in_notice.subject, evidence_cid), public, "objection"),
        transact(web3, households.functions.raiseObjection(in_notice.subject, HOSTILE_CID), another, "objection"),
    ]
    pending = file(admitted[2])
    return County(
        node=node, chain=chain, ipfs_api=ipfs_api, results=table, reports=table.parent / "reports", county=county,
        villages=villages, batch_id=h.batch_id, manifest_cid=cid, manifest_root=manifest.root,
        leaf_count=manifest.leaf_count, admitted=len(admitted), registered=registered, in_notice=in_notice,
        pending=pending, evidence_cid=evidence_cid, objection_txs=objection_txs, execution=execution,
    )


def execute(local: LocalChain, actors: Actors, ipfs, household: Household, county: int, villages: list[int]
            ) -> Execution:
    """The demo's execution steps on registered ``household``, then supervision, disclosures, outcome reports
    and an overdue visit (see the module's docstring)."""
    from assessment import demo as execution_demo
    from assessment.demo import run_execution
    from assessment.kpis import Period, compute_kpis, kpi_root, read_events, results_document
    from govchain.chain import Chain
    from oracle.merkle import StandardMerkleTree
    from orchestration.flow import anvil_account
    from orchestration.funding_demo import fund_and_pay

    web3 = local.web3
    chain = Chain(local.network_config())
    plans, supply, visits, supervision, disclosure = (chain.contract(n) for n in (
        "PlanRegistry", "MaterialSupply", "FollowUpVisits", "Supervision", "Disclosure"))
    done = Execution(township=regions.ancestor_at(villages[0], regions.RegionLevel.TOWNSHIP), village=household.region)
    quiet = lambda _: None  # noqa: E731

    def add_document(content: bytes, name: str) -> str:
        done.documents.append(ipfs.add(content, name=name))
        return done.documents[-1]

    runs = approve_demo_plans(web3, plans, local.hub, local.roles, actors, done.township, add_document, quiet)
    done.plans.update({run.support_type.lower(): run.plan_id for run in runs})
    funding = fund_and_pay(chain, actors, household.household_id, household.region, county,
                           StandardMerkleTree.from_leaf_hashes, quiet)
    done.plans["village_fund"] = funding.plan_id
    done.txs.update(funding.txs)
    before = plans.functions.planCount().call()
    done.txs.update(run_execution(chain, household.household_id, household.region, county, quiet))
    done.plans["material"], done.plans["crowdfunding"] = before + 1, before + 2
    receipt = web3.eth.get_transaction_receipt(done.txs["dispatched to the village"])
    done.dispatch_id = supply.events.MaterialDispatched().process_receipt(receipt)[0]["args"]["dispatchId"]

    acct = lambda index: anvil_account(index).address  # noqa: E731
    department, grid_worker = acct(execution_demo.DEPARTMENT), acct(execution_demo.GRID_WORKER)
    supervisor, leader = web3.eth.accounts[9], actors.county_leader
    grant_roles(web3, local.roles, actors.admin, [("SUPERVISOR", supervisor, county)], quiet)

    def send(label, call, sender):
        done.txs[label] = transact(web3, call, sender, label)

    # Outcome reports (成效): KPI actuals of the two executing plans, by a HANDLER of their regions.
    send("outcome of the fund plan", plans.functions.reportOutcome(
        done.plans["village_fund"], OUTCOMES["fund"], "bafkreidemooutcomefund"), actors.clerk)
    send("outcome of the material plan", plans.functions.reportOutcome(
        done.plans["material"], OUTCOMES["material"], "bafkreidemooutcomematerial"), department)

    # A visit window on the material plan, a second delivery that opens an obligation, a loss in transit; the
    # window passes with no visit and the obligation is marked overdue by anyone.
    send("visit window set", visits.functions.setVisitWindow(done.plans["material"], VISIT_WINDOW_DAYS), department)
    send("second delivery", supply.functions.deliver(done.dispatch_id, 1, household.household_id, SECOND_DELIVERY,
                                                     b"", "bafkreidemosignedform2"), grid_worker)
    send("lost in transit", supply.functions.loseInTransit(done.dispatch_id, LOST_IN_TRANSIT, 2,
                                                           "bafkreidemolossreport"), grid_worker)
    web3.provider.make_request("evm_increaseTime", [(VISIT_WINDOW_DAYS + 1) * DAY])
    web3.provider.make_request("evm_mine", [])
    send("visit marked overdue", visits.functions.markOverdue(done.plans["material"], household.household_id),
         web3.eth.accounts[9])

    # Supervision: the project plan frozen, the industry plan flagged only.
    done.frozen_target = plans.functions.planTarget(done.plans["project"]).call()
    done.flagged_target = plans.functions.planTarget(done.plans["industry"]).call()
    send("freeze", supervision.functions.freeze(done.frozen_target, county, "bafkreidemofreezereason"), supervisor)
    send("flag", supervision.functions.flag(done.flagged_target, county, "bafkreidemoflagreason"), supervisor)

    # Disclosures: a major event with its document on IPFS, a report whose "CID" is hostile.
    done.major_event_cid = add_document(MAJOR_EVENT, "major-event.txt")
    send("major event", disclosure.functions.publish(0, MAJOR_EVENT_CATEGORY, household.region,
                                                     done.major_event_cid, 0), leader)
    send("hostile report", disclosure.functions.publish(1, REPORT_CATEGORY, county, HOSTILE_CID, 0), leader)

    # A social plan of another project category, left drafted, whose document "CID" is hostile.
    terms = (10_000 * 100, HOSTILE_CID, (1, b"\x00" * 32, ""), [(b"kpi:jobs".ljust(32, b"\x00"), 5)],
             [(10_000 * 100, 2_000_000_000, "bafkreidemosocial")])
    send("social plan drafted", plans.functions.create(done.township, 7, SOCIAL_CATEGORY, terms), department)
    done.plans["drafted_social"] = plans.functions.planCount().call()

    # A second assessment (the last week) whose full results are on IPFS, committed by the same two assessors.
    web3.provider.make_request("evm_increaseTime", [1])
    web3.provider.make_request("evm_mine", [])
    end = web3.eth.get_block("latest")["timestamp"]
    period = Period(end - ASSESSMENT_DAYS * DAY, end)
    contracts = {name: (chain.address_of(name), chain.contract(name).abi) for name in execution_demo.KPI_CONTRACTS}
    rows = compute_kpis(read_events(web3, contracts), period)
    done.assessment_root, done.assessment_rows = kpi_root(rows), len(rows)
    done.assessment_results_cid = add_document(results_document(rows, period, county), "kpi-results.json")
    registry = chain.contract("AssessmentRegistry")
    for assessor in execution_demo.ASSESSORS_SUPPLIER:
        send(f"weekly assessment by {assessor}", registry.functions.commitAssessment(
            county, period.start, period.end, done.assessment_root, len(rows), "bafkreidemomethod",
            done.assessment_results_cid), acct(assessor))
    return done
