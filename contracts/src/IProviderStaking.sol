// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ILendingHooks} from "./ILendingHooks.sol";

/// @notice What a JobMarket needs from ProviderStaking.
interface IProviderStaking {
    function providerOf(uint32 id) external view returns (address);
    function unbondingDelay() external view returns (uint256);
    /// The lending vault (zero address: none); settlements offer it an automatic repayment.
    function lender() external view returns (ILendingHooks);
    /// Locks `amount` of free stake for a claim; returns the provider id (0 = not eligible)
    /// and the free stake before the lock (nothing is locked when it is below `amount`).
    function lockCollateral(address provider, bytes32 classId, uint256 amount)
        external
        returns (uint32 id, uint256 free);
    function releaseCollateral(uint32 providerId, bytes32 classId, uint256 amount)
        external
        returns (address provider);
    function slashCollateral(uint32 providerId, bytes32 classId, uint256 locked, uint256 amount, address finder)
        external
        returns (address provider, uint256 slashed);
}
