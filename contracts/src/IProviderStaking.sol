// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @notice What a JobMarket needs from ProviderStaking.
interface IProviderStaking {
    function eligibleId(address provider, bytes32 classId) external view returns (uint32);
    function providerOf(uint32 id) external view returns (address);
    function unbondingDelay() external view returns (uint256);
    function slash(address provider, bytes32 classId, uint256 amount, address finder) external returns (uint256);
    function lockForDispute(address provider) external;
    function unlockDispute(address provider) external;
}
