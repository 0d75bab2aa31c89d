// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC4626} from "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ILendingHooks} from "./ILendingHooks.sol";

/// @notice What the vault needs from ProviderStaking.
interface IStakingForLender {
    function collateralOf(address provider) external view returns (uint256);
    function unbondingOf(address provider) external view returns (uint256);
    function stakeFor(address provider, bytes32 classId, uint256 amount) external;
    function seize(address provider, bytes32 classId, uint256 amount, address to) external returns (uint256);
    function classStakes(address provider, bytes32 classId)
        external
        view
        returns (uint96 active, uint96 locked, bool sweep, bool declared, uint96 unbonding, uint56 releaseAt);
    function minStake(bytes32 classId) external view returns (uint256);
}

/// @title LendingVault
/// @notice An ERC-4626 vault of the network token. Lenders deposit and redeem; providers
/// borrow to stake: borrowed tokens go straight into their stake in ProviderStaking and stay
/// there as collateral. Interest accrues per second from a utilization-kink curve.
///
/// - Share price: totalAssets = cash (the vault's token balance) + total debt with interest
///   accrued to the current block, so it is exact at every block without a transaction.
/// - Inflation attack: `_decimalsOffset()` is 6 (a million virtual shares per wei), so a
///   first depositor who donates to skew the price loses more than a victim does.
/// - First loss: collateral is the provider's whole active stake, its own bond first in line:
///   a slash lowers collateral while the debt stays, so lenders lose only once stake < debt,
///   and only when `writeOffBadDebt` books it, openly, against totalAssets.
/// - Rounding: a provider's debt rounds up, what lenders are owed rounds down; repayments
///   reduce scaled debt rounding down; liquidators pay rounding up.
contract LendingVault is ERC4626, ReentrancyGuardTransient, ILendingHooks {
    using SafeERC20 for IERC20;
    using SafeCast for uint256;
    using Math for uint256;

    uint256 private constant WAD = 1e18;
    uint256 private constant BPS = 10_000;
    uint256 private constant YEAR = 365 days;
    /// Sum of the rate model's annual rates may not exceed 1000 %.
    uint256 public constant MAX_RATE_PER_YEAR = 10 * WAD;
    uint256 public constant MAX_LIQUIDATION_BONUS_BPS = 2_000;
    /// 10 ** _decimalsOffset(), as a constant for the hot paths.
    uint256 private constant VIRTUAL_SHARES = 1e6;
    /// ProviderStaking's smallest non-zero stake (its MIN_STAKE_FLOOR).
    uint256 private constant STAKE_FLOOR = 1e18;

    /// Rate model (per second, 1e18 fixed point) and risk parameters, fixed at deployment.
    struct Params {
        uint256 baseRatePerYear; // 1e18 = 100 % APR
        uint256 slope1PerYear; // added linearly from 0 to the kink
        uint256 slope2PerYear; // added linearly from the kink to 100 % utilization (>= 10 x slope1)
        uint256 kink; // utilization, 1e18 = 100 %
        uint256 maxLtvBps; // borrowing limit: debt <= collateral x maxLtv
        uint256 liquidationThresholdBps; // health factor = collateral x LT / debt
        uint256 liquidationBonusBps; // liquidator receives repay x (1 + bonus) of stake
        uint256 closeFactorBps; // share of the debt one liquidation may repay
        uint256 dustDebt; // a liquidation may repay everything when less than this would be left
    }

    /// Interest state packed in one slot: every deposit and withdrawal reads it.
    struct Accrual {
        uint104 borrowIndex; // 1e18 at deployment; debt = scaled x index
        uint40 lastAccrual;
        uint112 totalScaledDebt;
    }

    struct Position {
        uint240 scaledDebt;
        uint16 autoRepayBps;
    }

    IStakingForLender public immutable staking;
    uint256 public immutable baseRatePerSecond;
    uint256 public immutable slope1PerSecond;
    uint256 public immutable slope2PerSecond;
    uint256 public immutable kink;
    uint256 public immutable maxLtvBps;
    uint256 public immutable liquidationThresholdBps;
    uint256 public immutable liquidationBonusBps;
    uint256 public immutable closeFactorBps;
    uint256 public immutable dustDebt;

    Accrual private _accrual;
    mapping(address => Position) private _positions;

    event Borrowed(address indexed provider, bytes32 indexed classId, uint256 amount, uint256 debt);
    event Repaid(address indexed provider, address indexed payer, uint256 amount, uint256 debt);
    event Liquidated(
        address indexed provider,
        address indexed liquidator,
        bytes32 indexed classId,
        uint256 repaid,
        uint256 seized,
        uint256 debt
    );
    event BadDebtWrittenOff(address indexed provider, uint256 amount);
    event AutoRepaySet(address indexed provider, uint256 bps);

    error ZeroAmount();
    error ZeroAddress();
    error BadParameter();
    error InsufficientCash(uint256 available, uint256 requested);
    error ExceedsMaxLtv(uint256 debtAfter, uint256 maxDebt);
    error NoDebt();
    error PositionHealthy(uint256 healthFactor);
    error NothingSeized();
    error NotBadDebt(uint256 collateral);

    constructor(IERC20Metadata token_, IStakingForLender staking_, string memory name_, string memory symbol_, Params memory p)
        ERC4626(token_)
        ERC20(name_, symbol_)
    {
        if (address(token_) == address(0) || address(staking_) == address(0)) revert ZeroAddress();
        if (
            p.kink == 0 || p.kink >= WAD || p.slope1PerYear == 0 || p.slope2PerYear < 10 * p.slope1PerYear
                || p.baseRatePerYear + p.slope1PerYear + p.slope2PerYear > MAX_RATE_PER_YEAR
        ) revert BadParameter();
        // Borrowing stops before liquidation starts, and a position just under the threshold
        // still holds enough stake to pay the liquidator its bonus.
        if (
            p.maxLtvBps == 0 || p.maxLtvBps >= p.liquidationThresholdBps || p.liquidationThresholdBps > BPS
                || p.liquidationBonusBps > MAX_LIQUIDATION_BONUS_BPS
                || p.liquidationThresholdBps * (BPS + p.liquidationBonusBps) > BPS * BPS || p.closeFactorBps == 0
                || p.closeFactorBps > BPS
        ) revert BadParameter();
        staking = staking_;
        baseRatePerSecond = p.baseRatePerYear / YEAR;
        slope1PerSecond = p.slope1PerYear / YEAR;
        slope2PerSecond = p.slope2PerYear / YEAR;
        kink = p.kink;
        maxLtvBps = p.maxLtvBps;
        liquidationThresholdBps = p.liquidationThresholdBps;
        liquidationBonusBps = p.liquidationBonusBps;
        closeFactorBps = p.closeFactorBps;
        dustDebt = p.dustDebt;
        _accrual = Accrual({borrowIndex: uint104(WAD), lastAccrual: uint40(block.timestamp), totalScaledDebt: 0});
    }

    // ---------------------------------------------------------------- ERC-4626

    function _decimalsOffset() internal pure override returns (uint8) {
        return 6;
    }

    /// @notice Cash plus all debt with interest to now (rounded down: what lenders are owed).
    function totalAssets() public view override returns (uint256) {
        uint256 cash = _cash();
        Accrual memory a = _accrual;
        return cash + (uint256(a.totalScaledDebt) * _indexAt(a, cash)) / WAD;
    }

    /// Lenders can't take out cash that is lent: withdrawals are bounded by the vault's balance.
    function maxWithdraw(address owner) public view override returns (uint256) {
        return Math.min(_convertToAssets(balanceOf(owner), Math.Rounding.Floor), _cash());
    }

    function maxRedeem(address owner) public view override returns (uint256) {
        uint256 shares = balanceOf(owner);
        uint256 cash = _cash();
        if (_convertToAssets(shares, Math.Rounding.Floor) <= cash) return shares;
        return _convertToShares(cash, Math.Rounding.Floor);
    }

    // The four entry points accrue once and reuse that total (one balance read), instead of
    // OpenZeppelin's chain of previews, each reading the balance again: this keeps deposit
    // and withdraw near the plain ERC-4626 cost. The arithmetic is OpenZeppelin's.

    function deposit(uint256 assets, address receiver) public override nonReentrant returns (uint256 shares) {
        if (assets == 0) revert ZeroAmount();
        (uint256 total,) = _accrueTotal();
        shares = assets.mulDiv(totalSupply() + VIRTUAL_SHARES, total + 1, Math.Rounding.Floor);
        if (shares == 0) revert ZeroAmount();
        _deposit(_msgSender(), receiver, assets, shares);
    }

    function mint(uint256 shares, address receiver) public override nonReentrant returns (uint256 assets) {
        if (shares == 0) revert ZeroAmount();
        (uint256 total,) = _accrueTotal();
        assets = shares.mulDiv(total + 1, totalSupply() + VIRTUAL_SHARES, Math.Rounding.Ceil);
        _deposit(_msgSender(), receiver, assets, shares);
    }

    function withdraw(uint256 assets, address receiver, address owner)
        public
        override
        nonReentrant
        returns (uint256 shares)
    {
        if (assets == 0) revert ZeroAmount();
        (uint256 total, uint256 cash) = _accrueTotal();
        uint256 supply = totalSupply() + VIRTUAL_SHARES;
        uint256 maxAssets = Math.min(balanceOf(owner).mulDiv(total + 1, supply, Math.Rounding.Floor), cash);
        if (assets > maxAssets) revert ERC4626ExceededMaxWithdraw(owner, assets, maxAssets);
        shares = assets.mulDiv(supply, total + 1, Math.Rounding.Ceil);
        _withdraw(_msgSender(), receiver, owner, assets, shares);
    }

    function redeem(uint256 shares, address receiver, address owner)
        public
        override
        nonReentrant
        returns (uint256 assets)
    {
        if (shares == 0) revert ZeroAmount();
        (uint256 total, uint256 cash) = _accrueTotal();
        uint256 supply = totalSupply() + VIRTUAL_SHARES;
        uint256 maxShares = balanceOf(owner);
        if (maxShares.mulDiv(total + 1, supply, Math.Rounding.Floor) > cash) {
            maxShares = cash.mulDiv(supply, total + 1, Math.Rounding.Floor);
        }
        if (shares > maxShares) revert ERC4626ExceededMaxRedeem(owner, shares, maxShares);
        assets = shares.mulDiv(total + 1, supply, Math.Rounding.Floor);
        if (assets == 0) revert ZeroAmount();
        _withdraw(_msgSender(), receiver, owner, assets, shares);
    }

    // ---------------------------------------------------------------- borrowing

    /// @notice Borrow `amount` and stake it in `classId` for msg.sender (a registered provider
    /// that declared the class). Afterwards debt must be at most maxLtv of the collateral.
    function borrowToStake(bytes32 classId, uint256 amount) external nonReentrant {
        if (amount == 0) revert ZeroAmount();
        Accrual memory a = _accrue();
        uint256 cash = _cash();
        if (amount > cash) revert InsufficientCash(cash, amount);
        Position memory pos = _positions[msg.sender];
        uint256 added = amount.mulDiv(WAD, a.borrowIndex, Math.Rounding.Ceil);
        uint256 scaledAfter = uint256(pos.scaledDebt) + added;
        uint256 debtAfter = _debt(scaledAfter, a.borrowIndex);
        uint256 maxDebt = ((staking.collateralOf(msg.sender) + amount) * maxLtvBps) / BPS;
        if (debtAfter > maxDebt) revert ExceedsMaxLtv(debtAfter, maxDebt);

        pos.scaledDebt = scaledAfter.toUint240();
        _positions[msg.sender] = pos;
        // Interest starts now even if nobody owed anything before (then _accrue left the clock).
        a.lastAccrual = uint40(block.timestamp);
        a.totalScaledDebt = (uint256(a.totalScaledDebt) + added).toUint112();
        _accrual = a;

        IERC20(asset()).forceApprove(address(staking), amount);
        staking.stakeFor(msg.sender, classId, amount);
        emit Borrowed(msg.sender, classId, amount, debtAfter);
    }

    /// @notice Repay the caller's own debt; `type(uint256).max` repays all of it.
    function repay(uint256 amount) external nonReentrant returns (uint256) {
        return _repay(msg.sender, amount);
    }

    /// @inheritdoc ILendingHooks
    function repayFor(address provider, uint256 amount) external nonReentrant returns (uint256) {
        return _repay(provider, amount);
    }

    function _repay(address provider, uint256 amount) private returns (uint256 applied) {
        if (amount == 0) revert ZeroAmount();
        Accrual memory a = _accrue();
        Position memory pos = _positions[provider];
        uint256 debt = _debt(pos.scaledDebt, a.borrowIndex);
        if (debt == 0) revert NoDebt();
        applied = Math.min(amount, debt);
        uint256 debtLeft = _reduceDebt(provider, pos, a, applied, debt);
        IERC20(asset()).safeTransferFrom(msg.sender, address(this), applied);
        emit Repaid(provider, msg.sender, applied, debtLeft);
    }

    /// @notice Share of each settlement payment (basis points) the markets should send to the
    /// vault as repayment for msg.sender. 0 turns it off.
    function setAutoRepay(uint16 bps) external {
        if (bps > BPS) revert BadParameter();
        _positions[msg.sender].autoRepayBps = bps;
        emit AutoRepaySet(msg.sender, bps);
    }

    /// @inheritdoc ILendingHooks
    function autoRepayAmount(address provider, uint256 payment) external view returns (uint256) {
        Position memory pos = _positions[provider];
        if (pos.autoRepayBps == 0 || pos.scaledDebt == 0) return 0;
        return Math.min((payment * pos.autoRepayBps) / BPS, _debt(pos.scaledDebt, _currentIndex()));
    }

    // ---------------------------------------------------------------- liquidation

    /// @notice Repay up to `repayAmount` of an unhealthy provider's debt (health factor < 1)
    /// and receive stake from `classId` worth the repayment plus the bonus. At most the
    /// close factor of the debt per call, unless what would be left is dust. When the class
    /// holds less seizable stake, the repayment shrinks in proportion: the liquidator never
    /// pays for stake it does not get.
    function liquidate(address provider, bytes32 classId, uint256 repayAmount)
        external
        nonReentrant
        returns (uint256 repaid, uint256 seized)
    {
        if (repayAmount == 0) revert ZeroAmount();
        Accrual memory a = _accrue();
        Position memory pos = _positions[provider];
        uint256 debt = _debt(pos.scaledDebt, a.borrowIndex);
        if (debt == 0) revert NoDebt();
        uint256 hf = _healthFactor(staking.collateralOf(provider), debt);
        if (hf >= WAD) revert PositionHealthy(hf);

        uint256 cap = (debt * closeFactorBps) / BPS;
        if (debt - cap < dustDebt) cap = debt;
        uint256 want = (Math.min(repayAmount, cap) * (BPS + liquidationBonusBps)) / BPS;
        want = _wholeClassIfDust(provider, classId, want, Math.min(repayAmount, debt), debt);

        // The staking contract is trusted and this vault is locked against reentry; what it
        // actually hands over decides the repayment, so the call comes before the books.
        seized = staking.seize(provider, classId, want, msg.sender);
        if (seized == 0) revert NothingSeized();
        repaid = Math.min(seized.mulDiv(BPS, BPS + liquidationBonusBps, Math.Rounding.Ceil), debt);
        uint256 debtLeft = _reduceDebt(provider, pos, a, repaid, debt);
        IERC20(asset()).safeTransferFrom(msg.sender, address(this), repaid);
        emit Liquidated(provider, msg.sender, classId, repaid, seized, debtLeft);
    }

    /// Staking moves an active stake left under the class minimum to unbonding, where it no
    /// longer counts as collateral (only a further liquidation could reach it). Instead take the
    /// whole class stake when the liquidator's limit allows it, or, when the liquidator repays
    /// the whole debt, exactly the debt plus bonus (the provider, free of debt, keeps the rest).
    function _wholeClassIfDust(address provider, bytes32 classId, uint256 want, uint256 repayLimit, uint256 debt)
        private
        view
        returns (uint256)
    {
        (uint96 active,,,,,) = staking.classStakes(provider, classId);
        if (want >= active) return want;
        uint256 minimum = Math.max(staking.minStake(classId), STAKE_FLOOR);
        if (active - want >= minimum) return want;
        uint256 repayAll = uint256(active).mulDiv(BPS, BPS + liquidationBonusBps, Math.Rounding.Ceil);
        if (repayAll <= repayLimit) return active;
        if (repayLimit == debt) return debt.mulDiv(BPS + liquidationBonusBps, BPS, Math.Rounding.Ceil);
        return want;
    }

    /// @notice Book the debt of a provider with no stake left (active or unbonding) as a loss to lenders. The
    /// share price drops by exactly that amount, in the open. Anyone may call.
    function writeOffBadDebt(address provider) external nonReentrant returns (uint256 amount) {
        Accrual memory a = _accrue();
        Position memory pos = _positions[provider];
        amount = _debt(pos.scaledDebt, a.borrowIndex);
        if (amount == 0) revert NoDebt();
        // Unbonding stake is seizable (and can't be withdrawn while the debt is unhealthy):
        // the debt is bad only once it is gone too.
        uint256 collateral = staking.collateralOf(provider) + staking.unbondingOf(provider);
        if (collateral != 0) revert NotBadDebt(collateral);
        a.totalScaledDebt -= uint112(pos.scaledDebt);
        _accrual = a;
        pos.scaledDebt = 0;
        _positions[provider] = pos;
        emit BadDebtWrittenOff(provider, amount);
    }

    // ---------------------------------------------------------------- health

    /// @inheritdoc ILendingHooks
    function isHealthyAfter(address provider, uint256 collateralAfter) external view returns (bool) {
        uint256 debt = debtOf(provider);
        return debt == 0 || collateralAfter * liquidationThresholdBps >= debt * BPS;
    }

    /// @notice collateral x liquidationThreshold / debt, 1e18 fixed point; max without debt.
    function healthFactor(address provider) external view returns (uint256) {
        return _healthFactor(staking.collateralOf(provider), debtOf(provider));
    }

    function _healthFactor(uint256 collateral, uint256 debt) private view returns (uint256) {
        if (debt == 0) return type(uint256).max;
        return (collateral * liquidationThresholdBps).mulDiv(WAD, debt * BPS);
    }

    /// @notice Smallest collateral that keeps the provider healthy (0 without debt): stake
    /// under this can be liquidated.
    function liquidationCollateral(address provider) external view returns (uint256) {
        return debtOf(provider).mulDiv(BPS, liquidationThresholdBps, Math.Rounding.Ceil);
    }

    /// @notice How much more the provider can borrow now: maxLtv of collateral, and cash.
    function maxBorrow(address provider) external view returns (uint256) {
        uint256 index = _currentIndex();
        uint256 collateral = staking.collateralOf(provider);
        // Borrowed scaled debt rounds up: keep a margin of one index unit plus a wei.
        uint256 debt = _debt(_positions[provider].scaledDebt, index) + index.ceilDiv(WAD) + 1;
        uint256 limit = collateral * maxLtvBps;
        if (limit <= debt * BPS) return 0;
        return Math.min((limit - debt * BPS) / (BPS - maxLtvBps), _cash());
    }

    // ---------------------------------------------------------------- views

    /// @notice The provider's debt with interest to now, rounded up.
    function debtOf(address provider) public view returns (uint256) {
        return _debt(_positions[provider].scaledDebt, _currentIndex());
    }

    function autoRepayBps(address provider) external view returns (uint256) {
        return _positions[provider].autoRepayBps;
    }

    /// @notice All debt with interest to now, rounded down (what lenders are owed).
    function totalDebt() public view returns (uint256) {
        Accrual memory a = _accrual;
        return (uint256(a.totalScaledDebt) * _currentIndex()) / WAD;
    }

    /// @notice Borrowed share of the vault's assets, 1e18 = 100 %.
    function utilization() public view returns (uint256) {
        return _utilization(_cash(), totalDebt());
    }

    /// @notice Borrow rate per second (1e18 fixed point) at the current utilization.
    function borrowRate() public view returns (uint256) {
        return _rate(utilization());
    }

    /// @notice What lenders earn per second on the vault's assets (1e18): every borrower's
    /// interest goes to them (no reserve cut).
    function supplyRate() external view returns (uint256) {
        uint256 u = utilization();
        return (_rate(u) * u) / WAD;
    }

    function borrowIndex() external view returns (uint256) {
        return _currentIndex();
    }

    /// @notice The stored interest state: index at `lastAccrual` and the sum of scaled debts.
    function accrualState() external view returns (uint256 index, uint256 lastAccrual, uint256 totalScaledDebt) {
        Accrual memory a = _accrual;
        return (a.borrowIndex, a.lastAccrual, a.totalScaledDebt);
    }

    /// @notice The provider's debt in index units (debt = scaled x index / 1e18, rounded up).
    function scaledDebtOf(address provider) external view returns (uint256) {
        return _positions[provider].scaledDebt;
    }

    function _cash() private view returns (uint256) {
        return IERC20(asset()).balanceOf(address(this));
    }

    function _debt(uint256 scaled, uint256 index) private pure returns (uint256) {
        return scaled.mulDiv(index, WAD, Math.Rounding.Ceil);
    }

    function _utilization(uint256 cash, uint256 debt) private pure returns (uint256) {
        // debt < 2^112 x index, so debt x 1e18 can't overflow: plain division is exact here.
        return debt == 0 ? 0 : (debt * WAD) / (cash + debt);
    }

    /// Kinked curve: base + slope1 x U/kink up to the kink, + slope2 x (U-kink)/(1-kink) above.
    function _rate(uint256 u) private view returns (uint256) {
        if (u <= kink) return baseRatePerSecond + (slope1PerSecond * u) / kink;
        return baseRatePerSecond + slope1PerSecond + (slope2PerSecond * (u - kink)) / (WAD - kink);
    }

    /// Index to now: linear since the last accrual at the utilization that held since then
    /// (every action that changes utilization accrues first), compounding over accruals.
    function _currentIndex() private view returns (uint256) {
        Accrual memory a = _accrual;
        return _indexAt(a, _cash());
    }

    function _indexAt(Accrual memory a, uint256 cash) private view returns (uint256) {
        uint256 elapsed = block.timestamp - a.lastAccrual;
        if (elapsed == 0 || a.totalScaledDebt == 0) return a.borrowIndex;
        uint256 debt = (uint256(a.totalScaledDebt) * a.borrowIndex) / WAD;
        uint256 rate = _rate(_utilization(cash, debt));
        return a.borrowIndex + (uint256(a.borrowIndex) * rate * elapsed) / WAD;
    }

    function _accrue() private returns (Accrual memory a) {
        return _accrueAt(_cash());
    }

    /// Accrues and returns totalAssets and cash: what the lender entry points need.
    function _accrueTotal() private returns (uint256 total, uint256 cash) {
        cash = _cash();
        Accrual memory a = _accrueAt(cash);
        total = cash + (uint256(a.totalScaledDebt) * a.borrowIndex) / WAD;
    }

    function _accrueAt(uint256 cash) private returns (Accrual memory a) {
        a = _accrual;
        if (a.lastAccrual == block.timestamp) return a;
        // Without debt nothing accrues, and the next accrual's interval is interest-free too
        // (a borrow from zero debt restarts the clock).
        if (a.totalScaledDebt == 0) return a;
        a.borrowIndex = _indexAt(a, cash).toUint104();
        a.lastAccrual = uint40(block.timestamp);
        _accrual = a;
    }

    /// Lowers the provider's debt by `amount` (<= debt); scaled debt falls rounding down,
    /// except that paying the whole debt clears it. Returns the debt left.
    function _reduceDebt(address provider, Position memory pos, Accrual memory a, uint256 amount, uint256 debt)
        private
        returns (uint256)
    {
        uint256 burned = amount == debt ? pos.scaledDebt : amount.mulDiv(WAD, a.borrowIndex);
        pos.scaledDebt -= uint240(burned);
        _positions[provider] = pos;
        a.totalScaledDebt -= uint112(burned);
        _accrual = a;
        return _debt(pos.scaledDebt, a.borrowIndex);
    }
}
