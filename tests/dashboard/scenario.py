"""A small county on a real local chain, for the dashboard tests: what the site must show.

anvil and js-ipfs of the test's own; the registries deployed with web3 from brownie's artifacts (the oracle
tests' :class:`LocalChain`); the pipeline run on a synthetic county of 800 people; its batch committed by one
oracle (k = 1) with the manifest on IPFS; then, driven by the demo officials (anvil accounts):

- household A: filed, approved at village, township and county, public notice passed, registered;
- household B: filed, approved at every level, in public notice, with two objections: one whose evidence is a
  real document on IPFS, one whose "CID" is a hostile string (HTML, script, a formula, control and
  right-to-left characters) — the chain takes any string, the site must show it inert;
- household C: filed, waiting for the village leader (pending at level 0).

The only dependencies on other tests' helpers are LocalChain's deploy methods and orchestration.flow's actors
and role grants (being unified in branch ``hub``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from web3 import Web3

from orchestration.flow import Actors, grant_roles, prepare_data, results_regions, transact
from govchain.deploy import DEFAULT_ROUTES
from govchain.localnode import AnvilNode
from tests.oracle.chain import LocalChain

DAY = 86_400
REGISTRATION, EXIT = 1, 2  # HouseholdRegistry.ProcedureKind
ROUTES = DEFAULT_ROUTES  # the routes the platform is deployed with
NOTICE_PERIOD, TRANSITION_PERIOD = 7 * DAY, 365 * DAY
HOSTILE_CID = '=HYPERLINK("http://evil","x")<script>alert("x")</script><b>bold</b>\x07\u202egnp.exe'
EVIDENCE = "入户核查记录：该户与登记信息不符（测试证据）".encode("utf-8")


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
    web3, actors = chain.web3, Actors.anvil_defaults(oracles=1)
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
        pending=pending, evidence_cid=evidence_cid, objection_txs=objection_txs,
    )
