"""Gas of support plans, their approval, milestone reports and supervision freezes, and the size of every
contract, on a local anvil with the platform deployed by govchain.deploy (its default plan routes).

usage: python benchmarks/gas_plans.py

Creates a project plan and a fund plan, each with five milestones, KPIs and beneficiary rules (an explicit list
root and its CID), submits them and walks them through their default routes (project: township LEADER, county
LEADER; fund: township LEADER, county TREASURY, county LEADER), starts the project plan, reports a milestone and
freezes the plan (which also freezes the milestone's report on the hub). Figures are the gas used by the whole
transaction (21,000 base included), as the receipt reports it.

Targets (issue 9): plan_approval_step_gas <= 60,000 (the worst step of both routes, the completing one calling
PlanRegistry back included); every deployed contract <= 20,480 bytes (max_contract_bytes; each under
"contract_bytes"). create_plan_5_milestones_gas, milestone_report_gas and freeze_gas are printed.
The last line printed is one JSON object with those keys and every measurement under "details".
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from govchain.localnode import use_project_tools  # noqa: E402

use_project_tools()  # this checkout's anvil and solc wrapper, with no PATH set by hand

from brownie import project  # noqa: E402
from brownie._config import CONFIG  # noqa: E402
from eth_utils import keccak  # noqa: E402

from govchain.brownie_session import connected  # noqa: E402
from govchain.deploy import YUAN, NodeAccountSender, Settings, deploy_platform  # noqa: E402
from govchain.localnode import free_port  # noqa: E402
from govchain.plans import IN_TRANSITION, REGISTERED, SupportType  # noqa: E402
from govchain.roles import ROLE_BY_ID, ROLE_IDS  # noqa: E402

CITY = 530100000000
COUNTY = 530102000000
TOWNSHIP = 530102001000
DAY = 86400
# A CIDv1 (raw, base32) as IPFS gives it: the length every document CID on chain has.
CID = "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku"


def progress(message: str) -> None:
    print(message, flush=True)


def terms(due: int) -> tuple:
    """A 900,000-yuan plan with five milestones of 150,000 yuan, three KPIs and an explicit beneficiary list."""
    kpis = [(keccak(text=f"kpi:{name}"), target) for name, target in
            (("households-above-income-line", 120), ("jobs-created", 40), ("road-km", 12))]
    milestones = [(150_000 * YUAN, due + i * 30 * DAY, CID) for i in range(5)]
    return (900_000 * YUAN, CID, (REGISTERED | IN_TRANSITION, keccak(text="beneficiary list"), CID), kpis,
            milestones)


def main() -> None:
    proj = project.load(PROJECT_ROOT, name="GasPlans")
    proj.load_config()
    CONFIG.networks["development"]["cmd_settings"]["port"] = free_port()
    with connected("development"):
        figures, sizes = measure(proj)
    summary = {
        "create_plan_5_milestones_gas": figures["create_project_plan_5_milestones"],
        "plan_approval_step_gas": max(figures[k] for k in figures if k.startswith("plan_approval_")),
        "milestone_report_gas": figures["milestone_report"],
        "freeze_gas": figures["freeze_plan"],
        "max_contract_bytes": max(sizes.values()),
        "contract_bytes": sizes,
        "details": figures,
    }
    progress(json.dumps(summary))


def measure(proj) -> tuple[dict[str, int], dict[str, int]]:
    from brownie import accounts, chain, web3

    figures: dict[str, int] = {}

    def record(name: str, gas: int, note: str = "") -> None:
        figures[name] = gas
        progress(f"{name:<40} {gas:>9,} gas  {note}")

    admin = accounts[0]
    department, handler, township_leader, county_leader, treasury, county_department, supervisor = accounts[1:8]
    platform = deploy_platform(web3, NodeAccountSender(web3, admin.address), Settings())
    sizes = {name: len(web3.eth.get_code(address)) for name, address in platform.addresses.items()}
    for name, size in sizes.items():
        progress(f"{name + ' size':<40} {size:>9,} bytes")
    roles, hub, plans, supervision = (
        getattr(proj, name).at(platform.addresses[name])
        for name in ("RoleRegistry", "ApprovalHub", "PlanRegistry", "Supervision")
    )
    grants = [("DEPARTMENT", department, TOWNSHIP), ("HANDLER", handler, TOWNSHIP),
              ("LEADER", township_leader, TOWNSHIP), ("LEADER", county_leader, COUNTY),
              ("TREASURY", treasury, COUNTY), ("DEPARTMENT", county_department, COUNTY),
              ("SUPERVISOR", supervisor, TOWNSHIP)]
    for name, account, region in grants:
        roles.grantRoleIn(ROLE_IDS[name], account, region, {"from": admin})
    approvers = {("LEADER", 4): township_leader, ("LEADER", 3): county_leader, ("TREASURY", 3): treasury,
                 ("DEPARTMENT", 3): county_department}

    def walk(subject, label: str) -> None:
        _, levels = hub.route(hub.subjectOf(subject)["routeId"])
        for index, level in enumerate(levels):
            approver = approvers[(ROLE_BY_ID[bytes(level[0])], level[1])]
            completes = ": completes, calls PlanRegistry back" if index + 1 == len(levels) else ""
            record(f"{label}_{index}", hub.approve(subject, index, {"from": approver}).gas_used,
                   f"({ROLE_BY_ID[bytes(level[0])]} level {level[1]}{completes})")

    due = chain[-1].timestamp + 90 * DAY
    tx = plans.create(TOWNSHIP, SupportType.PROJECT, 101, terms(due), {"from": department})
    project_plan = tx.return_value
    record("create_project_plan_5_milestones", tx.gas_used, "(5 milestones, 3 KPIs, explicit list, 4 CIDs)")
    tx = plans.create(TOWNSHIP, SupportType.FUND, 102, terms(due), {"from": department})
    fund_plan = tx.return_value
    record("create_fund_plan_5_milestones", tx.gas_used)

    tx = plans.submit(project_plan, {"from": department})
    record("submit_plan", tx.gas_used, "(opens the version subject on the hub)")
    walk(tx.return_value, "plan_approval_project")
    walk(plans.submit(fund_plan, {"from": department}).return_value, "plan_approval_fund")

    record("start_plan", plans.start(project_plan, {"from": department}).gas_used)
    tx = plans.reportMilestone(project_plan, 0, CID, {"from": handler})
    record("milestone_report", tx.gas_used, "(opens the report's subject on the hub)")
    walk(tx.return_value, "milestone_approval")
    report = plans.reportMilestone(project_plan, 1, CID, {"from": handler}).return_value

    tx = supervision.freeze(plans.planTarget(project_plan), TOWNSHIP, CID, {"from": supervisor})
    record("freeze_plan", tx.gas_used, "(a plan with one milestone report pending: freezes it on the hub too)")
    assert hub.subjectOf(report)["frozen"]
    tx = supervision.resolve(tx.return_value, TOWNSHIP, False, 0, CID, {"from": supervisor})
    record("resolve_cleared", tx.gas_used, "(unfreezes the plan and the report)")
    tx = supervision.freeze(plans.milestoneTarget(project_plan, 2), TOWNSHIP, CID, {"from": supervisor})
    record("freeze_milestone", tx.gas_used, "(no report pending)")
    return figures, sizes


if __name__ == "__main__":
    main()
