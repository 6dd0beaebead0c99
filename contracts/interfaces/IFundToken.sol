// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @title IFundToken
/// @notice The earmarked fund token (专项资金, 2 decimals: one unit is one fen). It is minted only by the fund
/// ledger against an approved appropriation, and moves only from or to a platform contract: a platform contract
/// pays it out to a household's bound wallet, a household spends it only at a platform contract, never on to an
/// arbitrary address. Governance names the platform contracts and what each may do ({setAccess}).
interface IFundToken is IERC20 {
    /// @notice `account` was given `flags` (see {PLATFORM}, {MINTER}, {RECOVERER}; 0: none) by governance.
    event AccessSet(address indexed account, uint8 flags);

    /// @notice `recoverer` took `amount` back from `from` into `to` (a clawback after an upheld finding).
    event Clawback(address indexed from, address indexed to, address indexed recoverer, uint256 amount);

    /// @notice Neither `from` nor `to` is a platform contract: earmarked funds cannot move between outsiders.
    error FundTransferRestricted(address from, address to);

    /// @notice `account` lacks the access `flag` the action needs.
    error FundTokenUnauthorized(address account, uint8 flag);

    /// @notice Sets what `account` may do (governance only).
    function setAccess(address account, uint8 flags) external;

    /// @notice Mints `amount` to `to` (a minter only).
    function mint(address to, uint256 amount) external;

    /// @notice Burns `amount` held by the caller (a minter only): funds paid out by bank leave the token.
    function burn(uint256 amount) external;

    /// @notice Takes `amount` from `from` into `to` (a recoverer only).
    function clawback(address from, address to, uint256 amount) external;

    /// @notice What `account` may do.
    function accessOf(address account) external view returns (uint8);
}
