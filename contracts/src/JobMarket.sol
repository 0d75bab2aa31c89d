// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IProviderStaking} from "./IProviderStaking.sol";
import {ILendingHooks} from "./ILendingHooks.sol";
import {PriceController} from "./PriceController.sol";

/// @title JobMarket
/// @notice The market for one device class. Requesters post inference jobs (a batch of
/// `units`) and escrow units x max price. A staked provider claims a job at the current
/// controller price, commits a result hash before the deadline and, after the challenge
/// window, settles: the provider is paid, the protocol fee goes to `feeRecipient` and the
/// unused escrow goes back to the requester, to the wei.
///
/// Storage is kept to what the contract must check, so a job costs few slots:
/// - `jobHash[id]` commits to the immutable terms (requester, units, max price, deadline);
///   callers pass the terms (from the JobPosted event) and the contract checks the hash.
///   At commit the hash is re-bound to the result hash, so settle and dispute also take it.
/// - `jobState[id]` is one packed slot: provider id, price, window end, status, and what the
///   job agreed to at claim (fee bps, collateral), so later admin changes cannot reach it.
/// The job's model, input URI and input hash live in the JobPosted event only.
///
/// Economics (see contracts/README.md):
/// - Demand for the price controller is counted from paid units only (settle, or a ruling
///   or ruling timeout that pays). Every paid unit pays at least MIN_FEE_BPS of its value.
/// - Each claim locks collateral from the claimant's free stake: the larger of `missPenalty`
///   and `collateralBps` of the job's value. A miss slashes it, payment or a ruling frees it.
/// - A dispute needs a bond of at least `disputeBond` and `disputeBondBps` of the job's value.
///   The arbiter must rule within `rulingPeriod`; after that anyone may close the dispute
///   with the default outcome: no fault proven, provider paid, bond back to the requester.
///
/// Trust: the arbiter decides disputes (it cannot rule a job whose requester or provider it
/// is, and can slash at most the job's collateral); the admin sets bounded parameters that
/// reach only jobs not yet claimed (fee, collateral) or disputes not yet opened (bond).
contract JobMarket is AccessControl, ReentrancyGuardTransient, PriceController {
    using SafeERC20 for IERC20;

    bytes32 public constant ARBITER_ROLE = keccak256("ARBITER_ROLE");
    uint256 public constant MIN_FEE_BPS = 10;
    uint256 public constant MAX_FEE_BPS = 2_000;
    uint256 public constant MIN_COLLATERAL_BPS = 10_000;
    uint256 public constant MAX_COLLATERAL_BPS = 50_000;
    uint256 public constant MAX_DISPUTE_BOND_BPS = 10_000;
    uint256 public constant MAX_MISS_PENALTY = 1e24;
    uint256 public constant MAX_DISPUTE_BOND = 1e24;
    uint256 public constant MAX_JOB_DURATION = 30 days;
    uint256 public constant MAX_CHALLENGE_WINDOW = 7 days;
    uint256 public constant MIN_RULING_PERIOD = 1 minutes;
    uint256 public constant MAX_RULING_PERIOD = 30 days;
    /// Collateral is stored per job in this unit (rounded up), to fit the job's slot.
    uint256 public constant COLLATERAL_UNIT = 1e9;
    uint256 private constant BPS = 10_000;

    enum Status {
        Open, // posted, waiting for a provider (also the zero value; see `jobHash`)
        Claimed,
        Committed,
        Disputed,
        Settled,
        Cancelled,
        Expired,
        Faulted
    }

    struct JobTerms {
        address requester;
        uint32 units;
        uint96 maxPricePerUnit;
        uint40 deadline;
    }

    struct JobState {
        uint32 providerId;
        uint96 pricePerUnit;
        uint40 windowEnd; // challenge window end; while Disputed: the ruling deadline
        Status status;
        uint16 feeBps; // fee agreed at claim
        uint64 collateral; // locked at claim, in COLLATERAL_UNIT
    }

    struct MarketParams {
        bytes32 classId;
        uint256 epochLength;
        uint256 targetUnitsPerEpoch;
        uint256 initialPrice;
        uint256 floorPrice;
        uint256 maxStepBps;
        uint256 challengeWindow;
        uint256 maxJobDuration;
        uint256 feeBps;
        address feeRecipient;
        uint256 missPenalty;
        uint256 disputeBond;
        uint256 rulingPeriod;
        uint256 collateralBps;
        uint256 disputeBondBps;
    }

    IERC20 public immutable token;
    IProviderStaking public immutable staking;
    bytes32 public immutable classId;
    uint256 public immutable challengeWindow;
    uint256 public immutable maxJobDuration;
    uint256 public immutable rulingPeriod;

    address public feeRecipient;
    // Read together on every claim: one slot.
    uint128 public missPenalty;
    uint16 public collateralBps;
    uint16 public feeBps;
    // Read together on every dispute: one slot.
    uint128 public disputeBond;
    uint16 public disputeBondBps;

    uint256 public nextJobId = 1;

    mapping(uint256 => bytes32) public jobHash;
    mapping(uint256 => JobState) public jobState;
    mapping(uint256 => uint256) public bondOf;

    event JobPosted(
        uint256 indexed jobId,
        address indexed requester,
        uint32 units,
        uint96 maxPricePerUnit,
        uint40 deadline,
        bytes32 modelHash,
        bytes32 inputHash,
        string inputUri
    );
    event JobCancelled(uint256 indexed jobId, uint256 refund);
    event JobClaimed(
        uint256 indexed jobId, address indexed provider, uint32 providerId, uint256 pricePerUnit, uint256 collateral
    );
    event JobCommitted(uint256 indexed jobId, address indexed provider, bytes32 resultHash, uint256 windowEnd);
    event JobSettled(
        uint256 indexed jobId, address indexed provider, uint256 providerAmount, uint256 fee, uint256 refund
    );
    event JobExpired(uint256 indexed jobId, uint256 refund, address indexed claimant, uint256 penalty);
    event JobDisputed(uint256 indexed jobId, uint256 bond, uint256 rulingDeadline);
    event DisputeResolved(uint256 indexed jobId, bool providerAtFault, uint256 slashed);
    event DisputeTimedOut(uint256 indexed jobId, uint256 bondRefund);
    event AutoRepaid(uint256 indexed jobId, address indexed provider, uint256 amount);
    event FeeSet(address recipient, uint256 bps);
    event MissPenaltySet(uint256 amount);
    event DisputeBondSet(uint256 amount, uint256 bps);
    event CollateralBpsSet(uint256 bps);

    error BadParameter();
    error ZeroAddress();
    error UnknownJobOrTerms(uint256 jobId);
    error WrongStatus(uint256 jobId, Status status);
    error NotRequester();
    error NotClaimant();
    error SelfDealing();
    error NotEligible();
    error InsufficientFreeStake(uint256 free, uint256 needed);
    error ArbiterConflict();
    error RulingPeriodOver(uint256 rulingDeadline);
    error RulingPeriodOpen(uint256 rulingDeadline);
    error DeadlinePassed();
    error DeadlineNotPassed();
    error ChallengeWindowOpen(uint256 windowEnd);
    error ChallengeWindowClosed(uint256 windowEnd);
    error ZeroResultHash();
    error MaxPriceBelowFloor(uint256 maxPrice, uint256 floorPrice);

    constructor(IERC20 token_, IProviderStaking staking_, MarketParams memory p, address admin, address arbiter)
        PriceController(p.epochLength, p.targetUnitsPerEpoch, p.initialPrice, p.floorPrice, p.maxStepBps)
    {
        if (
            address(token_) == address(0) || address(staking_) == address(0) || admin == address(0)
                || arbiter == address(0) || p.feeRecipient == address(0)
        ) revert ZeroAddress();
        if (
            p.maxJobDuration == 0 || p.maxJobDuration > MAX_JOB_DURATION || p.challengeWindow == 0
                || p.challengeWindow > MAX_CHALLENGE_WINDOW || p.rulingPeriod < MIN_RULING_PERIOD
                || p.rulingPeriod > MAX_RULING_PERIOD
        ) revert BadParameter();
        _checkFee(p.feeBps);
        _checkCollateral(p.missPenalty, p.collateralBps);
        _checkBond(p.disputeBond, p.disputeBondBps);
        // A provider must still be slashable when a missed deadline or a dispute is decided:
        // its stake may not finish unbonding before the job's last decision point. Staking
        // checks this again whenever the delay changes (it reads these three timings).
        if (staking_.unbondingDelay() <= p.maxJobDuration + p.challengeWindow + p.rulingPeriod) {
            revert BadParameter();
        }
        token = token_;
        staking = staking_;
        classId = p.classId;
        challengeWindow = p.challengeWindow;
        maxJobDuration = p.maxJobDuration;
        rulingPeriod = p.rulingPeriod;
        feeRecipient = p.feeRecipient;
        feeBps = uint16(p.feeBps);
        missPenalty = uint128(p.missPenalty);
        collateralBps = uint16(p.collateralBps);
        disputeBond = uint128(p.disputeBond);
        disputeBondBps = uint16(p.disputeBondBps);
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(ARBITER_ROLE, arbiter);
    }

    // ---------------------------------------------------------------- hashing helpers

    function termsHash(JobTerms calldata terms) public pure returns (bytes32) {
        return keccak256(abi.encode(terms));
    }

    function committedHash(JobTerms calldata terms, bytes32 resultHash) public pure returns (bytes32) {
        return keccak256(abi.encode(termsHash(terms), resultHash));
    }

    // ---------------------------------------------------------------- requester

    /// @notice Post a job of `units` inference units paying at most `maxPricePerUnit` each,
    /// to be committed by `deadline`. Escrows units x maxPricePerUnit from the caller.
    function post(
        bytes32 modelHash,
        bytes32 inputHash,
        string calldata inputUri,
        uint32 units,
        uint96 maxPricePerUnit,
        uint40 deadline
    ) external nonReentrant returns (uint256 jobId) {
        jobId = _post(modelHash, inputHash, inputUri, units, maxPricePerUnit, deadline);
    }

    /// @notice `post` with an EIP-2612 permit for the escrow instead of a prior approval.
    function postWithPermit(
        bytes32 modelHash,
        bytes32 inputHash,
        string calldata inputUri,
        uint32 units,
        uint96 maxPricePerUnit,
        uint40 deadline,
        uint256 permitDeadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external nonReentrant returns (uint256 jobId) {
        uint256 escrow = uint256(units) * maxPricePerUnit;
        // A front-run permit is not fatal: the allowance it set is still there.
        try IERC20Permit(address(token)).permit(msg.sender, address(this), escrow, permitDeadline, v, r, s) {} catch {}
        jobId = _post(modelHash, inputHash, inputUri, units, maxPricePerUnit, deadline);
    }

    function _post(
        bytes32 modelHash,
        bytes32 inputHash,
        string calldata inputUri,
        uint32 units,
        uint96 maxPricePerUnit,
        uint40 deadline
    ) private returns (uint256 jobId) {
        if (units == 0) revert BadParameter();
        // A job that can never be claimed would only lock the requester's tokens.
        if (maxPricePerUnit < floorPrice) revert MaxPriceBelowFloor(maxPricePerUnit, floorPrice);
        if (deadline <= block.timestamp || deadline > block.timestamp + maxJobDuration) revert BadParameter();
        jobId = nextJobId++;
        jobHash[jobId] = keccak256(abi.encode(JobTerms(msg.sender, units, maxPricePerUnit, deadline)));
        token.safeTransferFrom(msg.sender, address(this), uint256(units) * maxPricePerUnit);
        emit JobPosted(jobId, msg.sender, units, maxPricePerUnit, deadline, modelHash, inputHash, inputUri);
    }

    /// @notice Withdraw a job nobody has claimed yet; the whole escrow comes back.
    function cancel(uint256 jobId, JobTerms calldata terms) external nonReentrant {
        _checkHash(jobId, termsHash(terms));
        if (msg.sender != terms.requester) revert NotRequester();
        JobState memory st = jobState[jobId];
        if (st.status != Status.Open) revert WrongStatus(jobId, st.status);
        uint256 refund = _close(jobId, terms, st, Status.Cancelled);
        token.safeTransfer(terms.requester, refund);
        emit JobCancelled(jobId, refund);
    }

    // ---------------------------------------------------------------- provider

    /// @notice Claim an open job at the current price, which is fixed for this job from now
    /// on, with the fee and the collateral of this moment. Locks the collateral
    /// (`collateralFor(units, price)`) from the caller's free stake until the job closes.
    /// `minPricePerUnit` protects the provider if the price falls (an epoch turns) before
    /// the transaction lands.
    function claim(uint256 jobId, JobTerms calldata terms, uint256 minPricePerUnit)
        external
        nonReentrant
        returns (uint256 price)
    {
        _checkHash(jobId, termsHash(terms));
        JobState memory st = jobState[jobId];
        if (st.status != Status.Open) revert WrongStatus(jobId, st.status);
        if (block.timestamp >= terms.deadline) revert DeadlinePassed();
        // Self-dealing from one address is refused; from two it still pays the fee on every
        // unit it pretends (demand counts only paid units).
        if (msg.sender == terms.requester) revert SelfDealing();

        price = _priceForClaim(terms.maxPricePerUnit, minPricePerUnit);
        uint256 units = _collateralUnits(terms.units, price, missPenalty, collateralBps);
        uint256 collateral = units * COLLATERAL_UNIT;
        (uint32 providerId, uint256 free) = staking.lockCollateral(msg.sender, classId, collateral);
        if (providerId == 0) revert NotEligible();
        if (free < collateral) revert InsufficientFreeStake(free, collateral);
        jobState[jobId] = JobState(providerId, uint96(price), 0, Status.Claimed, feeBps, uint64(units));
        emit JobClaimed(jobId, msg.sender, providerId, price, collateral);
    }

    /// @notice Commit the hash of the delivered result, by the deadline. Opens the
    /// challenge window.
    function commit(uint256 jobId, JobTerms calldata terms, bytes32 resultHash) external nonReentrant {
        bytes32 tHash = termsHash(terms);
        _checkHash(jobId, tHash);
        JobState memory st = jobState[jobId];
        if (st.status != Status.Claimed) revert WrongStatus(jobId, st.status);
        if (staking.providerOf(st.providerId) != msg.sender) revert NotClaimant();
        if (block.timestamp > terms.deadline) revert DeadlinePassed();
        if (resultHash == bytes32(0)) revert ZeroResultHash();
        uint256 windowEnd = block.timestamp + challengeWindow;
        jobHash[jobId] = keccak256(abi.encode(tHash, resultHash));
        st.windowEnd = uint40(windowEnd);
        st.status = Status.Committed;
        jobState[jobId] = st;
        emit JobCommitted(jobId, msg.sender, resultHash, windowEnd);
    }

    /// @notice Pay out a committed job once its challenge window has passed. Anyone may call.
    function settle(uint256 jobId, JobTerms calldata terms, bytes32 resultHash) external nonReentrant {
        _checkHash(jobId, committedHash(terms, resultHash));
        JobState memory st = jobState[jobId];
        if (st.status != Status.Committed) revert WrongStatus(jobId, st.status);
        if (block.timestamp < st.windowEnd) revert ChallengeWindowOpen(st.windowEnd);
        _payProvider(jobId, terms, st);
    }

    /// @notice Close a job whose deadline passed: an unclaimed job refunds the requester; a
    /// claimed job with no committed result also refunds it and slashes the claim's whole
    /// collateral, with the finder's fee to the caller unless the caller is the claimant
    /// (a second address of the claimant still loses the rest of the collateral). Anyone may
    /// call. Nothing here counts as demand for the price.
    function expire(uint256 jobId, JobTerms calldata terms) external nonReentrant {
        _checkHash(jobId, termsHash(terms));
        JobState memory st = jobState[jobId];
        address claimant;
        if (st.status == Status.Open) {
            if (block.timestamp < terms.deadline) revert DeadlineNotPassed();
        } else if (st.status == Status.Claimed) {
            // The claimant may still commit at the deadline itself.
            if (block.timestamp <= terms.deadline) revert DeadlineNotPassed();
            claimant = staking.providerOf(st.providerId);
        } else {
            revert WrongStatus(jobId, st.status);
        }
        uint256 refund = _close(jobId, terms, st, Status.Expired);
        token.safeTransfer(terms.requester, refund);
        uint256 penalty;
        if (claimant != address(0)) {
            uint256 collateral = uint256(st.collateral) * COLLATERAL_UNIT;
            address finder = msg.sender == claimant ? address(0) : msg.sender;
            (, penalty) = staking.slashCollateral(st.providerId, classId, collateral, collateral, finder);
        }
        emit JobExpired(jobId, refund, claimant, penalty);
    }

    // ---------------------------------------------------------------- disputes

    /// @notice The requester contests a committed result within the challenge window,
    /// posting `disputeBondFor(units, price)`. The job's collateral stays locked until the
    /// arbiter rules, at most `rulingPeriod` from now.
    function dispute(uint256 jobId, JobTerms calldata terms, bytes32 resultHash) external nonReentrant {
        _checkHash(jobId, committedHash(terms, resultHash));
        if (msg.sender != terms.requester) revert NotRequester();
        JobState memory st = jobState[jobId];
        if (st.status != Status.Committed) revert WrongStatus(jobId, st.status);
        if (block.timestamp >= st.windowEnd) revert ChallengeWindowClosed(st.windowEnd);
        uint256 bond = disputeBondFor(terms.units, st.pricePerUnit);
        uint256 deadline = block.timestamp + rulingPeriod;
        st.status = Status.Disputed;
        st.windowEnd = uint40(deadline);
        jobState[jobId] = st;
        bondOf[jobId] = bond;
        token.safeTransferFrom(msg.sender, address(this), bond);
        emit JobDisputed(jobId, bond, deadline);
    }

    /// @notice Arbiter's ruling, before the ruling deadline. At fault: the requester gets the
    /// escrow and its bond back and the provider is slashed `slashAmount`, capped at the
    /// job's collateral (the requester is the finder). Not at fault: the job settles
    /// normally and the bond goes to the provider. Either way the collateral is released.
    /// An arbiter that is the job's requester or provider may not rule it.
    function resolveDispute(
        uint256 jobId,
        JobTerms calldata terms,
        bytes32 resultHash,
        bool providerAtFault,
        uint256 slashAmount
    ) external nonReentrant onlyRole(ARBITER_ROLE) {
        _checkHash(jobId, committedHash(terms, resultHash));
        JobState memory st = jobState[jobId];
        if (st.status != Status.Disputed) revert WrongStatus(jobId, st.status);
        if (block.timestamp >= st.windowEnd) revert RulingPeriodOver(st.windowEnd);
        address provider = staking.providerOf(st.providerId);
        if (msg.sender == terms.requester || msg.sender == provider) revert ArbiterConflict();
        uint256 bond = bondOf[jobId];
        delete bondOf[jobId];
        uint256 slashed;
        if (providerAtFault) {
            slashed = _fault(jobId, terms, st, bond, slashAmount);
        } else {
            _payProvider(jobId, terms, st);
            token.safeTransfer(provider, bond);
        }
        emit DisputeResolved(jobId, providerAtFault, slashed);
    }

    /// Refunds escrow and bond to the requester and slashes at most the job's collateral.
    function _fault(uint256 jobId, JobTerms calldata terms, JobState memory st, uint256 bond, uint256 slashAmount)
        private
        returns (uint256 slashed)
    {
        uint256 refund = _close(jobId, terms, st, Status.Faulted);
        token.safeTransfer(terms.requester, refund + bond);
        uint256 collateral = uint256(st.collateral) * COLLATERAL_UNIT;
        if (slashAmount > collateral) slashAmount = collateral;
        (, slashed) = staking.slashCollateral(st.providerId, classId, collateral, slashAmount, terms.requester);
    }

    /// @notice Close a dispute the arbiter did not rule by its deadline, with the default
    /// outcome: no fault was proven, so the job settles normally (the provider is paid, its
    /// collateral released) and the requester gets its bond back. Anyone may call.
    function resolveExpiredDispute(uint256 jobId, JobTerms calldata terms, bytes32 resultHash)
        external
        nonReentrant
    {
        _checkHash(jobId, committedHash(terms, resultHash));
        JobState memory st = jobState[jobId];
        if (st.status != Status.Disputed) revert WrongStatus(jobId, st.status);
        if (block.timestamp < st.windowEnd) revert RulingPeriodOpen(st.windowEnd);
        uint256 bond = bondOf[jobId];
        delete bondOf[jobId];
        _payProvider(jobId, terms, st);
        token.safeTransfer(terms.requester, bond);
        emit DisputeTimedOut(jobId, bond);
    }

    // ---------------------------------------------------------------- views

    /// @notice Price per unit a claim would get now (the controller rolled to this block).
    function currentPrice() external view returns (uint256) {
        return _rolledPrice();
    }

    /// @notice Stake a claim of `units` at `pricePerUnit` would lock now: the larger of
    /// `missPenalty` and `collateralBps` of the job's value, rounded up to COLLATERAL_UNIT.
    /// For an open job: `collateralFor(terms.units, currentPrice())`.
    function collateralFor(uint256 units, uint256 pricePerUnit) external view returns (uint256) {
        return _collateralUnits(units, pricePerUnit, missPenalty, collateralBps) * COLLATERAL_UNIT;
    }

    /// @notice Bond a dispute of a job of `units` claimed at `pricePerUnit` needs now: the
    /// larger of `disputeBond` and `disputeBondBps` of the job's value (never zero).
    function disputeBondFor(uint256 units, uint256 pricePerUnit) public view returns (uint256 bond) {
        bond = _ceilBps(units * pricePerUnit, disputeBondBps);
        uint256 floor = disputeBond;
        if (bond < floor) bond = floor;
    }

    // ---------------------------------------------------------------- admin

    /// @notice Where protocol fees go (the pool, once it exists) and how large they are, in
    /// [MIN_FEE_BPS, MAX_FEE_BPS]. Jobs already claimed keep the fee they were claimed at.
    function setFee(address recipient, uint256 bps) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (recipient == address(0)) revert ZeroAddress();
        _checkFee(bps);
        feeRecipient = recipient;
        feeBps = uint16(bps);
        emit FeeSet(recipient, bps);
    }

    /// @notice The collateral floor per claim (also the least a miss costs), <= MAX_MISS_PENALTY.
    function setMissPenalty(uint256 amount) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _checkCollateral(amount, collateralBps);
        missPenalty = uint128(amount);
        emit MissPenaltySet(amount);
    }

    /// @notice Collateral per claim as a share of the job's value, in
    /// [MIN_COLLATERAL_BPS, MAX_COLLATERAL_BPS]. Reaches only claims made from now on.
    function setCollateralBps(uint256 bps) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _checkCollateral(missPenalty, bps);
        collateralBps = uint16(bps);
        emit CollateralBpsSet(bps);
    }

    /// @notice The dispute bond: at least `amount` (1 wei..MAX_DISPUTE_BOND) and `bps` of the
    /// job's value (<= MAX_DISPUTE_BOND_BPS). Disputes already open keep their bond.
    function setDisputeBond(uint256 amount, uint256 bps) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _checkBond(amount, bps);
        disputeBond = uint128(amount);
        disputeBondBps = uint16(bps);
        emit DisputeBondSet(amount, bps);
    }

    // ---------------------------------------------------------------- internals

    function _checkFee(uint256 bps) private pure {
        if (bps < MIN_FEE_BPS || bps > MAX_FEE_BPS) revert BadParameter();
    }

    function _checkCollateral(uint256 penalty, uint256 bps) private pure {
        if (penalty > MAX_MISS_PENALTY || bps < MIN_COLLATERAL_BPS || bps > MAX_COLLATERAL_BPS) revert BadParameter();
    }

    function _checkBond(uint256 amount, uint256 bps) private pure {
        if (amount == 0 || amount > MAX_DISPUTE_BOND || bps > MAX_DISPUTE_BOND_BPS) revert BadParameter();
    }

    /// value x bps / 10_000, rounded up.
    function _ceilBps(uint256 value, uint256 bps) private pure returns (uint256) {
        return (value * bps + BPS - 1) / BPS;
    }

    /// Collateral for a claim in COLLATERAL_UNIT, rounded up.
    function _collateralUnits(uint256 units, uint256 price, uint256 penalty, uint256 bps)
        private
        pure
        returns (uint256)
    {
        uint256 collateral = _ceilBps(units * price, bps);
        if (collateral < penalty) collateral = penalty;
        return (collateral + COLLATERAL_UNIT - 1) / COLLATERAL_UNIT;
    }
    function _checkHash(uint256 jobId, bytes32 expected) private view {
        // A closed job has no hash, so replays (double settle, settle after refund) land here.
        if (jobHash[jobId] != expected) revert UnknownJobOrTerms(jobId);
    }

    /// Ends a job without paying a provider; returns the whole escrow, to refund.
    function _close(uint256 jobId, JobTerms calldata terms, JobState memory st, Status status)
        private
        returns (uint256 escrow)
    {
        delete jobHash[jobId];
        st.status = status;
        jobState[jobId] = st;
        escrow = uint256(terms.units) * terms.maxPricePerUnit;
    }

    /// Pays a job out at its claim price and fee, counts its units as demand and releases
    /// its collateral.
    function _payProvider(uint256 jobId, JobTerms calldata terms, JobState memory st) private {
        delete jobHash[jobId];
        st.status = Status.Settled;
        jobState[jobId] = st;
        _recordPaid(terms.units);
        address provider =
            staking.releaseCollateral(st.providerId, classId, uint256(st.collateral) * COLLATERAL_UNIT);
        uint256 gross = uint256(terms.units) * st.pricePerUnit;
        // Rounded up: no paid unit is fee-free, so pretended volume always costs its fee.
        uint256 fee = _ceilBps(gross, st.feeBps);
        uint256 refund = uint256(terms.units) * terms.maxPricePerUnit - gross;
        uint256 net = gross - fee;
        uint256 repaid = _autoRepay(jobId, provider, net);
        if (net != repaid) token.safeTransfer(provider, net - repaid);
        token.safeTransfer(feeRecipient, fee);
        if (refund != 0) token.safeTransfer(terms.requester, refund);
        emit JobSettled(jobId, provider, net, fee, refund);
    }

    /// Offers the lender (set on staking by its admin, trusted) the part of `net` the
    /// provider chose to repay automatically. The lender pulls at most what it is approved
    /// for; a lender that reverts or returns garbage gets nothing and blocks nothing.
    /// Returns what it pulled.
    function _autoRepay(uint256 jobId, address provider, uint256 net) private returns (uint256 repaid) {
        address lender = address(staking.lender());
        if (lender == address(0) || net == 0) return 0;
        (bool ok, bytes memory ret) =
            lender.staticcall(abi.encodeCall(ILendingHooks.autoRepayAmount, (provider, net)));
        if (!ok || ret.length < 32) return 0;
        uint256 amount = abi.decode(ret, (uint256));
        if (amount > net) amount = net;
        if (amount == 0) return 0;
        token.forceApprove(lender, amount);
        // Success or not, the allowance left tells what the lender actually pulled.
        (bool called,) = lender.call(abi.encodeCall(ILendingHooks.repayFor, (provider, amount)));
        called;
        uint256 left = token.allowance(address(this), lender);
        if (left != 0) token.forceApprove(lender, 0);
        repaid = amount - left;
        if (repaid != 0) emit AutoRepaid(jobId, provider, repaid);
    }
}
