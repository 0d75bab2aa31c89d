import { createRequire } from 'node:module';
import { defineConfig } from 'hardhat/config';
import hardhatEthers from '@nomicfoundation/hardhat-ethers';
import hardhatNetworkHelpers from '@nomicfoundation/hardhat-network-helpers';
import hardhatNodeTestRunner from '@nomicfoundation/hardhat-node-test-runner';

// No internet on build machines: Hardhat must not download compilers. The exact
// solc pinned in package.json ships soljson.js (the WASM build), which Hardhat loads
// when `path` points at a non-binary file.
const require = createRequire(import.meta.url);
const soljsonPath = require.resolve('solc/soljson.js');

export default defineConfig({
  plugins: [hardhatEthers, hardhatNetworkHelpers, hardhatNodeTestRunner],
  solidity: {
    version: '0.8.28',
    path: soljsonPath,
    settings: {
      // The gas goals in issue 6 are for an optimised build.
      optimizer: { enabled: true, runs: 10_000 },
      evmVersion: 'cancun',
    },
  },
  paths: {
    sources: 'contracts/src',
    tests: { nodejs: 'contracts/test', solidity: 'contracts/test-sol' },
    artifacts: 'contracts/artifacts',
    cache: 'contracts/cache',
  },
});
