// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ILendingHooks} from "../ILendingHooks.sol";

interface IStakingSeize {
    function seize(address provider, bytes32 classId, uint256 amount, address to) external returns (uint256);
}

/// @notice TEST ONLY. A stand-in for the lending vault: a debt per provider, an auto-repay
/// share of each settlement, and a switch to misbehave (revert, or pull less than offered),
/// so the market's settlement path and staking's seize can be tested without the vault.
contract MockLender is ILendingHooks {
    IERC20 public immutable token;
    mapping(address => uint256) public debt;
    uint256 public repayBps; // share of each payment to repay automatically
    uint8 public mode; // 0 honest, 1 revert in repayFor, 2 pull half of what is offered

    constructor(IERC20 token_) {
        token = token_;
    }

    function setDebt(address provider, uint256 amount) external {
        debt[provider] = amount;
    }

    function setRepay(uint256 bps, uint8 mode_) external {
        repayBps = bps;
        mode = mode_;
    }

    function isHealthyAfter(address, uint256) external pure returns (bool) {
        return true;
    }

    function autoRepayAmount(address provider, uint256 payment) external view returns (uint256) {
        uint256 share = (payment * repayBps) / 10_000;
        return share < debt[provider] ? share : debt[provider];
    }

    function repayFor(address provider, uint256 amount) external returns (uint256) {
        if (mode == 1) revert("lender down");
        if (mode == 2) amount /= 2;
        if (amount > debt[provider]) amount = debt[provider];
        debt[provider] -= amount;
        require(token.transferFrom(msg.sender, address(this), amount), "pull");
        return amount;
    }

    function seize(IStakingSeize staking, address provider, bytes32 classId, uint256 amount) external returns (uint256) {
        return staking.seize(provider, classId, amount, address(this));
    }
}
