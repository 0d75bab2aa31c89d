// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ILendingHooks} from "./ILendingHooks.sol";

/// @title ProviderStaking
/// @notice Providers register, declare the device classes they serve and stake the network
/// token per class. Stake makes a provider eligible to claim jobs in that class's market,
/// can be slashed for proven faults (also while unbonding), and earns staking rewards from
/// a reward-per-token accumulator.
///
/// Reward accounting pitfalls handled here (see the test suite for each):
/// - Time with nothing staked: the rewards streamed in that time are kept as
///   `unallocatedRewards` and re-streamed by the next notify instead of being stranded.
/// - A 1-wei first stake inflating reward-per-token: every non-zero class stake is at least
///   the class minimum (>= MIN_STAKE_FLOOR); unbonding or slashing can't leave dust staked.
/// - Stake and reward are the same token: rewards are tracked in `rewardReserve`, never
///   derived from `balanceOf`, so principal can't be paid out as reward.
/// - Unfunded notifications: `notifyRewardAmount` pulls the tokens in the same call.
/// - Jailed providers: what their stake earns while jailed goes to `unallocatedRewards` (it
///   is routed there the next time their account is touched) instead of to them.
///
/// Collateral: a market locks part of a provider's active stake in a class for each job the
/// provider claims (`lockCollateral`), releases it when the job is paid or ruled
/// (`releaseCollateral`) and slashes it on a miss or a fault (`slashCollateral`). Locked
/// stake cannot be unbonded, seized by the lender or taken by a general `slash`, so each
/// open claim is backed by its own collateral. `active - locked` is the free stake.
///
/// Unbonding delay: every market's `maxJobDuration + challengeWindow + rulingPeriod` is read
/// when it is granted MARKET_ROLE; the delay must stay above the largest of them, so stake
/// that starts unbonding when a job is claimed is still slashable when its fate is decided.
contract ProviderStaking is AccessControl, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;
    using SafeCast for uint256;

    bytes32 public constant ARBITER_ROLE = keccak256("ARBITER_ROLE");
    bytes32 public constant MARKET_ROLE = keccak256("MARKET_ROLE");
    bytes32 public constant REWARD_DISTRIBUTOR_ROLE = keccak256("REWARD_DISTRIBUTOR_ROLE");

    uint256 public constant MIN_STAKE_FLOOR = 1e18;
    uint256 public constant MAX_FINDER_FEE_BPS = 5_000;
    uint256 public constant MAX_UNBONDING_DELAY = 365 days;
    uint256 public constant MAX_MIN_STAKE = 1e27;
    uint256 private constant PRECISION = 1e18;
    uint256 private constant BPS = 10_000;

    /// Packed in one slot so a stake touches a single provider slot.
    struct Account {
        uint96 stake; // sum of active stake over classes; the reward weight
        uint32 id; // 0 = not registered
        bool jailed;
        uint120 rewardPerTokenPaid;
    }

    /// Two slots per (provider, class). The first holds what every claim and settlement
    /// touches (active, locked), the second what only unbonding touches.
    struct ClassStake {
        uint96 active; // earning, eligible, slashable; includes `locked`
        uint96 locked; // collateral of open claims, part of `active`
        bool sweep; // a cut left dust that is still locked: unbond it when the last lock ends
        bool declared;
        uint96 unbonding; // slashable until withdrawn
        uint56 releaseAt;
    }

    IERC20 public immutable token;

    // Reward stream state, packed in two slots.
    uint96 public totalStaked;
    uint40 public lastUpdateTime;
    uint40 public periodFinish;
    uint136 public rewardPerTokenStored;
    uint120 public rewardRate;

    /// Tokens held for rewards: owed + still streaming + unallocated.
    uint256 public rewardReserve;
    /// Part of the reserve not promised to anyone; the next notify streams it.
    uint256 public unallocatedRewards;
    uint256 public totalUnbonding;

    uint256 public unbondingDelay;
    uint256 public finderFeeBps;
    address public slashRecipient;
    uint32 public providerCount;
    /// The largest `maxJobDuration + challengeWindow + rulingPeriod` over all markets ever
    /// granted MARKET_ROLE; the unbonding delay must exceed it.
    uint256 public longestJobLifetime;

    mapping(address => Account) public accounts;
    mapping(address => mapping(bytes32 => ClassStake)) public classStakes;
    mapping(address => uint256) public rewards;
    mapping(address => string) public endpoints;
    mapping(address => bytes32[]) private _classesOf;
    mapping(uint32 => address) public providerOf;
    mapping(bytes32 => uint256) public minStake; // 0 = class not enabled
    /// The lending vault: it may stake borrowed tokens for a provider and seize stake in a
    /// liquidation, and it vetoes unbonding that would leave a debt under-collateralised.
    ILendingHooks public lender;

    event ProviderRegistered(address indexed provider, uint32 indexed id, bytes32[] classes, string endpoint);
    event ClassDeclared(address indexed provider, bytes32 indexed classId);
    event EndpointUpdated(address indexed provider, string endpoint);
    event Staked(address indexed provider, bytes32 indexed classId, uint256 amount);
    event UnbondRequested(address indexed provider, bytes32 indexed classId, uint256 amount, uint256 releaseAt);
    event Withdrawn(address indexed provider, bytes32 indexed classId, uint256 amount);
    event Slashed(
        address indexed provider, bytes32 indexed classId, uint256 amount, address indexed finder, uint256 finderFee
    );
    event RewardNotified(uint256 amount, uint256 duration, uint256 rate, uint256 periodFinish);
    event RewardPaid(address indexed provider, uint256 amount);
    event MinStakeSet(bytes32 indexed classId, uint256 amount);
    event UnbondingDelaySet(uint256 delay);
    event FinderFeeSet(uint256 bps);
    event SlashRecipientSet(address recipient);
    event JailSet(address indexed provider, bool jailed);
    event MarketTimings(address indexed market, uint256 jobLifetime);
    event LenderSet(address lender);
    event StakedFor(address indexed provider, bytes32 indexed classId, address indexed by, uint256 amount);
    event Seized(address indexed provider, bytes32 indexed classId, uint256 amount, address indexed to);

    error AlreadyRegistered();
    error NotRegistered();
    error ClassNotEnabled(bytes32 classId);
    error ClassNotDeclared(bytes32 classId);
    error ZeroAmount();
    error BelowMinStake(uint256 resulting, uint256 minimum);
    error InsufficientStake(uint256 available, uint256 requested);
    error NothingToWithdraw();
    error StillUnbonding(uint256 releaseAt);
    error BadParameter();
    error NotAuthorized();
    error ZeroAddress();
    error Unhealthy();

    constructor(IERC20 token_, address admin, uint256 unbondingDelay_, uint256 finderFeeBps_, address slashRecipient_) {
        if (address(token_) == address(0) || admin == address(0) || slashRecipient_ == address(0)) {
            revert ZeroAddress();
        }
        if (unbondingDelay_ > MAX_UNBONDING_DELAY || finderFeeBps_ > MAX_FINDER_FEE_BPS) revert BadParameter();
        token = token_;
        unbondingDelay = unbondingDelay_;
        finderFeeBps = finderFeeBps_;
        slashRecipient = slashRecipient_;
        lastUpdateTime = uint40(block.timestamp);
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    // ---------------------------------------------------------------- registration

    /// @notice Register msg.sender as a provider serving `classes`, reachable at `endpoint`.
    function register(bytes32[] calldata classes, string calldata endpoint) external returns (uint32 id) {
        Account storage account = accounts[msg.sender];
        if (account.id != 0) revert AlreadyRegistered();
        id = ++providerCount;
        account.id = id;
        providerOf[id] = msg.sender;
        endpoints[msg.sender] = endpoint;
        for (uint256 i = 0; i < classes.length; ++i) {
            _declare(msg.sender, classes[i]);
        }
        emit ProviderRegistered(msg.sender, id, classes, endpoint);
    }

    /// @notice Add a device class to an existing registration.
    function declareClass(bytes32 classId) external {
        if (accounts[msg.sender].id == 0) revert NotRegistered();
        _declare(msg.sender, classId);
    }

    function setEndpoint(string calldata endpoint) external {
        if (accounts[msg.sender].id == 0) revert NotRegistered();
        endpoints[msg.sender] = endpoint;
        emit EndpointUpdated(msg.sender, endpoint);
    }

    function classesOf(address provider) external view returns (bytes32[] memory) {
        return _classesOf[provider];
    }

    function _declare(address provider, bytes32 classId) private {
        if (minStake[classId] == 0) revert ClassNotEnabled(classId);
        ClassStake storage cs = classStakes[provider][classId];
        if (cs.declared) return;
        cs.declared = true;
        _classesOf[provider].push(classId);
        emit ClassDeclared(provider, classId);
    }

    // ---------------------------------------------------------------- staking

    /// @notice Stake `amount` in `classId`; needs a prior token approval.
    function stake(bytes32 classId, uint256 amount) external nonReentrant {
        _stake(msg.sender, classId, amount);
    }

    /// @notice Stake with an EIP-2612 permit instead of a prior approval. A permit that was
    /// already used (e.g. front-run from the mempool) is ignored if the allowance suffices.
    function stakeWithPermit(bytes32 classId, uint256 amount, uint256 deadline, uint8 v, bytes32 r, bytes32 s)
        external
        nonReentrant
    {
        try IERC20Permit(address(token)).permit(msg.sender, address(this), amount, deadline, v, r, s) {} catch {}
        _stake(msg.sender, classId, amount);
    }

    /// Credits `amount` to the provider's stake in `classId`, paid by msg.sender (the provider
    /// itself, or the lender staking borrowed tokens for it).
    function _stake(address provider, bytes32 classId, uint256 amount) private {
        if (amount == 0) revert ZeroAmount();
        Account memory account = accounts[provider];
        if (account.id == 0) revert NotRegistered();
        ClassStake storage cs = classStakes[provider][classId];
        if (!cs.declared) revert ClassNotDeclared(classId);
        uint256 resulting = uint256(cs.active) + amount;
        uint256 minimum = minStake[classId];
        if (minimum == 0) revert ClassNotEnabled(classId);
        if (resulting < minimum) revert BelowMinStake(resulting, minimum);

        _updateReward(provider, account);
        cs.active = resulting.toUint96();
        cs.sweep = false; // at least the minimum now: no dust to sweep
        account.stake = (uint256(account.stake) + amount).toUint96();
        totalStaked = (uint256(totalStaked) + amount).toUint96();
        accounts[provider] = account;

        token.safeTransferFrom(msg.sender, address(this), amount);
        emit Staked(provider, classId, amount);
    }

    /// @notice Move `amount` of free (unlocked) active stake to unbonding. It stops earning
    /// and counting for eligibility now, stays slashable, and can be withdrawn after
    /// `unbondingDelay`. What stays active must be zero or at least the class minimum (no
    /// dust stakes); collateral locked by open claims stays until they close.
    function requestUnbond(bytes32 classId, uint256 amount) external nonReentrant {
        if (amount == 0) revert ZeroAmount();
        Account memory account = accounts[msg.sender];
        ClassStake memory cs = classStakes[msg.sender][classId];
        uint256 free = cs.active - cs.locked;
        if (amount > free) revert InsufficientStake(free, amount);
        uint256 remaining = cs.active - amount;
        uint256 minimum = _dustLimit(classId);
        if (remaining != 0 && remaining < minimum) revert BelowMinStake(remaining, minimum);
        _checkHealth(msg.sender, uint256(account.stake) - amount);

        _updateReward(msg.sender, account);
        _moveToUnbonding(msg.sender, classId, account, cs, amount);
        accounts[msg.sender] = account;
        classStakes[msg.sender][classId] = cs;
    }

    /// @notice Withdraw everything unbonded in `classId` once the delay has passed.
    function withdraw(bytes32 classId) external nonReentrant returns (uint256 amount) {
        ClassStake storage cs = classStakes[msg.sender][classId];
        amount = cs.unbonding;
        if (amount == 0) revert NothingToWithdraw();
        if (block.timestamp < cs.releaseAt) revert StillUnbonding(cs.releaseAt);
        // Unbonding stake is not collateral but stays seizable while a debt is open: it may
        // leave only while the active stake alone keeps the position healthy. Otherwise a slash
        // that drops a stake under the class minimum (into unbonding) would let it walk away
        // from the debt after the delay.
        _checkHealth(msg.sender, accounts[msg.sender].stake);
        cs.unbonding = 0;
        cs.releaseAt = 0;
        totalUnbonding -= amount;
        token.safeTransfer(msg.sender, amount);
        emit Withdrawn(msg.sender, classId, amount);
    }

    /// The smallest non-zero active stake allowed: the class minimum, or the floor when the
    /// class has been disabled, so reward-per-token never divides by dust.
    function _dustLimit(bytes32 classId) private view returns (uint256) {
        uint256 minimum = minStake[classId];
        return minimum == 0 ? MIN_STAKE_FLOOR : minimum;
    }

    function _moveToUnbonding(
        address provider,
        bytes32 classId,
        Account memory account,
        ClassStake memory cs,
        uint256 amount
    ) private {
        cs.active -= uint96(amount);
        cs.unbonding += uint96(amount);
        // A new request restarts the clock for the whole unbonding balance: simpler and
        // never shorter than the promised delay for any part of it.
        uint256 releaseAt = block.timestamp + unbondingDelay;
        cs.releaseAt = uint56(releaseAt);
        account.stake -= uint96(amount);
        totalStaked -= uint96(amount);
        totalUnbonding += amount;
        emit UnbondRequested(provider, classId, amount, releaseAt);
    }

    /// After a cut (slash, seize): an active remainder under the class minimum moves to
    /// unbonding so no dust keeps earning or stays eligible. Locked collateral must stay
    /// active for its open claims, so only the free part moves now; the rest moves when the
    /// last lock ends (`sweep`).
    function _dropDust(address provider, bytes32 classId, Account memory account, ClassStake memory cs) private {
        if (cs.active == 0 || cs.active >= _dustLimit(classId)) {
            if (cs.locked == 0) cs.sweep = false;
            return;
        }
        uint256 free = cs.active - cs.locked;
        if (free != 0) _moveToUnbonding(provider, classId, account, cs, free);
        cs.sweep = cs.locked != 0;
    }

    // ---------------------------------------------------------------- eligibility

    /// @notice The provider's id if it may claim jobs in `classId` now (registered, not
    /// jailed, active stake at least the class minimum), else 0. A claim also needs free
    /// stake for the job's collateral: see `freeStake` and `JobMarket.collateralFor`.
    function eligibleId(address provider, bytes32 classId) external view returns (uint32) {
        Account memory account = accounts[provider];
        if (account.id == 0 || account.jailed) return 0;
        uint256 active = classStakes[provider][classId].active;
        uint256 minimum = minStake[classId];
        if (minimum == 0 || active < minimum) return 0;
        return account.id;
    }

    /// @notice Active stake in `classId` not locked as collateral by open claims: what a new
    /// claim can lock, and what may be unbonded.
    function freeStake(address provider, bytes32 classId) external view returns (uint256) {
        ClassStake storage cs = classStakes[provider][classId];
        return cs.active - cs.locked;
    }

    // ---------------------------------------------------------------- collateral (markets)

    /// @notice A market locks `amount` of the provider's free stake in `classId` for a claim.
    /// Returns the provider's id (0 if not eligible: unregistered, jailed or under the class
    /// minimum) and its free stake before the lock; nothing is locked when `free < amount`.
    /// Returning instead of reverting lets the market revert with its own error.
    function lockCollateral(address provider, bytes32 classId, uint256 amount)
        external
        returns (uint32 id, uint256 free)
    {
        if (!hasRole(MARKET_ROLE, msg.sender)) revert NotAuthorized();
        Account storage account = accounts[provider];
        id = account.id;
        if (id == 0 || account.jailed) return (0, 0);
        ClassStake storage cs = classStakes[provider][classId];
        uint256 active = cs.active;
        uint256 locked = cs.locked;
        uint256 minimum = minStake[classId];
        if (minimum == 0 || active < minimum) return (0, 0);
        free = active - locked;
        if (free >= amount) cs.locked = uint96(locked + amount);
    }

    /// @notice A market releases the collateral of a claim that was paid or ruled. Returns the
    /// provider's address (the market needs it to pay the provider).
    function releaseCollateral(uint32 providerId, bytes32 classId, uint256 amount)
        external
        returns (address provider)
    {
        if (!hasRole(MARKET_ROLE, msg.sender)) revert NotAuthorized();
        provider = providerOf[providerId];
        ClassStake storage cs = classStakes[provider][classId];
        uint256 locked = cs.locked - amount;
        cs.locked = uint96(locked);
        if (locked == 0 && cs.sweep) _sweep(provider, classId);
    }

    /// @notice A market releases a claim's collateral `locked` and slashes `amount` of it (a
    /// missed deadline or a fault ruling). `finder` gets `finderFeeBps` of the slash unless it
    /// is the provider itself; the rest goes to `slashRecipient`.
    function slashCollateral(uint32 providerId, bytes32 classId, uint256 locked, uint256 amount, address finder)
        external
        nonReentrant
        returns (address provider, uint256 slashed)
    {
        if (!hasRole(MARKET_ROLE, msg.sender)) revert NotAuthorized();
        if (amount > locked) revert BadParameter();
        provider = providerOf[providerId];
        ClassStake memory cs = classStakes[provider][classId];
        cs.locked -= uint96(locked);
        slashed = amount;
        if (slashed == 0) {
            classStakes[provider][classId] = cs;
            if (cs.locked == 0 && cs.sweep) _sweep(provider, classId);
            return (provider, 0);
        }
        Account memory account = accounts[provider];
        _updateReward(provider, account);
        // Locked stake is part of active stake, so the whole amount comes from active.
        cs.active -= uint96(slashed);
        account.stake -= uint96(slashed);
        totalStaked -= uint96(slashed);
        _dropDust(provider, classId, account, cs);
        accounts[provider] = account;
        classStakes[provider][classId] = cs;
        _payOutSlash(provider, classId, slashed, finder);
    }

    /// The last lock of a provider whose stake fell under the minimum ended: unbond the rest.
    function _sweep(address provider, bytes32 classId) private {
        Account memory account = accounts[provider];
        ClassStake memory cs = classStakes[provider][classId];
        _updateReward(provider, account);
        cs.sweep = false;
        if (cs.active != 0) _moveToUnbonding(provider, classId, account, cs, cs.active);
        accounts[provider] = account;
        classStakes[provider][classId] = cs;
    }

    // ---------------------------------------------------------------- slashing

    /// @notice Take up to `amount` of the provider's stake in `classId` (free active stake
    /// first, then unbonding; collateral locked by open claims is left to its markets).
    /// `finder` gets `finderFeeBps` of it, the rest goes to `slashRecipient`; no fee when the
    /// finder is the caller or the provider. Only markets and arbiters may call. Active stake
    /// left under the class minimum is moved to unbonding so no dust keeps earning.
    function slash(address provider, bytes32 classId, uint256 amount, address finder)
        external
        nonReentrant
        returns (uint256 slashed)
    {
        if (!hasRole(MARKET_ROLE, msg.sender) && !hasRole(ARBITER_ROLE, msg.sender)) revert NotAuthorized();
        slashed = _cutFree(provider, classId, amount);
        if (slashed == 0) return 0;
        _payOutSlash(provider, classId, slashed, finder == msg.sender ? address(0) : finder);
    }

    /// Takes up to `amount` of the provider's free (unlocked) active stake in `classId`, then
    /// of its unbonding stake there; active stake left under the class minimum moves to
    /// unbonding. Collateral locked by open claims is never touched. Returns what was taken;
    /// the caller sends it on.
    function _cutFree(address provider, bytes32 classId, uint256 amount) private returns (uint256 cut) {
        ClassStake memory cs = classStakes[provider][classId];
        uint256 free = cs.active - cs.locked;
        uint256 fromActive = amount < free ? amount : free;
        uint256 rest = amount - fromActive;
        uint256 fromUnbonding = rest < cs.unbonding ? rest : cs.unbonding;
        cut = fromActive + fromUnbonding;
        if (cut == 0) return 0;
        Account memory account = accounts[provider];
        _updateReward(provider, account);
        cs.active -= uint96(fromActive);
        account.stake -= uint96(fromActive);
        totalStaked -= uint96(fromActive);
        if (fromUnbonding != 0) {
            cs.unbonding -= uint96(fromUnbonding);
            totalUnbonding -= fromUnbonding;
        }
        _dropDust(provider, classId, account, cs);
        accounts[provider] = account;
        classStakes[provider][classId] = cs;
    }

    function _payOutSlash(address provider, bytes32 classId, uint256 slashed, address finder) private {
        // A provider finding its own fault would get part of its penalty back.
        if (finder == provider) finder = address(0);
        uint256 fee = finder == address(0) ? 0 : (slashed * finderFeeBps) / BPS;
        if (fee != 0) token.safeTransfer(finder, fee);
        token.safeTransfer(slashRecipient, slashed - fee);
        emit Slashed(provider, classId, slashed, finder, fee);
    }

    /// @notice Jail or release a provider. A jailed provider cannot claim, and what its stake
    /// earns while jailed is routed to `unallocatedRewards`: its rewards are settled up to
    /// this moment under the old status first.
    function setJailed(address provider, bool jailed) external onlyRole(ARBITER_ROLE) {
        Account memory account = accounts[provider];
        if (account.id == 0) revert NotRegistered();
        _updateReward(provider, account);
        account.jailed = jailed;
        accounts[provider] = account;
        emit JailSet(provider, jailed);
    }

    // ---------------------------------------------------------------- rewards

    /// @notice Reward per staked token (1e18 fixed point) accumulated until now.
    function rewardPerToken() public view returns (uint256) {
        uint256 staked = totalStaked;
        if (staked == 0) return rewardPerTokenStored;
        uint256 applicable = lastTimeRewardApplicable();
        uint256 last = lastUpdateTime;
        if (applicable <= last) return rewardPerTokenStored;
        return rewardPerTokenStored + ((applicable - last) * rewardRate * PRECISION) / staked;
    }

    function lastTimeRewardApplicable() public view returns (uint256) {
        uint256 finish = periodFinish;
        return block.timestamp < finish ? block.timestamp : finish;
    }

    /// @notice Rewards the provider can claim now (nothing accrues while jailed).
    function earned(address provider) public view returns (uint256) {
        Account memory account = accounts[provider];
        if (account.jailed) return rewards[provider];
        return _earned(account, rewardPerToken()) + rewards[provider];
    }

    function _earned(Account memory account, uint256 rpt) private pure returns (uint256) {
        return (uint256(account.stake) * (rpt - account.rewardPerTokenPaid)) / PRECISION;
    }

    /// Brings the global accumulator to now and credits `provider` (if any) what it earned.
    function _updateReward(address provider, Account memory account) private {
        uint256 applicable = lastTimeRewardApplicable();
        uint256 last = lastUpdateTime;
        uint256 rpt = rewardPerTokenStored;
        if (applicable > last) {
            uint256 streamed = (applicable - last) * rewardRate;
            uint256 staked = totalStaked;
            if (staked == 0) {
                // Nobody to pay: keep it for the next notify rather than strand it.
                unallocatedRewards += streamed;
            } else {
                rpt += (streamed * PRECISION) / staked;
                rewardPerTokenStored = rpt.toUint136();
            }
        }
        if (lastUpdateTime != block.timestamp) lastUpdateTime = uint40(block.timestamp);
        if (provider != address(0)) {
            uint256 accrued = _earned(account, rpt);
            if (accrued != 0) {
                // A jailed provider's share is re-streamed by the next notify.
                if (account.jailed) unallocatedRewards += accrued;
                else rewards[provider] += accrued;
            }
            account.rewardPerTokenPaid = rpt.toUint120();
        }
    }

    /// @notice Pay out the caller's rewards.
    function claimRewards() external nonReentrant returns (uint256 amount) {
        Account memory account = accounts[msg.sender];
        _updateReward(msg.sender, account);
        accounts[msg.sender] = account;
        amount = rewards[msg.sender];
        if (amount == 0) return 0;
        rewards[msg.sender] = 0;
        rewardReserve -= amount;
        token.safeTransfer(msg.sender, amount);
        emit RewardPaid(msg.sender, amount);
    }

    /// @notice Fund and start (or extend) a reward stream of `amount` over `duration`
    /// seconds. The tokens are pulled here, so a stream can never promise unfunded rewards.
    /// Whatever of the previous stream is left, plus unallocated rewards, is re-streamed.
    function notifyRewardAmount(uint256 amount, uint256 duration)
        external
        nonReentrant
        onlyRole(REWARD_DISTRIBUTOR_ROLE)
    {
        if (duration == 0 || duration > 5 * 365 days) revert BadParameter();
        _updateReward(address(0), accounts[address(0)]);
        if (amount != 0) token.safeTransferFrom(msg.sender, address(this), amount);
        rewardReserve += amount;

        uint256 leftover = block.timestamp < periodFinish ? (periodFinish - block.timestamp) * rewardRate : 0;
        uint256 total = amount + leftover + unallocatedRewards;
        uint256 rate = total / duration;
        if (rate == 0) revert ZeroAmount();
        // Integer division dust stays unallocated for the next stream.
        unallocatedRewards = total - rate * duration;
        rewardRate = rate.toUint120();
        uint256 finish = block.timestamp + duration;
        periodFinish = uint40(finish);
        lastUpdateTime = uint40(block.timestamp);
        emit RewardNotified(amount, duration, rate, finish);
    }

    // ---------------------------------------------------------------- lending

    /// @notice Active stake over all classes: the collateral behind a provider's debt.
    function collateralOf(address provider) external view returns (uint256) {
        return accounts[provider].stake;
    }

    /// @notice Stake unbonding over all the provider's classes: not collateral, but still
    /// seizable, so a debt is bad only once this is gone too.
    function unbondingOf(address provider) external view returns (uint256 total) {
        bytes32[] storage classes = _classesOf[provider];
        for (uint256 i = 0; i < classes.length; ++i) {
            total += classStakes[provider][classes[i]].unbonding;
        }
    }

    /// @notice The lender stakes borrowed tokens (pulled from it) into the provider's stake,
    /// where they stay as collateral for the debt.
    function stakeFor(address provider, bytes32 classId, uint256 amount) external nonReentrant {
        if (msg.sender != address(lender) || msg.sender == address(0)) revert NotAuthorized();
        _stake(provider, classId, amount);
        emit StakedFor(provider, classId, msg.sender, amount);
    }

    /// @notice Liquidation: the lender takes up to `amount` of the provider's free (unlocked)
    /// active stake in `classId`, then of its unbonding stake there, and sends it to `to`;
    /// collateral locked by open claims stays. Unbonding stake is reachable because a cut can
    /// push a stake under the class minimum into unbonding while the debt stays (and
    /// `withdraw` keeps it here while the position is unhealthy). Active stake left under the
    /// class minimum moves to unbonding, as after a slash.
    function seize(address provider, bytes32 classId, uint256 amount, address to)
        external
        nonReentrant
        returns (uint256 seized)
    {
        if (msg.sender != address(lender) || msg.sender == address(0)) revert NotAuthorized();
        if (to == address(0)) revert ZeroAddress();
        seized = _cutFree(provider, classId, amount);
        if (seized == 0) return 0;
        token.safeTransfer(to, seized);
        emit Seized(provider, classId, seized, to);
    }

    function _checkHealth(address provider, uint256 collateralAfter) private view {
        ILendingHooks l = lender;
        if (address(l) != address(0) && !l.isHealthyAfter(provider, collateralAfter)) revert Unhealthy();
    }

    // ---------------------------------------------------------------- admin

    /// @notice The lending vault allowed to stake for providers and seize in liquidations.
    function setLender(address lender_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        lender = ILendingHooks(lender_);
        emit LenderSet(lender_);
    }

    /// @notice Enable a class (minimum > 0) or change its minimum. 0 disables new stakes.
    function setMinStake(bytes32 classId, uint256 amount) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (amount != 0 && (amount < MIN_STAKE_FLOOR || amount > MAX_MIN_STAKE)) revert BadParameter();
        minStake[classId] = amount;
        emit MinStakeSet(classId, amount);
    }

    /// @notice The delay must stay above every market's job lifetime (see `longestJobLifetime`):
    /// a shorter one would let a claimant unbond and withdraw before its job is decided.
    function setUnbondingDelay(uint256 delay) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (delay > MAX_UNBONDING_DELAY || delay <= longestJobLifetime) revert BadParameter();
        unbondingDelay = delay;
        emit UnbondingDelaySet(delay);
    }

    function setFinderFeeBps(uint256 bps) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (bps > MAX_FINDER_FEE_BPS) revert BadParameter();
        finderFeeBps = bps;
        emit FinderFeeSet(bps);
    }

    function setSlashRecipient(address recipient) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (recipient == address(0)) revert ZeroAddress();
        slashRecipient = recipient;
        emit SlashRecipientSet(recipient);
    }

    /// Granting MARKET_ROLE reads the market's timings (so only contracts exposing them can
    /// hold it) and refuses a market whose jobs could outlive the unbonding delay.
    function _grantRole(bytes32 role, address account) internal override returns (bool) {
        if (role == MARKET_ROLE && !hasRole(role, account)) {
            IMarketTimings m = IMarketTimings(account);
            uint256 lifetime = m.maxJobDuration() + m.challengeWindow() + m.rulingPeriod();
            if (unbondingDelay <= lifetime) revert BadParameter();
            if (lifetime > longestJobLifetime) longestJobLifetime = lifetime;
            emit MarketTimings(account, lifetime);
        }
        return super._grantRole(role, account);
    }
}

/// @notice The timings ProviderStaking reads from a market when it is granted MARKET_ROLE.
interface IMarketTimings {
    function maxJobDuration() external view returns (uint256);
    function challengeWindow() external view returns (uint256);
    function rulingPeriod() external view returns (uint256);
}
