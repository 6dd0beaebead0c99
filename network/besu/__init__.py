"""A Hyperledger Besu QBFT network for the platform: genesis, node configuration, allowlists (see RUNBOOK.md).

``python -m network.besu.generate --validators 4 --deployer 0x... --out DIR`` writes a local trial network;
production validators bring their own node keys and give their enode URLs instead (``--validator``).
"""
