// The app deploys and talks to the protocol through common/contracts/{abis,bytecode}.ts;
// they must match what the sources compile to now.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { network } from 'hardhat';
import { committedHash, jobStatusName, termsHash } from '../../common/contracts/market.ts';
import { abisFile, bytecodeFile, renderExports } from '../scripts/exports.ts';

const conn = await network.create(); // the runner compiled the sources before this file loads

describe('exported ABIs and bytecode', () => {
  it('are fresh (run `npm run contracts:export` after changing contracts/src)', async () => {
    const fresh = await renderExports();
    assert.ok((await readFile(abisFile, 'utf8')) === fresh.abis, 'common/contracts/abis.ts is stale');
    assert.ok((await readFile(bytecodeFile, 'utf8')) === fresh.bytecode, 'common/contracts/bytecode.ts is stale');
  });
});

describe('app-side job helpers', () => {
  it('hash terms exactly as the market does', async () => {
    const Market = await conn.ethers.getContractFactory('JobMarket');
    // termsHash/committedHash are pure: a throwaway market with dummy wiring answers.
    const dummyToken = '0x' + '11'.repeat(20);
    const terms = {
      requester: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
      units: 12n,
      maxPricePerUnit: 10n ** 16n + 3n,
      deadline: 1_900_000_000n,
    };
    const result = conn.ethers.id('result');
    const staking = await conn.ethers.deployContract('ProviderStaking', [dummyToken, terms.requester, 3_600, 0, terms.requester]);
    const market = await Market.deploy(
      dummyToken,
      await staking.getAddress(),
      {
        classId: conn.ethers.ZeroHash,
        epochLength: 60,
        targetUnitsPerEpoch: 1,
        initialPrice: 1,
        floorPrice: 1,
        maxStepBps: 1,
        challengeWindow: 1,
        maxJobDuration: 1,
        feeBps: 10,
        feeRecipient: terms.requester,
        missPenalty: 0,
        disputeBond: 1,
        rulingPeriod: 60,
        collateralBps: 10_000,
        disputeBondBps: 0,
      },
      terms.requester,
      terms.requester,
    );
    assert.equal(await market.getFunction('termsHash')(terms), termsHash(terms));
    assert.equal(await market.getFunction('committedHash')(terms, result), committedHash(terms, result));
    assert.equal(jobStatusName(4n), 'Settled');
    assert.throws(() => jobStatusName(8));
  });
});
