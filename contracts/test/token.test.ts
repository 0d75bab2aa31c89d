import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { network } from 'hardhat';
import { TOKEN, deployWorld, expectRevert, findEvent, now, send, type World } from '../testkit/fixture.ts';

const conn = await network.create();
const { networkHelpers: nh, ethers } = conn;

async function world(): Promise<World> {
  return deployWorld(conn, { stakeProviders: false });
}

describe('HearthToken', () => {
  it('has a fixed supply minted once and no way to mint more', async () => {
    const w = await nh.loadFixture(world);
    assert.equal(await w.token.getFunction('totalSupply')(), 1_000_000_000n * TOKEN);
    assert.equal(await w.token.getFunction('decimals')(), 18n);
    assert.equal(await w.token.getFunction('symbol')(), 'HRTH');
    const names: string[] = [];
    w.token.interface.forEachFunction((f) => names.push(f.name));
    assert.ok(!names.some((n) => /mint/i.test(n)), `unexpected mint function in ${names.join(',')}`);
    const Token = await ethers.getContractFactory('HearthToken');
    await expectRevert(Token.deploy('x', 'x', 1n, ethers.ZeroAddress), w.token, 'ZeroHolder');
  });

  it('accepts EIP-2612 permits once, before their deadline', async () => {
    const w = await nh.loadFixture(world);
    const [owner] = w.requesters as [World['admin']];
    const spender = w.outsider.address;
    const deadline = (await now(conn)) + 100n;
    const { chainId } = await ethers.provider.getNetwork();
    const domain = { name: 'Hearth', version: '1', chainId, verifyingContract: await w.token.getAddress() };
    const types = {
      Permit: [
        { name: 'owner', type: 'address' },
        { name: 'spender', type: 'address' },
        { name: 'value', type: 'uint256' },
        { name: 'nonce', type: 'uint256' },
        { name: 'deadline', type: 'uint256' },
      ],
    };
    const sig = ethers.Signature.from(
      await owner.signTypedData(domain, types, { owner: owner.address, spender, value: 7n, nonce: 0n, deadline }),
    );
    await send(w.token, w.outsider, 'permit', owner.address, spender, 7n, deadline, sig.v, sig.r, sig.s);
    assert.equal(await w.token.getFunction('allowance')(owner.address, spender), 7n);
    await expectRevert(
      w.token.connect(w.outsider).getFunction('permit')(owner.address, spender, 7n, deadline, sig.v, sig.r, sig.s),
      w.token,
      'ERC2612InvalidSigner',
    );
    const late = ethers.Signature.from(
      await owner.signTypedData(domain, types, { owner: owner.address, spender, value: 7n, nonce: 1n, deadline }),
    );
    await nh.time.increaseTo(deadline + 1n);
    await expectRevert(
      w.token.connect(w.outsider).getFunction('permit')(owner.address, spender, 7n, deadline, late.v, late.r, late.s),
      w.token,
      'ERC2612ExpiredSignature',
      [deadline],
    );
  });
});

describe('DevFaucet (devnet only)', () => {
  it('drips its own balance with a cooldown, never minting', async () => {
    const w = await nh.loadFixture(world);
    const who = ethers.Wallet.createRandom().address;
    const rc = await send(w.faucet, w.outsider, 'drip', who);
    assert.equal(findEvent(w.faucet, rc, 'Dripped').args.amount, 1_000n * TOKEN);
    assert.equal(await w.token.getFunction('balanceOf')(who), 1_000n * TOKEN);
    const last = (await w.faucet.getFunction('lastDrip')(who)) as bigint;
    await expectRevert(w.faucet.connect(w.outsider).getFunction('drip')(who), w.faucet, 'CoolingDown', [last + 60n]);
    await nh.time.increase(60);
    await send(w.faucet, w.outsider, 'drip', who);
    assert.equal(await w.token.getFunction('totalSupply')(), 1_000_000_000n * TOKEN);
  });

  it('hands out the remainder, then reports empty', async () => {
    const w = await nh.loadFixture(world);
    const Faucet = await ethers.getContractFactory('DevFaucet');
    const small = (await Faucet.deploy(await w.token.getAddress(), 10n, 0n)) as unknown as typeof w.faucet;
    await send(w.token, w.admin, 'transfer', await small.getAddress(), 15n);
    await send(small, w.outsider, 'drip', w.outsider.address);
    const rc = await send(small, w.outsider, 'drip', w.requesters[0]!.address);
    assert.equal(findEvent(small, rc, 'Dripped').args.amount, 5n);
    await expectRevert(small.connect(w.outsider).getFunction('drip')(w.requesters[1]!.address), small, 'FaucetEmpty');
  });
});
