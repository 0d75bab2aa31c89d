// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @notice TEST ONLY. A contract account that acts as a requester or provider through
/// `exec`, and when a token hook fires re-enters `reentryTarget` with `reentryData` once,
/// recording whether that worked. With `bubble` set, a failed re-entry reverts the whole
/// transfer instead of being swallowed.
contract ReentrantActor {
    address public reentryTarget;
    bytes public reentryData;
    bool public armed;
    bool public bubble;
    uint256 public attempts;
    bool public lastSuccess;
    bytes public lastResult;

    function exec(address target, bytes calldata data) external returns (bytes memory) {
        (bool ok, bytes memory result) = target.call(data);
        if (!ok) {
            assembly {
                revert(add(result, 32), mload(result))
            }
        }
        return result;
    }

    function arm(address target, bytes calldata data, bool bubble_) external {
        reentryTarget = target;
        reentryData = data;
        armed = true;
        bubble = bubble_;
    }

    function tokensToSend(address, uint256) external {
        _reenter();
    }

    function tokensReceived(address, uint256) external {
        _reenter();
    }

    function _reenter() private {
        if (!armed) return;
        armed = false;
        attempts++;
        (bool ok, bytes memory result) = reentryTarget.call(reentryData);
        lastSuccess = ok;
        lastResult = result;
        if (!ok && bubble) {
            assembly {
                revert(add(result, 32), mload(result))
            }
        }
    }
}
