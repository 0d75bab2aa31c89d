import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { network } from 'hardhat';
import { deployWorld, postJob, send, TOKEN, expectRevert } from '../testkit/fixture.ts';

describe('smoke', () => {
  it('runs a job end to end', async () => {
    const conn = await network.connect();
    const w = await deployWorld(conn);
    const [r1] = w.requesters;
    const [p1] = w.providers;
    const { jobId, terms } = await postJob(w, r1!);
    const rc = await send(w.market, p1!, 'claim', jobId, terms, 0n);
    console.log('claim gas', rc.gasUsed);
    await expectRevert(w.market.connect(p1!).getFunction('claim')(jobId, terms, 0n), w.market, 'WrongStatus', [jobId, 1n]);
    assert.ok(TOKEN > 0n);
  });
});
