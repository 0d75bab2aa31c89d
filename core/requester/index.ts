/**
 * The requester side of the market, shared by `hearth request` and the demand simulator:
 * serve a job's input document, post it, follow it to the end (verify the delivery
 * against an independent run, settle or dispute, expire), and a demo arbiter.
 */
export { startJobServer } from './job-server.ts';
export type { BoundJob, HostedJob, JobServer, JobServerOptions } from './job-server.ts';
export { connectRequesterChain } from './chain.ts';
export type { RequesterChain } from './chain.ts';
export { postJob } from './post-job.ts';
export type { PostJobOptions, PostMisbehaviour, PostedJob } from './post-job.ts';
export { followJob } from './follow-job.ts';
export type { FollowJobOptions, JobOutcome, RequesterEvent } from './follow-job.ts';
export { createArbiter } from './arbiter.ts';
export type { Arbiter, DisputeEvidence, Ruling } from './arbiter.ts';
export { judgeDelivery } from './judge.ts';
export type { Verdict } from './judge.ts';
export { createModelRunner, workerRunner } from './model-runner.ts';
export type { ModelRunner } from './model-runner.ts';
export { generateInputs, GENERATED_MODELS, GENERATED_SHAPES } from './generated-inputs.ts';
export { startDemandSimulator, SIMULATOR_ACCOUNT_INDEX } from './simulator.ts';
export type { DemandSimulatorOptions, DemandSimulatorStatus, SimulatorEvent } from './simulator.ts';
