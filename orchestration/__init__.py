"""The demo's orchestration: the platform end to end on a local chain (pipeline, oracles, contracts, IPFS).

It sits above every component, so govchain/ (the chain layer they all share) imports none of them.
"""
