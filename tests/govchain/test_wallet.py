"""The approver wallet without a node: the plain-words rendering, signature files, the relay's batch plan, the
keystore folder and the client views the wallet reads (checked against the compiled ABIs)."""

from __future__ import annotations

import json
import stat

import pytest
from eth_account import Account

from govchain.approvals import Approval, hub_domain, sign_approval, signed_approval
from govchain.chain import load_artifact
from govchain.config import PROJECT_ROOT
from govchain.deploy import APPROPRIATION, EXIT, MILESTONE, PAYMENT_BATCH, PLAN, PROCUREMENT, REGISTRATION
from govchain.wallet.keystore import KeystoreError, KeystoreFolder, WrongPasswordError
from govchain.wallet.relay import Candidate, NonceBook, plan_batch
from govchain.wallet.signature_file import SignatureFile, SignatureFileError
from govchain.wallet.subjects import parse_subject, subject_client, subject_key, subject_region
from govchain.wallet.words import SubjectFacts, describe, pending_line, yuan

VILLAGE, TOWNSHIP, COUNTY = 530102001001, 530102001000, 530102000000
HUB = "0x5FbDB2315678afecb367f032d93F642f64180aa3"
CLIENT = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512"


def anvil_key(index: int) -> str:
    """anvil's public development key ``index``, derived from its well-known mnemonic (never a real key)."""
    Account.enable_unaudited_hdwallet_features()
    mnemonic = "test test test test test test test test test test test junk"
    return "0x" + Account.from_mnemonic(mnemonic, account_path=f"m/44'/60'/0'/0/{index}").key.hex().removeprefix("0x")


KEY = anvil_key(1)


@pytest.fixture(autouse=True)
def isolation():
    """No chain here: overrides the root conftest's brownie snapshot fixture."""
    yield


def facts(kind: int, details: dict, **overrides) -> SubjectFacts:
    values = dict(subject=int(CLIENT, 16) << 96 | 7 << 40 | VILLAGE, kind=kind, region=VILLAGE, state=1, level=0,
                  level_count=3, role="LEADER", role_region=VILLAGE, threshold=1, approvals=0, details=details)
    return SubjectFacts(**(values | overrides))


# ------------------------------------------------------------------------------------------ plain words


def test_a_registration_shows_the_pseudonymous_household_its_village_and_the_decision_chinese_first():
    lines = describe(facts(REGISTRATION, {"household": "0xab" * 1 + "cd" * 31, "batch": "0x01"}))
    assert lines[1] == "类别 Kind: 贫困户建档立卡  household registration"
    assert "村 Village: 530102001001（村）  530102001001 (village)" in lines
    assert "户（化名编号） Household (pseudonymous id): 0xab" + "cd" * 31 in lines
    assert "决定 Decision: 纳入  admit" in lines


def test_an_exit_shows_the_exit_decision():
    assert "Decision: exit" in describe(facts(EXIT, {"household": "0x01"}), "en")


def test_english_alone_leaves_out_the_chinese():
    lines = describe(facts(REGISTRATION, {"household": "0x01"}), "en")
    assert lines[1] == "Kind: household registration"
    assert not any("村" in line or "类别" in line for line in lines)


def test_a_plan_version_shows_its_type_category_budget_and_region():
    lines = describe(facts(PLAN, {"plan_id": 4, "version": 2, "support_type": 3, "category": 101,
                                  "budget": 30_000_000}, region=TOWNSHIP), "en")
    assert "Plan: no. 4, version 2" in lines and "Support type: fund" in lines and "Category: 101" in lines
    assert "Budget: CNY 300,000.00" in lines and "Region: 530102001000 (township)" in lines
    assert "帮扶类型 Support type: 资金  fund" in describe(facts(PLAN, {"support_type": 3}))


def test_a_milestone_shows_its_tranche_amount():
    lines = describe(facts(MILESTONE, {"plan_id": 4, "index": 0, "amount": 10_000_050, "support_type": 2}), "en")
    assert "Milestone: no. 1" in lines and "Tranche amount: CNY 100,000.50" in lines


def test_an_appropriation_shows_its_amount_year_and_budget_line():
    lines = describe(facts(APPROPRIATION, {"appropriation_id": 1, "year": 2026, "budget_line": "rural-roads",
                                           "cap": 123_456_789}, region=COUNTY), "en")
    assert "Amount: CNY 1,234,567.89" in lines and "Year: 2026" in lines and "Budget line: rural-roads" in lines


def test_a_payment_batch_shows_its_total_and_count():
    lines = describe(facts(PAYMENT_BATCH, {"batch_id": 2, "plan_id": 4, "tranche": 0, "count": 25,
                                           "total": 5_000_000}), "en")
    assert "Total: CNY 50,000.00" in lines and "Payments: 25 households" in lines
    assert "笔数 Payments: 25 户  25 households" in describe(facts(PAYMENT_BATCH, {"count": 25}))


def test_a_procurement_shows_supplier_quantity_and_price():
    supplier = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
    lines = describe(facts(PROCUREMENT, {"procurement_id": 3, "plan_id": 4, "supplier": supplier, "material_kind": 1,
                                         "unit": "bag", "quantity": 200, "unit_price": 12_000}), "en")
    assert f"Supplier: {supplier}" in lines and "Quantity: 200 bag (material kind 1)" in lines
    assert "Unit price: CNY 120.00" in lines and "Total price: CNY 24,000.00" in lines


def test_a_pending_subject_says_its_level_and_what_the_level_needs():
    lines = describe(facts(REGISTRATION, {}, level=1, role="REVIEWER", role_region=TOWNSHIP, approvals=0), "en")
    assert lines[-1] == "Now: pending: level 2 of 3, needs 1 REVIEWER over 530102001000 (township), has 0"
    assert "审核员 REVIEWER" in describe(facts(REGISTRATION, {}, role="REVIEWER"))[-1]


def test_a_decided_subject_says_only_its_state():
    assert describe(facts(REGISTRATION, {}, state=3), "en")[-1] == "Now: approved"


def test_a_pending_line_names_the_subject_kind_region_and_level():
    line = pending_line(facts(PLAN, {}, level=1), "en")
    assert line.startswith("0x") and "support plan version" in line and "level 2/3" in line


def test_fen_are_shown_as_yuan_with_two_decimals():
    assert yuan(5) == ("0.05 元", "CNY 0.05") and yuan(123_456_700) == ("1,234,567.00 元", "CNY 1,234,567.00")


def test_no_rendering_invents_data_the_chain_does_not_hold():
    lines = describe(facts(PAYMENT_BATCH, {}), "en")  # an unknown client: the hub's facts only
    assert lines == ["Subject: " + hex(facts(PAYMENT_BATCH, {}).subject), "Kind: payment batch",
                     "Region: 530102001001 (village)", lines[-1]]


# ------------------------------------------------------------------------------------------ subject ids


def test_a_subject_id_splits_into_client_key_and_region():
    subject = int(CLIENT, 16) << 96 | 0xABCDEF << 40 | VILLAGE
    assert subject_client(subject) == CLIENT and subject_key(subject) == 0xABCDEF and subject_region(subject) == VILLAGE
    assert parse_subject(hex(subject)) == subject == parse_subject(str(subject))


def test_a_subject_id_that_is_not_a_number_is_refused():
    with pytest.raises(Exception, match="is not a subject id"):
        parse_subject("household-7")


# ------------------------------------------------------------------------------------------ signature files


def signed(approval: Approval, chain_id: int = 31337, hub: str = HUB, key: str = KEY) -> SignatureFile:
    return SignatureFile.sign(key, chain_id, hub, approval)


def test_a_signature_file_round_trips_and_relays_as_the_hub_takes_it(tmp_path):
    approval = Approval(subject=int(CLIENT, 16) << 96 | 7 << 40 | VILLAGE, level=1, nonce=3, deadline=1_900_000_000)
    path = signed(approval).write(tmp_path / "a.json")
    back = SignatureFile.read(path)
    expected = sign_approval(KEY, approval, hub_domain(31337, HUB))
    assert back.approval == approval and back.chain_id == 31337 and back.hub == HUB
    assert back.signer == Account.from_key(KEY).address and back.signature == expected
    assert back.relayed() == signed_approval(back.signer, approval, expected)
    data = json.loads(path.read_text())
    assert set(data) == {"format", "chain_id", "hub", "subject", "level", "signer", "nonce", "deadline", "signature"}


def test_a_signature_file_with_an_altered_value_is_refused(tmp_path):
    path = signed(Approval(1 << 100, 0, 0, 1_900_000_000)).write(tmp_path / "a.json")
    data = json.loads(path.read_text())
    data["level"] = 1
    path.write_text(json.dumps(data))
    with pytest.raises(SignatureFileError, match="was not signed by"):
        SignatureFile.read(path)


def test_a_damaged_signature_file_is_refused_with_its_name(tmp_path):
    (tmp_path / "broken.json").write_text('{"format": "govchain-approval-signature/1", "hub": "0x12"}')
    with pytest.raises(SignatureFileError, match="broken.json is damaged"):
        SignatureFile.read(tmp_path / "broken.json")


def test_a_signature_file_is_never_overwritten(tmp_path):
    signed(Approval(1 << 100, 0, 0, 1)).write(tmp_path / "a.json")
    before = (tmp_path / "a.json").read_text()
    with pytest.raises(SignatureFileError, match="exists already"):
        signed(Approval(1 << 100, 0, 1, 1)).write(tmp_path / "a.json")
    assert (tmp_path / "a.json").read_text() == before


# ------------------------------------------------------------------------------------------ relay plan


OTHER_KEY = anvil_key(2)
NOW = 1_800_000_000


def candidate(name: str, subject: int, level: int, nonce: int, deadline: int = NOW + 100, chain_id: int = 31337,
              hub: str = HUB, key: str = KEY) -> Candidate:
    from pathlib import Path

    return Candidate(Path(name), signed(Approval(subject, level, nonce, deadline), chain_id, hub, key))


def plan(candidates, nonces=None, levels=None, frozen=(), threshold=1, blocked=None):
    """plan_batch with subjects pending at ``levels`` (default 0), ``frozen`` ones, a ``threshold`` per level, and
    ``blocked`` {(subject, signer): reason} for signers who may not approve."""
    nonces, levels, blocked = nonces or {}, levels or {}, blocked or {}

    def standing(subject):
        return facts(REGISTRATION, {}, subject=subject, level=levels.get(subject, 0), threshold=threshold,
                     frozen=subject in frozen)

    def blocker(subject, signer, level, found):
        if level != found.level:
            return f"its subject stands at level {found.level + 1}, not at level {level + 1}"
        return blocked.get((subject, signer))

    return plan_batch(candidates, 31337, HUB, lambda signer: nonces.get(signer, 0), NOW, standing, blocker)


def names(batch):
    return [c.path.name for c in batch.send], {c.path.name: reason for c, reason in batch.held}


def test_a_signers_signatures_go_in_nonce_order():
    sent, held = names(plan([candidate("b", 2, 0, 1), candidate("a", 1, 0, 0)]))
    assert sent == ["a", "b"] and held == {}


def test_a_signature_after_a_missing_nonce_is_held_back():
    sent, held = names(plan([candidate("a", 1, 0, 0), candidate("c", 3, 0, 2)]))
    assert sent == ["a"] and "waits for" in held["c"] and "nonce 1" in held["c"]


def test_signatures_of_another_chain_or_hub_are_held_back():
    other_hub = "0x0000000000000000000000000000000000000001"
    sent, held = names(plan([candidate("chain", 1, 0, 0, chain_id=4242), candidate("hub", 1, 0, 0, hub=other_hub)]))
    assert sent == [] and "wrong chain" in held["chain"] and other_hub in held["hub"]


def test_expired_and_used_signatures_are_sent_for_the_hub_to_skip_and_report():
    signer = Account.from_key(KEY).address
    sent, held = names(plan([candidate("used", 1, 0, 0), candidate("late", 2, 0, 1, deadline=NOW - 1),
                             candidate("fresh", 3, 0, 1)], nonces={signer: 1}))
    assert sorted(sent) == ["fresh", "late", "used"] and held == {}


def test_an_expired_signature_does_not_use_up_its_nonce():
    sent, held = names(plan([candidate("late", 1, 0, 0, deadline=NOW - 1), candidate("next", 2, 0, 1)]))
    assert sent == ["late"] and "waits for" in held["next"]


def test_a_signature_its_signer_may_no_longer_give_is_held_back_with_the_reason():
    sent, held = names(plan([candidate("old", 1, 0, 0), candidate("mine", 2, 0, 1)], levels={1: 1},
                            blocked={(2, Account.from_key(KEY).address): "approved already"}))
    assert sent == [] and "stands at level 2, not at level 1" in held["old"]
    assert "waits for" in held["mine"]  # held after its predecessor, whose nonce stays unused


def test_a_second_signature_of_one_official_for_one_subject_is_held_back():
    sent, held = names(plan([candidate("first", 1, 0, 0), candidate("again", 1, 0, 1)], threshold=2))
    assert sent == ["first"] and "earlier in this batch" in held["again"]


def test_signatures_beyond_what_a_level_needs_are_held_back():
    sent, held = names(plan([candidate("mine", 1, 0, 0), candidate("theirs", 1, 0, 0, key=OTHER_KEY)]))
    assert len(sent) == 1 and "complete level 1 already" in held[({"mine", "theirs"} - set(sent)).pop()]


def test_a_signature_for_a_frozen_subject_is_held_back():
    sent, held = names(plan([candidate("cold", 1, 0, 0)], frozen={1}))
    assert sent == [] and "frozen" in held["cold"]


def test_each_signer_has_its_own_nonce_sequence():
    sent, _ = names(plan([candidate("mine", 1, 0, 0), candidate("theirs", 1, 0, 0, key=OTHER_KEY)], threshold=2))
    assert sorted(sent) == ["mine", "theirs"]


def test_the_nonce_book_gives_the_next_nonce_no_outstanding_signature_holds(tmp_path):
    book = NonceBook(tmp_path / "nonces.json")
    assert book.next(31337, HUB, "0xAa", on_chain=2, now=NOW) == 2
    book.used(31337, HUB, "0xAa", 2, NOW + 100, on_chain=2, now=NOW)
    book.used(31337, HUB, "0xAa", 3, NOW + 100, on_chain=2, now=NOW)
    assert book.next(31337, HUB, "0xaa", on_chain=2, now=NOW) == 4
    assert book.next(31337, HUB, "0xaa", on_chain=5, now=NOW) == 5  # relayed meanwhile
    assert book.next(1, HUB, "0xaa", on_chain=0, now=NOW) == 0  # another chain keeps its own sequence


def test_the_nonce_of_a_signature_that_expired_unrelayed_is_given_out_again(tmp_path):
    book = NonceBook(tmp_path / "nonces.json")
    book.used(31337, HUB, "0xaa", 0, NOW + 10, on_chain=0, now=NOW)
    book.used(31337, HUB, "0xaa", 1, NOW + 500, on_chain=0, now=NOW)
    assert book.next(31337, HUB, "0xaa", on_chain=0, now=NOW + 60) == 0
    assert book.next(31337, HUB, "0xaa", on_chain=0, now=NOW + 600) == 0


# ------------------------------------------------------------------------------------------ keystores


def test_a_keystore_is_created_encrypted_and_unlocked_with_its_password(tmp_path):
    folder = KeystoreFolder(tmp_path)
    entry = folder.create("s3cret", "leader")
    data = json.loads(entry.path.read_text())
    assert data["crypto"]["kdf"] == "scrypt" and entry.path.name == "leader.json"
    assert stat.S_IMODE(entry.path.stat().st_mode) == 0o600
    assert folder.find("leader") == entry == folder.find(entry.address.lower()) == folder.find(None)
    assert folder.unlock(entry, "s3cret").address == entry.address


def test_a_wrong_password_is_named_as_such(tmp_path):
    folder = KeystoreFolder(tmp_path)
    entry = folder.create("s3cret")
    with pytest.raises(WrongPasswordError, match="Wrong password for keystore"):
        folder.unlock(entry, "guess")


def test_an_account_already_in_the_folder_is_not_stored_twice(tmp_path):
    folder = KeystoreFolder(tmp_path)
    folder.store(KEY, "pw", "first")
    with pytest.raises(KeystoreError, match="in this folder already"):
        folder.store(KEY, "pw", "second")
    assert [e.name for e in folder.entries()] == ["first"]


def test_a_taken_keystore_name_is_never_overwritten(tmp_path):
    folder = KeystoreFolder(tmp_path)
    first = folder.store(KEY, "pw", "leader")
    before = first.path.read_text()
    with pytest.raises(KeystoreError, match="exists already"):
        folder.store(OTHER_KEY, "pw", "leader")
    assert first.path.read_text() == before


def test_an_existing_v3_keystore_file_is_imported(tmp_path):
    (tmp_path / "outside").mkdir()
    source = tmp_path / "outside" / "UTC--exported.json"
    source.write_text(json.dumps(Account.encrypt(KEY, "pw", iterations=2)))
    entry = KeystoreFolder(tmp_path / "keys").import_keystore(source, "pw", "imported")
    assert entry.address == Account.from_key(KEY).address


def test_several_keystores_without_a_choice_are_listed_for_the_official(tmp_path):
    folder = KeystoreFolder(tmp_path)
    folder.store(KEY, "pw", "a")
    folder.store(OTHER_KEY, "pw", "b")
    with pytest.raises(KeystoreError, match="choose one with --account"):
        folder.find(None)


# ------------------------------------------------------------------------------------------ client views


# What the wallet reads from each client (govchain/wallet/subjects.py): (contract, view, output fields).
CLIENT_VIEWS = [
    ("PlanRegistry", "planOf", {"supportType", "category", "region"}),
    ("PlanRegistry", "milestoneOf", {"amount"}),
    ("FundLedger", "appropriationOf", {"year", "budgetLine", "cap"}),
    ("PaymentBatches", "batchOf", {"planId", "tranche", "count", "total"}),
    ("MaterialSupply", "procurementOf", {"planId", "kindId", "quantity", "supplier", "unitPrice"}),
]


@pytest.mark.parametrize("contract, view, fields", CLIENT_VIEWS)
def test_the_client_views_the_wallet_reads_return_the_fields_it_names(contract, view, fields):
    abi = load_artifact(PROJECT_ROOT / "build", contract)["abi"]
    (output,) = next(e for e in abi if e.get("name") == view and e["type"] == "function")["outputs"]
    assert fields <= {c["name"] for c in output["components"]}


def test_a_plan_versions_terms_carry_the_budget_the_wallet_shows():
    abi = load_artifact(PROJECT_ROOT / "build", "PlanRegistry")["abi"]
    (output,) = next(e for e in abi if e.get("name") == "versionOf")["outputs"]
    terms = next(c for c in output["components"] if c["name"] == "terms")
    assert "budget" in {c["name"] for c in terms["components"]}


def test_a_refusal_names_the_custom_error_with_its_arguments_and_the_role_by_name():
    from eth_abi import encode
    from eth_utils import keccak
    from web3.exceptions import ContractCustomError

    from govchain.roles import role_id
    from govchain.wallet.subjects import revert_text

    abi = load_artifact(PROJECT_ROOT / "build", "ApprovalHub")["abi"]
    subject, account = int(CLIENT, 16) << 96 | 7 << 40 | VILLAGE, Account.from_key(KEY).address
    selector = keccak(text="ApprovalUnauthorized(uint256,uint8,address,bytes32,uint64)")[:4]
    data = selector + encode(["uint256", "uint8", "address", "bytes32", "uint64"],
                             [subject, 0, account, role_id("LEADER"), VILLAGE])
    text = revert_text(ContractCustomError("reverted", data="0x" + data.hex()), [abi])
    assert text == (f"ApprovalUnauthorized(subject={hex(subject)}, level=0, account={account}, role=LEADER, "
                    f"region={VILLAGE})")
