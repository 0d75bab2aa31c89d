// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

interface ITokenHooks {
    function tokensToSend(address to, uint256 amount) external;
    function tokensReceived(address from, uint256 amount) external;
}

/// @notice TEST ONLY. An ERC-20 with ERC-777-style hooks: a registered sender is called
/// before its balance moves and a registered receiver after. Used to prove the protocol
/// contracts survive reentrancy through token hooks.
contract HookToken is ERC20 {
    mapping(address => bool) public hooked;

    constructor(uint256 supply) ERC20("Hook", "HOOK") {
        _mint(msg.sender, supply);
    }

    function setHooked(bool on) external {
        hooked[msg.sender] = on;
    }

    function _update(address from, address to, uint256 value) internal override {
        if (from != address(0) && hooked[from]) ITokenHooks(from).tokensToSend(to, value);
        super._update(from, to, value);
        if (to != address(0) && hooked[to]) ITokenHooks(to).tokensReceived(from, value);
    }
}
