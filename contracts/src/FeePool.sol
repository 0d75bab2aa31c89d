// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC4626} from "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";

/// @title FeePool
/// @notice An ERC-4626 pool of the network token that the markets pay their protocol fee
/// into (`JobMarket.setFee(pool, bps)`). Fees arrive as plain transfers, so they raise
/// totalAssets (the pool's balance) and every share's value with it.
///
/// `_decimalsOffset()` is 6: a first depositor who donates to inflate the share price loses
/// most of the donation to the virtual shares, more than any victim loses to rounding.
/// Zero amounts, and deposits or redemptions that would round to nothing, revert.
contract FeePool is ERC4626 {
    error ZeroAmount();
    error ZeroAddress();

    constructor(IERC20 token_, string memory name_, string memory symbol_) ERC4626(token_) ERC20(name_, symbol_) {
        if (address(token_) == address(0)) revert ZeroAddress();
    }

    function _decimalsOffset() internal pure override returns (uint8) {
        return 6;
    }

    // OpenZeppelin's ERC-4626 already moves tokens in before minting and burns before
    // paying out, so a hook token's callbacks only ever see consistent books.

    function deposit(uint256 assets, address receiver) public override returns (uint256 shares) {
        if (assets == 0) revert ZeroAmount();
        shares = super.deposit(assets, receiver);
        if (shares == 0) revert ZeroAmount();
    }

    function mint(uint256 shares, address receiver) public override returns (uint256) {
        if (shares == 0) revert ZeroAmount();
        return super.mint(shares, receiver);
    }

    function withdraw(uint256 assets, address receiver, address owner) public override returns (uint256) {
        if (assets == 0) revert ZeroAmount();
        return super.withdraw(assets, receiver, owner);
    }

    function redeem(uint256 shares, address receiver, address owner) public override returns (uint256 assets) {
        if (shares == 0) revert ZeroAmount();
        assets = super.redeem(shares, receiver, owner);
        if (assets == 0) revert ZeroAmount();
    }
}
