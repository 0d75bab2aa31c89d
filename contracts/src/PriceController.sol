// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title PriceController
/// @notice EIP-1559-style price per inference unit. Each epoch the price moves toward the
/// level where paid units match `targetUnitsPerEpoch`: up when demand was above target,
/// down when below, by at most `maxStepBps` per epoch, never under `floorPrice`.
///
/// Only paid units count as demand: units are recorded when a job settles (or a dispute
/// ends with the provider paid), never at claim. Posting, cancelling, claiming and letting
/// a claim expire therefore cannot move the price. Pretending volume means paying for it:
/// the market charges a fee of at least MIN_FEE_BPS on every paid unit, so raising the
/// price one full step (pretending one target of extra units in an epoch) costs the fee on
/// a whole target's worth of volume, i.e. what an honest epoch at target pays in fees.
///
/// Integer rounding would freeze a small price (x * 12.5% rounds to 0 under 8 wei), so a
/// non-zero move is always at least 1 wei: the price can always fall to the floor and
/// always rise from it.
abstract contract PriceController {
    struct PriceState {
        uint96 price;
        uint40 epochStart;
        uint64 epochUnits;
    }

    uint256 public constant MAX_STEP_BPS = 5_000;
    /// Bounds that keep `nextPrice` far from overflow: price (< 2^96) x step (< 2^13) x
    /// units (<= 2^64) stays under 2^173.
    uint256 public constant MAX_TARGET_UNITS = 2 ** 64;
    uint256 public constant MAX_EPOCH_LENGTH = 7 days;
    /// Up to this many empty epochs are applied one by one (exactly as `nextPrice`); a
    /// longer idle uses a closed form so a claim after weeks of silence stays cheap.
    uint256 public constant EXACT_CATCHUP_EPOCHS = 32;
    uint256 private constant STEP_BPS = 10_000;
    uint256 private constant RAY = 1e27;

    uint256 public immutable epochLength;
    uint256 public immutable targetUnitsPerEpoch;
    uint256 public immutable floorPrice;
    uint256 public immutable maxStepBps;

    PriceState public priceState;

    event PriceUpdated(uint256 price, uint256 epochStart, uint256 previousEpochUnits);

    error BadPriceParameter();
    error PriceAboveMax(uint256 price, uint256 maxPrice);
    error PriceBelowMin(uint256 price, uint256 minPrice);

    constructor(
        uint256 epochLength_,
        uint256 targetUnitsPerEpoch_,
        uint256 initialPrice,
        uint256 floorPrice_,
        uint256 maxStepBps_
    ) {
        if (
            epochLength_ == 0 || epochLength_ > MAX_EPOCH_LENGTH || targetUnitsPerEpoch_ == 0
                || targetUnitsPerEpoch_ > MAX_TARGET_UNITS || floorPrice_ == 0 || initialPrice < floorPrice_
                || initialPrice > type(uint96).max || maxStepBps_ == 0 || maxStepBps_ > MAX_STEP_BPS
        ) revert BadPriceParameter();
        epochLength = epochLength_;
        targetUnitsPerEpoch = targetUnitsPerEpoch_;
        floorPrice = floorPrice_;
        maxStepBps = maxStepBps_;
        priceState = PriceState(uint96(initialPrice), uint40(block.timestamp), 0);
    }

    /// @notice The price after one epoch in which `used` units were paid.
    function nextPrice(uint256 price, uint256 used) public view returns (uint256) {
        uint256 target = targetUnitsPerEpoch;
        if (used == target) return price;
        uint256 diff = used > target ? used - target : target - used;
        if (diff > target) diff = target; // bounded step
        uint256 delta = (price * maxStepBps * diff) / (STEP_BPS * target);
        if (delta == 0) delta = 1;
        if (used > target) {
            uint256 raised = price + delta;
            return raised > type(uint96).max ? type(uint96).max : raised;
        }
        uint256 floor = floorPrice;
        return price > floor + delta ? price - delta : floor;
    }

    /// Applies every epoch that ended since the last update to `ps` (in memory).
    function _roll(PriceState memory ps) internal view returns (bool rolled) {
        uint256 elapsed = (block.timestamp - ps.epochStart) / epochLength;
        if (elapsed == 0) return false;
        uint256 price = nextPrice(ps.price, ps.epochUnits);
        uint256 empties = elapsed - 1;
        uint256 floor = floorPrice;
        if (empties <= EXACT_CATCHUP_EPOCHS) {
            for (uint256 i = 0; i < empties && price > floor; ++i) {
                price = nextPrice(price, 0);
            }
        } else {
            // k empty epochs: price x (1 - step)^k, and at least 1 wei per epoch, as the
            // iteration would give (up to rounding), never below the floor.
            uint256 factor = ((STEP_BPS - maxStepBps) * RAY) / STEP_BPS;
            uint256 decayed = (price * _rpow(factor, empties)) / RAY;
            uint256 stepped = price > empties ? price - empties : 0;
            price = decayed < stepped ? decayed : stepped;
            if (price < floor) price = floor;
        }
        ps.price = uint96(price);
        ps.epochStart = uint40(ps.epochStart + elapsed * epochLength);
        ps.epochUnits = 0;
        return true;
    }

    /// x^n for a ray (1e27 fixed point) x <= 1, by squaring.
    function _rpow(uint256 x, uint256 n) private pure returns (uint256 z) {
        z = RAY;
        while (n != 0) {
            if (n & 1 == 1) z = (z * x) / RAY;
            x = (x * x) / RAY;
            n >>= 1;
        }
    }

    function _rolledPrice() internal view returns (uint256) {
        PriceState memory ps = priceState;
        _roll(ps);
        return ps.price;
    }

    /// Rolls the controller and checks the price against the job's bounds; records no
    /// demand. Returns the price per unit for this claim.
    function _priceForClaim(uint256 maxPrice, uint256 minPrice) internal returns (uint256 price) {
        PriceState memory ps = priceState;
        uint256 previousUnits = ps.epochUnits;
        bool rolled = _roll(ps);
        price = ps.price;
        if (price > maxPrice) revert PriceAboveMax(price, maxPrice);
        if (price < minPrice) revert PriceBelowMin(price, minPrice);
        if (rolled) {
            priceState = ps;
            emit PriceUpdated(price, ps.epochStart, previousUnits);
        }
    }

    /// Rolls the controller and records `units` of paid demand in the current epoch.
    function _recordPaid(uint256 units) internal {
        PriceState memory ps = priceState;
        uint256 previousUnits = ps.epochUnits;
        bool rolled = _roll(ps);
        // Saturate rather than revert: a settlement must never fail on the demand counter.
        uint256 sum = uint256(ps.epochUnits) + units;
        ps.epochUnits = sum > type(uint64).max ? type(uint64).max : uint64(sum);
        priceState = ps;
        if (rolled) emit PriceUpdated(ps.price, ps.epochStart, previousUnits);
    }
}
