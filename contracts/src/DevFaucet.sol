// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

/// @title DevFaucet
/// @notice Devnet-only dispenser. It can only hand out tokens someone transferred to it,
/// so deploying it never changes the token's fixed supply. The deploy script creates it
/// only for local chains.
contract DevFaucet {
    using SafeERC20 for IERC20;

    IERC20 public immutable token;
    uint256 public immutable dripAmount;
    uint256 public immutable cooldown;
    mapping(address => uint256) public lastDrip;

    event Dripped(address indexed to, uint256 amount);

    error CoolingDown(uint256 availableAt);
    error FaucetEmpty();

    constructor(IERC20 token_, uint256 dripAmount_, uint256 cooldown_) {
        token = token_;
        dripAmount = dripAmount_;
        cooldown = cooldown_;
    }

    /// @notice Send `dripAmount` (or what is left) to `to`, at most once per cooldown.
    function drip(address to) external returns (uint256 amount) {
        uint256 last = lastDrip[to];
        if (last != 0 && block.timestamp < last + cooldown) revert CoolingDown(last + cooldown);
        uint256 balance = token.balanceOf(address(this));
        if (balance == 0) revert FaucetEmpty();
        amount = balance < dripAmount ? balance : dripAmount;
        lastDrip[to] = block.timestamp;
        token.safeTransfer(to, amount);
        emit Dripped(to, amount);
    }
}
