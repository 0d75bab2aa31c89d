// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @notice What ProviderStaking and JobMarket ask of the LendingVault (the staking's `lender`).
/// Collateral for a provider's debt is its active stake over all classes
/// (`ProviderStaking.collateralOf`), in the same token as the debt.
interface ILendingHooks {
    /// True if the provider's position stays healthy (health factor >= 1, or no debt) when its
    /// collateral becomes `collateralAfter`. ProviderStaking calls it on every voluntary path
    /// that lowers stake (requestUnbond) and reverts when it is false.
    function isHealthyAfter(address provider, uint256 collateralAfter) external view returns (bool);

    /// Part of `payment` (a settlement's net pay to `provider`) that the provider asked to
    /// repay automatically, capped at its debt. The market approves that amount to the vault
    /// and calls `repayFor`.
    function autoRepayAmount(address provider, uint256 payment) external view returns (uint256);

    /// Pulls `amount` from msg.sender and repays the provider's debt with it (anyone may repay
    /// anyone's debt). Returns what was applied (at most the debt).
    function repayFor(address provider, uint256 amount) external returns (uint256);
}
