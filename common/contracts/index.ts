// The protocol as the app sees it: ABIs, deployment addresses, parameters, job helpers
// and the runtime deploy used for the local devnet.
export * from './abis.ts';
export * from './addresses.ts';
export * from './deploy.ts';
export * from './market.ts';
export * from './params.ts';
export * from './deploy-earn.ts';
