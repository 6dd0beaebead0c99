"""The approver wallet's command line (``python -m govchain.wallet`` / ``govchain-wallet``); see the package
docstring for the commands."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from web3.logs import DISCARD

from govchain.approvals import Approval
from govchain.chain import Chain
from govchain.config import PROJECT_ROOT, NetworkConfig
from govchain.errors import GovchainError
from govchain.wallet.keystore import KeystoreFolder
from govchain.wallet.relay import SKIP_REASONS, Candidate, NonceBook, plan_batch
from govchain.wallet.signature_file import SignatureFile, SignatureFileError, signature_files
from govchain.wallet.subjects import PlatformReader, WalletError, parse_subject
from govchain.wallet.words import LANGUAGES, describe, pending_line, region_words, standing_words, subject_text

DEFAULT_KEYSTORE_DIR = PROJECT_ROOT / "data" / "keystores"
DEFAULT_VALID_FOR = 3 * 86_400
NONCE_BOOK = ".signed-nonces.json"


class UsageError(WalletError):
    """Raised when the command line asks for something the wallet cannot do as asked."""


def _env(name: str) -> str | None:
    value = os.environ.get(name, "").strip()
    return value or None


# ---------------------------------------------------------------------------------------------- prompts


def _password(prompt: str, confirm: bool = False) -> str:
    """The password from GOVCHAIN_WALLET_PASSWORD (for scripts) or typed without echo."""
    from_env = os.environ.get("GOVCHAIN_WALLET_PASSWORD")
    if from_env is not None:
        return from_env
    try:
        first = getpass.getpass(prompt)
        if confirm and getpass.getpass("再次输入 Repeat password: ") != first:
            raise UsageError("The two passwords differ; nothing was written.")
    except EOFError:
        raise UsageError("No terminal to type the password in: set GOVCHAIN_WALLET_PASSWORD for scripts.") from None
    return first


def _confirm(args, question: str) -> None:
    if args.yes:
        return
    try:
        answer = input(f"{question} [y/N] ").strip().lower()
    except EOFError:
        answer = ""
    if answer not in ("y", "yes", "是"):
        raise UsageError("Not confirmed; nothing was signed or sent.")


def _say(*lines: str) -> None:
    for line in lines:
        print(line, flush=True)


# ---------------------------------------------------------------------------------------------- shared steps


def _keystores(args) -> KeystoreFolder:
    return KeystoreFolder(args.keystore_dir or Path(_env("GOVCHAIN_WALLET_KEYSTORE_DIR") or DEFAULT_KEYSTORE_DIR))


def _account_entry(args):
    return _keystores(args).find(args.account or _env("GOVCHAIN_WALLET_ACCOUNT"))


def _unlock(args, entry):
    return _keystores(args).unlock(entry, _password(f"密码 Password for {entry.name} ({entry.address}): "))


def _reader(args) -> PlatformReader:
    return PlatformReader(Chain(NetworkConfig.from_args(args)))


def _level_arg(args) -> int | None:
    """The hub level the official means (typed from 1, as `show` prints it), if given."""
    if args.level is None:
        return None
    if args.level < 1:
        raise UsageError("--level counts from 1, as `show` prints it.")
    return args.level - 1


# ---------------------------------------------------------------------------------------------- commands


def cmd_create(args) -> int:
    folder = _keystores(args)
    entry = folder.create(_password("新密码 New password: ", confirm=True), args.name)
    _say(f"已创建 Created: {entry.address}", f"密钥库 Keystore: {entry.path}")
    return 0


def cmd_import(args) -> int:
    folder = _keystores(args)
    if args.keystore:
        entry = folder.import_keystore(args.keystore, _password(f"密码 Password of {args.keystore}: "), args.name)
    else:
        key = os.environ.get("GOVCHAIN_WALLET_PRIVATE_KEY")
        if key is None:
            try:
                key = getpass.getpass("私钥 Private key (hidden, 0x...): ")
            except EOFError:
                raise UsageError("No terminal: set GOVCHAIN_WALLET_PRIVATE_KEY or give --keystore FILE.") from None
        try:
            bytes.fromhex(key.strip().removeprefix("0x"))
            if len(key.strip().removeprefix("0x")) != 64:
                raise ValueError
        except ValueError:
            raise UsageError("That is not a private key (64 hex digits); nothing was written.") from None
        entry = folder.store(key.strip(), _password("新密码 New password: ", confirm=True), args.name)
    _say(f"已导入 Imported: {entry.address}", f"密钥库 Keystore: {entry.path}")
    return 0


def cmd_list(args) -> int:
    entries = _keystores(args).entries()
    if not entries:
        _say(f"没有密钥库 No keystore in {_keystores(args).folder}")
    for entry in entries:
        _say(f"{entry.name}  {entry.address}  {entry.path}")
    return 0


def cmd_pending(args) -> int:
    entry = _account_entry(args)
    reader = _reader(args)
    held = reader.held_roles(entry.address)
    en = args.lang == "en"
    if not held:
        _say(("" if en else "此账户没有任何角色 ") + f"{entry.address} holds no regional role: nothing waits for it.")
        return 0
    grants = ", ".join(f"{role} {region_words(region)[1]}" for role, region in held)
    _say(("Roles" if en else "角色 Roles") + f" of {entry.address}: {grants}")
    waiting = reader.pending_for(entry.address, held)
    _say(("Pending approvals" if en else "待我审批 Pending approvals") + f": {len(waiting)}")
    for facts in waiting:
        _say("  " + pending_line(facts, args.lang))
    return 0


def cmd_show(args) -> int:
    reader = _reader(args)
    _say(*describe(reader.facts(parse_subject(args.subject)), args.lang))
    return 0


def _prepare_decision(args, verb: str):
    """The reader, the subject, its facts and the unlocked account, after showing the official what they decide."""
    reader = _reader(args)
    subject = parse_subject(args.subject)
    entry = _account_entry(args)
    reader.require_decidable(subject, entry.address, _level_arg(args))
    facts = reader.facts(subject)
    _say(*describe(facts, args.lang))
    _confirm(args, f"以 {entry.address} {verb}？ {verb_en(verb)} as {entry.address}?")
    return reader, subject, facts, _unlock(args, entry)


def verb_en(verb: str) -> str:
    return {"批准": "Approve", "否决": "Reject", "退回修改": "Return for revision",
            "签署批准": "Sign approval of"}[verb]


def _after(reader: PlatformReader, subject: int, lang: str) -> None:
    facts = reader.standing(subject)
    zh, en = standing_words(facts)
    _say(f"现在 Now: {zh}  {en}" if lang == "zh" else f"Now: {en}")


def _decide(args, verb: str, done: str, transaction) -> int:
    """approve, reject and return: one transaction from the official's account, then where the subject stands."""
    reader, subject, facts, account = _prepare_decision(args, verb)
    receipt = reader.send(account, transaction(reader.hub.functions, subject, facts),
                          f"your decision ({verb_en(verb).lower()}) on {subject_text(subject)}", (subject,))
    _say(f"{done} in transaction 0x{bytes(receipt['transactionHash']).hex()}")
    _after(reader, subject, args.lang)
    return 0


def cmd_approve(args) -> int:
    return _decide(args, "批准", "已批准 Approved", lambda hub, subject, facts: hub.approve(subject, facts.level))


def cmd_reject(args) -> int:
    return _decide(args, "否决", "已否决 Rejected", lambda hub, subject, _: hub.reject(subject, args.comment))


def cmd_return(args) -> int:
    return _decide(args, "退回修改", "已退回 Returned for revision",
                   lambda hub, subject, _: hub.returnForRevision(subject, args.comment))


def cmd_sign(args) -> int:
    if Path(args.out).exists():
        raise UsageError(f"{args.out} exists already; choose another --out (nothing was overwritten).")
    if args.valid_for <= 0:
        raise UsageError("--valid-for must be a positive number of seconds.")
    reader, subject, facts, account = _prepare_decision(args, "签署批准")
    hub = reader.hub.address
    book = NonceBook(_keystores(args).folder / NONCE_BOOK)
    on_chain = reader.hub.functions.nonces(account.address).call()
    now = reader.web3.eth.get_block("latest")["timestamp"]
    nonce = args.nonce if args.nonce is not None else book.next(reader.chain_id, hub, account.address, on_chain, now)
    deadline = now + args.valid_for
    signed = SignatureFile.sign(account.key, reader.chain_id, hub, Approval(subject, facts.level, nonce, deadline))
    path = signed.write(Path(args.out))
    book.used(reader.chain_id, hub, account.address, nonce, deadline, on_chain, now)
    _say(f"已签署 Signed: {path}",
         f"  level {facts.level + 1}, nonce {nonce}, valid until block time {deadline}; anyone may relay it with "
         f"`govchain-wallet relay {path.parent}`")
    return 0


def cmd_relay(args) -> int:
    reader = _reader(args)
    candidates, problems = [], []
    for path in signature_files(Path(args.folder)):
        try:
            candidates.append(Candidate(path, SignatureFile.read(path)))
        except SignatureFileError as exc:
            problems.append(f"  refused 拒收 {path.name}: {exc}")

    standings: dict[int, object] = {}

    def standing(subject: int):
        if subject not in standings:
            try:
                standings[subject] = reader.standing(subject)
            except WalletError:
                standings[subject] = None
        return standings[subject]

    def blocker(subject: int, signer: str, level: int, facts) -> str | None:
        return reader.decidability(subject, signer, level, facts=facts).reason

    now = reader.web3.eth.get_block("latest")["timestamp"]
    plan = plan_batch(candidates, reader.chain_id, reader.hub.address,
                      lambda signer: reader.hub.functions.nonces(signer).call(), now, standing, blocker)
    problems += [f"  held back 暂不提交 {c.path.name}: {reason}" for c, reason in plan.held]
    if not plan.send:
        _say(f"Nothing to relay from {args.folder} 无可提交的签名", *problems)
        return 1 if problems else 0
    entry = _account_entry(args)
    account = _unlock(args, entry)
    receipt = reader.send(account, reader.hub.functions.approveBySig([c.signature.relayed() for c in plan.send]),
                          f"the batch of {len(plan.send)} signature(s)",
                          tuple(c.signature.approval.subject for c in plan.send))
    skipped = {}
    for event in reader.hub.events.ApprovalSignatureSkipped().process_receipt(receipt, errors=DISCARD):
        a = event["args"]
        skipped[(a["subject"], a["signer"].lower(), a["nonce"])] = SKIP_REASONS.get(a["reason"], str(a["reason"]))
    _say(f"Relayed 已提交 {len(plan.send)} signature(s) in transaction 0x{bytes(receipt['transactionHash']).hex()}")
    applied = 0
    for c in plan.send:
        a = c.signature.approval
        reason = skipped.get((a.subject, c.signature.signer.lower(), a.nonce))
        if reason:
            problems.append(f"  skipped by the hub 被跳过 {c.path.name}: {reason}")
        else:
            applied += 1
            _say(f"  applied 已生效 {c.path.name}: {subject_text(a.subject)} level {a.level + 1} "
                 f"by {c.signature.signer}")
    for subject in sorted({c.signature.approval.subject for c in plan.send}):
        zh, en = standing_words(reader.standing(subject))
        _say(f"  {subject_text(subject)} 现在 now: {zh}  {en}" if args.lang == "zh"
             else f"  {subject_text(subject)} now: {en}")
    if problems:
        _say(*problems)
    return 0 if not problems else 1


# ---------------------------------------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--keystore-dir", type=Path,
                        help=f"folder of keystores (env GOVCHAIN_WALLET_KEYSTORE_DIR, default {DEFAULT_KEYSTORE_DIR})")
    common.add_argument("--account", help="keystore name or address to act as (env GOVCHAIN_WALLET_ACCOUNT; "
                                          "default: the only keystore in the folder)")
    common.add_argument("--lang", choices=LANGUAGES, default=_env("GOVCHAIN_WALLET_LANG") or "zh",
                        help="zh: Chinese with English beside (default); en: English")
    NetworkConfig.add_arguments(common)

    parser = argparse.ArgumentParser(
        prog="govchain-wallet",
        description="GovChain approver wallet (审批钱包): encrypted keystores, my pending approvals, what a subject "
                    "is in plain words, approve/reject/return, signature files and their relay.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, handler, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, parents=[common], help=help_text, description=help_text)
        p.set_defaults(handler=handler)
        return p

    p = command("create", cmd_create, "create a new account in an encrypted keystore")
    p.add_argument("--name", help="file name of the keystore (default: the address)")
    p = command("import", cmd_import, "import a private key (typed hidden, or GOVCHAIN_WALLET_PRIVATE_KEY) or a "
                                      "V3 keystore file (--keystore FILE)")
    p.add_argument("--name", help="file name of the keystore (default: the address)")
    p.add_argument("--keystore", type=Path, help="an existing V3 keystore file to import")
    command("list", cmd_list, "list the keystores of the folder")
    command("pending", cmd_pending, "list the subjects waiting for my approval")
    p = command("show", cmd_show, "show in plain words what a subject is and where it stands")
    p.add_argument("subject", help="subject id (0x..., as `pending` prints it)")

    def decision(name: str, handler, help_text: str) -> argparse.ArgumentParser:
        p = command(name, handler, help_text)
        p.add_argument("subject", help="subject id (0x..., as `pending` prints it)")
        p.add_argument("--level", type=int, help="the level (from 1) I mean to decide; refused if it stands elsewhere")
        p.add_argument("--yes", "-y", action="store_true", help="do not ask for confirmation")
        return p

    decision("approve", cmd_approve, "approve a subject's current level (a transaction from my account)")
    for name, handler, what in (("reject", cmd_reject, "reject a subject for good"),
                                ("return", cmd_return, "return a subject to its submitter for revision")):
        p = decision(name, handler, what)
        p.add_argument("--comment", default="", help="CID of the comment document")
    p = decision("sign", cmd_sign, "sign an approval of a subject's current level into a file anyone may relay")
    p.add_argument("--out", required=True, type=Path, help="the signature file to write (never overwritten)")
    p.add_argument("--valid-for", type=int, default=DEFAULT_VALID_FOR,
                   help=f"seconds of chain time the signature stays valid (default {DEFAULT_VALID_FOR})")
    p.add_argument("--nonce", type=int, help="the nonce to sign with (default: my next one)")
    p = command("relay", cmd_relay, "submit every signature file of a folder in one approveBySig batch")
    p.add_argument("folder", type=Path, help="folder of signature files")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Runs one command; returns the exit code (0 done, 1 refused or failed, 2 bad usage, 130 interrupted)."""
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except GovchainError as exc:
        print(f"错误 Error: {exc}", file=sys.stderr, flush=True)
        return 1
    except KeyboardInterrupt:
        print("\n已取消 Cancelled; nothing was signed or sent.", file=sys.stderr)
        return 130
    except Exception as exc:  # an official gets one line, not a traceback; GOVCHAIN_WALLET_DEBUG=1 shows it
        if _env("GOVCHAIN_WALLET_DEBUG"):
            raise
        print(f"错误 Error: unexpected {type(exc).__name__}: {exc} (GOVCHAIN_WALLET_DEBUG=1 shows where)",
              file=sys.stderr, flush=True)
        return 1
