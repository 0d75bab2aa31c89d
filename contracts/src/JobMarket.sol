// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IProviderStaking} from "./IProviderStaking.sol";
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
/// - `jobState[id]` is one packed slot: provider id, price fixed at claim, window end, status.
/// The job's model, input URI and input hash live in the JobPosted event only.
contract JobMarket is AccessControl, ReentrancyGuardTransient, PriceController {
    using SafeERC20 for IERC20;

    bytes32 public constant ARBITER_ROLE = keccak256("ARBITER_ROLE");
    uint256 public constant MAX_FEE_BPS = 2_000;
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
        uint40 windowEnd;
        Status status;
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
    }

    IERC20 public immutable token;
    IProviderStaking public immutable staking;
    bytes32 public immutable classId;
    uint256 public immutable challengeWindow;
    uint256 public immutable maxJobDuration;

    // Read together on every settle: one slot.
    address public feeRecipient;
    uint16 public feeBps;

    uint256 public missPenalty;
    uint256 public disputeBond;
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
    event JobClaimed(uint256 indexed jobId, address indexed provider, uint32 providerId, uint256 pricePerUnit);
    event JobCommitted(uint256 indexed jobId, address indexed provider, bytes32 resultHash, uint256 windowEnd);
    event JobSettled(
        uint256 indexed jobId, address indexed provider, uint256 providerAmount, uint256 fee, uint256 refund
    );
    event JobExpired(uint256 indexed jobId, uint256 refund, address indexed claimant, uint256 penalty);
    event JobDisputed(uint256 indexed jobId, uint256 bond);
    event DisputeResolved(uint256 indexed jobId, bool providerAtFault, uint256 slashed);
    event FeeSet(address recipient, uint256 bps);
    event MissPenaltySet(uint256 amount);
    event DisputeBondSet(uint256 amount);

    error BadParameter();
    error ZeroAddress();
    error UnknownJobOrTerms(uint256 jobId);
    error WrongStatus(uint256 jobId, Status status);
    error NotRequester();
    error NotClaimant();
    error SelfDealing();
    error NotEligible();
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
        if (p.feeBps > MAX_FEE_BPS || p.maxJobDuration == 0 || p.challengeWindow == 0) revert BadParameter();
        // A provider must still be slashable when a missed deadline or a dispute is proven:
        // its stake may not finish unbonding before the job's last decision point.
        if (staking_.unbondingDelay() <= p.maxJobDuration + p.challengeWindow) revert BadParameter();
        token = token_;
        staking = staking_;
        classId = p.classId;
        challengeWindow = p.challengeWindow;
        maxJobDuration = p.maxJobDuration;
        feeRecipient = p.feeRecipient;
        feeBps = uint16(p.feeBps);
        missPenalty = p.missPenalty;
        disputeBond = p.disputeBond;
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
    /// on. `minPricePerUnit` protects the provider if the price falls (an epoch turns) before
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
        // Paying yourself to fake utilization would move the price: not allowed.
        if (msg.sender == terms.requester) revert SelfDealing();
        uint32 providerId = staking.eligibleId(msg.sender, classId);
        if (providerId == 0) revert NotEligible();

        price = _recordClaim(terms.units, terms.maxPricePerUnit, minPricePerUnit);
        jobState[jobId] = JobState(providerId, uint96(price), 0, Status.Claimed);
        emit JobClaimed(jobId, msg.sender, providerId, price);
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
    /// claimed job with no committed result also refunds it and slashes the claimant's
    /// `missPenalty`, with the finder's fee to the caller. Anyone may call.
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
        if (claimant != address(0) && missPenalty != 0) {
            penalty = staking.slash(claimant, classId, missPenalty, msg.sender);
        }
        emit JobExpired(jobId, refund, claimant, penalty);
    }

    // ---------------------------------------------------------------- disputes

    /// @notice The requester contests a committed result within the challenge window,
    /// posting `disputeBond`. The provider's withdrawals are held until an arbiter rules.
    function dispute(uint256 jobId, JobTerms calldata terms, bytes32 resultHash) external nonReentrant {
        _checkHash(jobId, committedHash(terms, resultHash));
        if (msg.sender != terms.requester) revert NotRequester();
        JobState memory st = jobState[jobId];
        if (st.status != Status.Committed) revert WrongStatus(jobId, st.status);
        if (block.timestamp >= st.windowEnd) revert ChallengeWindowClosed(st.windowEnd);
        st.status = Status.Disputed;
        jobState[jobId] = st;
        uint256 bond = disputeBond;
        bondOf[jobId] = bond;
        staking.lockForDispute(staking.providerOf(st.providerId));
        if (bond != 0) token.safeTransferFrom(msg.sender, address(this), bond);
        emit JobDisputed(jobId, bond);
    }

    /// @notice Arbiter's ruling. At fault: the requester gets the escrow and its bond back
    /// and the provider is slashed `slashAmount` (the requester is the finder). Not at
    /// fault: the job settles normally and the bond goes to the provider.
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
        address provider = staking.providerOf(st.providerId);
        uint256 bond = bondOf[jobId];
        delete bondOf[jobId];
        staking.unlockDispute(provider);
        uint256 slashed;
        if (providerAtFault) {
            uint256 refund = _close(jobId, terms, st, Status.Faulted);
            token.safeTransfer(terms.requester, refund + bond);
            if (slashAmount != 0) slashed = staking.slash(provider, classId, slashAmount, terms.requester);
        } else {
            _payProvider(jobId, terms, st);
            if (bond != 0) token.safeTransfer(provider, bond);
        }
        emit DisputeResolved(jobId, providerAtFault, slashed);
    }

    // ---------------------------------------------------------------- views

    /// @notice Price per unit a claim would get now (the controller rolled to this block).
    function currentPrice() external view returns (uint256) {
        return _rolledPrice();
    }

    // ---------------------------------------------------------------- admin

    /// @notice Where protocol fees go (the pool, once it exists) and how large they are.
    function setFee(address recipient, uint256 bps) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (recipient == address(0)) revert ZeroAddress();
        if (bps > MAX_FEE_BPS) revert BadParameter();
        feeRecipient = recipient;
        feeBps = uint16(bps);
        emit FeeSet(recipient, bps);
    }

    function setMissPenalty(uint256 amount) external onlyRole(DEFAULT_ADMIN_ROLE) {
        missPenalty = amount;
        emit MissPenaltySet(amount);
    }

    function setDisputeBond(uint256 amount) external onlyRole(DEFAULT_ADMIN_ROLE) {
        disputeBond = amount;
        emit DisputeBondSet(amount);
    }

    // ---------------------------------------------------------------- internals

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

    function _payProvider(uint256 jobId, JobTerms calldata terms, JobState memory st) private {
        delete jobHash[jobId];
        st.status = Status.Settled;
        jobState[jobId] = st;
        address provider = staking.providerOf(st.providerId);
        uint256 gross = uint256(terms.units) * st.pricePerUnit;
        uint256 fee = (gross * feeBps) / BPS;
        uint256 refund = uint256(terms.units) * terms.maxPricePerUnit - gross;
        token.safeTransfer(provider, gross - fee);
        if (fee != 0) token.safeTransfer(feeRecipient, fee);
        if (refund != 0) token.safeTransfer(terms.requester, refund);
        emit JobSettled(jobId, provider, gross - fee, fee, refund);
    }
}
