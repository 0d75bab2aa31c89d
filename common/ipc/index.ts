export * from './define.ts';
export * from './contract.ts';
export * from './client.ts';
export { createDispatcher, describeIssues } from './dispatch.ts';
