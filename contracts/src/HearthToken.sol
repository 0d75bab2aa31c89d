// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";

/// @title HearthToken
/// @notice The network's ERC-20 with EIP-2612 permit. The whole supply is minted once
/// to `holder` at deployment; there is no mint function, so supply is fixed forever.
contract HearthToken is ERC20, ERC20Permit {
    error ZeroHolder();

    constructor(string memory name_, string memory symbol_, uint256 supply, address holder)
        ERC20(name_, symbol_)
        ERC20Permit(name_)
    {
        if (holder == address(0)) revert ZeroHolder();
        _mint(holder, supply);
    }
}
