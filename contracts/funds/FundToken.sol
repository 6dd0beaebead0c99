// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

import {Governed} from "../access/Governed.sol";
import {IFundToken} from "../interfaces/IFundToken.sol";
import {IRoleRegistry} from "../interfaces/IRoleRegistry.sol";

/// @title FundToken
/// @notice The earmarked fund token (see {IFundToken}), modelled on Brazil's RBB "earmarked money": money that
/// can only go where its budget line says. The fund ledger mints it against approved appropriations and holds it
/// in escrow; the payment contract pays it to households' bound wallets; a household's token may go only to a
/// platform contract.
contract FundToken is ERC20, Governed, IFundToken {
    /// @notice May hold, send and receive freely (the ledger, the payment contract, later shops of materials).
    uint8 public constant PLATFORM = 1;
    /// @notice May mint and burn (the fund ledger).
    uint8 public constant MINTER = 2;
    /// @notice May claw funds back from any holder (the payment contract, after an upheld finding).
    uint8 public constant RECOVERER = 4;

    mapping(address account => uint8 flags) private _access;

    constructor(IRoleRegistry roleRegistry) ERC20("GovChain Earmarked Fund", "GCF") Governed(roleRegistry) {}

    /// @inheritdoc IFundToken
    /// @dev Requirements: the caller governs. Emits an {AccessSet} event.
    function setAccess(address account, uint8 flags) external onlyGovernance {
        _access[account] = flags;
        emit AccessSet(account, flags);
    }

    /// @inheritdoc IFundToken
    /// @dev Requirements: the caller is a minter. Emits an {IERC20-Transfer} event.
    function mint(address to, uint256 amount) external {
        _checkAccess(MINTER);
        _mint(to, amount);
    }

    /// @inheritdoc IFundToken
    /// @dev Requirements: the caller is a minter. Emits an {IERC20-Transfer} event.
    function burn(uint256 amount) external {
        _checkAccess(MINTER);
        _burn(msg.sender, amount);
    }

    /// @inheritdoc IFundToken
    /// @dev Requirements: the caller is a recoverer; `from` holds `amount`. Emits {IERC20-Transfer} and
    /// {Clawback} events.
    function clawback(address from, address to, uint256 amount) external {
        _checkAccess(RECOVERER);
        // A recoverer is a platform contract, so the restriction of {_update} passes through it.
        super._update(from, to, amount);
        emit Clawback(from, to, msg.sender, amount);
    }

    /// @inheritdoc IFundToken
    function accessOf(address account) external view returns (uint8) {
        return _access[account];
    }

    /// @notice Amounts are in fen (分).
    function decimals() public pure override returns (uint8) {
        return 2;
    }

    /// @dev A transfer needs a platform contract on one side; minting and burning are the minter's (checked in
    /// {mint} and {burn}).
    function _update(address from, address to, uint256 value) internal override {
        if (from != address(0) && to != address(0) && _access[from] & PLATFORM == 0 && _access[to] & PLATFORM == 0) {
            revert FundTransferRestricted(from, to);
        }
        super._update(from, to, value);
    }

    function _checkAccess(uint8 flag) private view {
        if (_access[msg.sender] & flag == 0) revert FundTokenUnauthorized(msg.sender, flag);
    }
}
