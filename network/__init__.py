"""The production network's configuration (network/besu: Hyperledger Besu QBFT) and the deploy variables
(network/deploy.env)."""
