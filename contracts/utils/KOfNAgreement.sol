// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title KOfNAgreement
/// @notice The k-of-n agreement of the platform's committees: each member commits a hash of the whole tuple it
/// computed for a record (an eligibility batch, an assessment period); a record is final once k members
/// committed the same hash. The first commitment seen is the record's reference; a later one that differs is a
/// conflict the inheriting contract raises (never resolves silently), and the final commitment becomes the
/// reference. Used by EligibilityRegistry (ORACLE nodes) and AssessmentRegistry (ASSESSORs): one rule, one
/// store.
/// @dev Storage and its steps only, no events or errors: each registry keeps its own names for them, so its ABI
/// is unchanged. The mappings are internal so that EligibilityRegistry reads and writes them inline exactly as
/// before it shared them (its gas is unchanged to the unit); new users go through {_commit}.
abstract contract KOfNAgreement {
    // The first commitment seen for a record, replaced by the final one when they differ.
    mapping(bytes32 id => bytes32) internal _reference;
    mapping(bytes32 id => mapping(address member => bytes32)) internal _commitmentOf;
    // The votes of a commitment, counted in the low 8 bits; EligibilityRegistry packs its first voters' ids above
    // them (see its `_vote`), which {_commit}'s plain increment leaves alone while fewer than 256 vote.
    mapping(bytes32 id => mapping(bytes32 commitment => uint256)) internal _votes;

    /// @dev Records `member`'s `commitment` for record `id` (the caller checked it had not committed yet) and
    /// returns the votes the commitment has now and the record's reference before this commit (0: none, and
    /// `commitment` became the reference). A non-zero `expected` different from `commitment` is a conflict.
    function _commit(bytes32 id, address member, bytes32 commitment)
        internal
        returns (uint256 votesNow, bytes32 expected)
    {
        _commitmentOf[id][member] = commitment;
        votesNow = ++_votes[id][commitment];
        expected = _reference[id];
        if (expected == bytes32(0)) _reference[id] = commitment;
    }
}
