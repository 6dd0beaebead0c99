"""The approver wallet (审批钱包): how an official approves with their own key.

``python -m govchain.wallet COMMAND`` (console script ``govchain-wallet``, entry point ``govchain.wallet:main``).

How to approve as an official
-----------------------------

1. **Make your key once.** ``govchain-wallet create`` asks for a password twice (typed, not shown) and writes an
   encrypted keystore (V3 JSON, scrypt) into ``data/keystores/`` (``--keystore-dir`` or
   ``GOVCHAIN_WALLET_KEYSTORE_DIR`` for another folder); it prints your address. ``govchain-wallet import`` takes
   an existing private key (typed hidden) or ``--keystore FILE``. Nothing is ever overwritten. Give the address
   to your administrator, who grants your role over your region (for example LEADER over your village).
2. **See what waits for you.** ``govchain-wallet pending`` lists every subject (registrations, exits, plan
   versions, milestones, appropriations, payment batches, procurements) whose current level needs a role you hold
   over its region, which you did not submit and have not approved yet.
3. **Read what you decide.** ``govchain-wallet show 0x…`` says in plain words, Chinese first with the English
   beside (``--lang en``: English), what the subject is — the household's pseudonymous id, village and decision;
   the plan's type, category, budget and region; the milestone's amount; the batch's total and count; the
   appropriation's amount; the procurement's supplier, quantity and price — and where it stands. The chain holds
   no personal data, so none is shown.
4. **Decide.** ``govchain-wallet approve|reject|return 0x…`` sends the decision from your account (``--comment
   CID`` for the reasons of a rejection or return). Or, without a connection of your own to send from,
   ``govchain-wallet sign 0x… --out approval.json`` writes an EIP-712 signature file (chain id, hub, subject,
   level, signer, nonce, deadline, signature; valid ``--valid-for`` seconds, 3 days by default) that anyone may
   relay: ``govchain-wallet relay FOLDER`` submits every file of a folder in one ``approveBySig`` transaction and
   reports each: applied, skipped by the hub (expired, or nonce already used) or held back (another chain or hub,
   subject no longer pending at that level, frozen, or waiting for an earlier signature of the same official).
   Every decision first shows the subject and asks to confirm (``--yes`` skips the question).

The password comes from a hidden prompt, or ``GOVCHAIN_WALLET_PASSWORD`` for scripts. The node and chain come from
``--rpc-url`` / ``--chain-id`` / ``--deployments`` or ``GOVCHAIN_RPC_URL`` / ``GOVCHAIN_CHAIN_ID`` /
``GOVCHAIN_DEPLOYMENTS`` (govchain/config.py); ``--account`` (``GOVCHAIN_WALLET_ACCOUNT``) picks a keystore by
name or address when the folder holds several. A refusal — wrong password, wrong chain, a role you do not hold,
an expired signature, a subject not pending at that level, the node unreachable — prints one line saying why and
exits with status 1.
"""

from govchain.wallet.cli import main

__all__ = ["main"]
