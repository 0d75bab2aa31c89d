import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultSettings, settingsPatch, settingsSchema, type Settings } from '../../common/settings.ts';
import { marketStatus } from '../../common/ipc/groups/market.ts';
import { createFakeClock, silentLogger } from '../scheduler/test-support.ts';
import { marketStatusOf, WEI } from './fixtures.ts';
import { createNotificationRules, FRESH_PAYMENT_MS, MIN_GAP_MS, notesFor, tokens } from './rules.ts';

const NOW = Date.UTC(2026, 0, 5, 12);

test('the fixture is a valid market status', () => assert.equal(marketStatus.safeParse(marketStatusOf()).success, true));

test('first payment: only on the change from none to some, and only when it is fresh', () => {
  const before = marketStatusOf();
  const paid = marketStatusOf({ jobsPaid: 1, earnedWei: (31n * WEI / 10_000n).toString(), lastPaymentAt: NOW - 1000 });
  const [note, ...rest] = notesFor(before, paid, NOW);
  assert.equal(rest.length, 0);
  assert.equal(note?.kind, 'firstPayment');
  assert.match(note?.body ?? '', /0\.0031 HRTH/);
  assert.deepEqual(notesFor(null, paid, NOW), [], 'nothing on the first status seen');
  assert.deepEqual(notesFor(paid, marketStatusOf({ jobsPaid: 2, lastPaymentAt: NOW }), NOW), [], 'the second payment is not news');
  const old = marketStatusOf({ jobsPaid: 40, lastPaymentAt: NOW - FRESH_PAYMENT_MS - 1 });
  assert.deepEqual(notesFor(before, old, NOW), [], 'a ledger that opens late does not announce an old payment');
});

test('wallet locked while earnings wait: on entering that state, with the count', () => {
  const locked = marketStatusOf({ state: 'locked', reason: 'Unlock the wallet', waitingForUnlock: 3 });
  const notes = notesFor(marketStatusOf(), locked, NOW);
  assert.deepEqual(notes.map((n) => n.kind), ['walletLocked']);
  assert.match(notes[0]!.body, /3 paid jobs .*unlock/);
  assert.deepEqual(notesFor(locked, { ...locked, waitingForUnlock: 4 }, NOW), [], 'more jobs waiting is the same news');
  assert.deepEqual(notesFor(marketStatusOf(), marketStatusOf({ state: 'locked', waitingForUnlock: 0 }), NOW), [], 'locked with nothing waiting is fine');
});

test('errors needing action: network lost while earning, stake gone, ledger and chain disagreeing', () => {
  const kinds = (prev: Parameters<typeof notesFor>[0], next: Parameters<typeof notesFor>[1]) => notesFor(prev, next, NOW).map((n) => `${n.kind}: ${n.title}`);
  assert.deepEqual(kinds(marketStatusOf({ state: 'working' }), marketStatusOf({ state: 'no-network', reason: 'The network does not answer.' })), ['attention: Hearth lost its network']);
  assert.deepEqual(kinds(marketStatusOf(), marketStatusOf({ state: 'unregistered' })), ['attention: Hearth stopped taking paid jobs']);
  assert.deepEqual(kinds(marketStatusOf({ state: 'no-wallet' }), marketStatusOf({ state: 'no-network' })), [], 'not an error the user caused by being new');
  const differs = marketStatusOf({ reconciliation: { at: NOW, ok: false, ledgerWei: '1', chainWei: '2', message: 'The ledger counts 1 wei more than the chain.' } });
  assert.deepEqual(notesFor(marketStatusOf(), differs, NOW).map((n) => n.body), ['The ledger counts 1 wei more than the chain.']);
});

function harness(general: Partial<Settings['general']> = {}) {
  const fake = createFakeClock(NOW);
  const sent: { title: string; body: string }[] = [];
  const settings = defaultSettings();
  Object.assign(settings.general, general);
  const rules = createNotificationRules({ clock: fake.clock, notifier: { notify: (n) => void sent.push(n) }, logger: silentLogger, general: () => settings.general });
  return { fake, sent, settings, rules };
}

test('rate limit: a flapping state sends at most one notification per kind per hour, never a storm', async () => {
  const { fake, sent, rules } = harness();
  const up = marketStatusOf({ state: 'working' });
  const down = marketStatusOf({ state: 'no-network', reason: 'The network does not answer.' });
  rules.observe('market:status', up);
  for (let i = 0; i < 500; i++) {
    rules.observe('market:status', i % 2 ? up : down);
    await fake.advance(1000);
  }
  assert.equal(sent.length, 1, `sent ${sent.length}`);
  await fake.advance(MIN_GAP_MS);
  rules.observe('market:status', up);
  rules.observe('market:status', down);
  assert.equal(sent.length, 2, 'again after an hour');
  rules.observe('scheduler:status', down);
  assert.equal(sent.length, 2, 'other events are not market statuses');
});

test('each kind has its own switch, and the master switch silences all', () => {
  const locked = marketStatusOf({ state: 'locked', waitingForUnlock: 1 });
  const paid = marketStatusOf({ jobsPaid: 1, lastPaymentAt: NOW });
  const run = (general: Partial<Settings['general']>) => {
    const { sent, rules } = harness(general);
    rules.observe('market:status', marketStatusOf());
    rules.observe('market:status', paid);
    rules.observe('market:status', marketStatusOf({ ...locked, jobsPaid: 1, lastPaymentAt: NOW }));
    return sent.map((n) => n.title);
  };
  assert.deepEqual(run({}), ['Your first payment arrived', 'Earnings are waiting for your wallet']);
  assert.deepEqual(run({ notifyFirstPayment: false }), ['Earnings are waiting for your wallet']);
  assert.deepEqual(run({ notifyWalletLocked: false }), ['Your first payment arrived']);
  assert.deepEqual(run({ notifications: false }), []);
});

test('a notifier that throws does not break the event stream', () => {
  const fake = createFakeClock(NOW);
  const rules = createNotificationRules({ clock: fake.clock, notifier: { notify: () => assert.fail('OS refused') }, logger: silentLogger, general: () => defaultSettings().general });
  rules.observe('market:status', marketStatusOf());
  assert.doesNotThrow(() => rules.observe('market:status', marketStatusOf({ jobsPaid: 1, lastPaymentAt: NOW })));
});

test('token amounts are written plainly', () => {
  assert.equal(tokens('0'), '0');
  assert.equal(tokens((41n * WEI + 2875n * WEI / 10_000n).toString()), '41.2875');
  assert.equal(tokens('1'), '0', 'dust below a millionth rounds down');
});

test('the notification switches in settings refuse hostile values', () => {
  for (const general of [{ notifyFirstPayment: 'yes' }, { notifyAttention: 1 }, { notifyWalletLocked: null }, { trayNoticeShown: 'x'.repeat(100_000) }, { notifyEverything: true }]) {
    assert.equal(settingsPatch.safeParse({ general }).success, false, JSON.stringify(general).slice(0, 60));
  }
  assert.equal(settingsPatch.safeParse({ general: { notifyWalletLocked: false, trayNoticeShown: true } }).success, true);
  const old = settingsSchema.parse({ general: { theme: 'dark', notifications: false } });
  assert.deepEqual(
    [old.general.notifyFirstPayment, old.general.notifyAttention, old.general.notifyWalletLocked, old.general.trayNoticeShown],
    [true, true, true, false],
    'a settings file from before these fields gets their defaults',
  );
});

test('clock jumps: a clock set back a day does not silence a kind until it catches up; one set forward keeps the limit', async () => {
  const { fake, sent, rules } = harness();
  const up = marketStatusOf({ state: 'working' });
  const down = marketStatusOf({ state: 'no-network', reason: 'The network does not answer.' });
  rules.observe('market:status', up);
  rules.observe('market:status', down);
  assert.equal(sent.length, 1);
  for (const jump of [-86_400_000, -3_600_000]) {
    fake.jump(jump);
    rules.observe('market:status', up);
    rules.observe('market:status', down);
    assert.equal(sent.length, 2 + (jump === -86_400_000 ? 0 : 1), `after a jump of ${jump / 3_600_000} h the network loss is told again`);
    // ...and the hourly limit holds from there on the new time.
    await fake.advance(1000);
    rules.observe('market:status', up);
    rules.observe('market:status', down);
    assert.equal(sent.length, 2 + (jump === -86_400_000 ? 0 : 1));
  }
  fake.jump(86_400_000);
  rules.observe('market:status', up);
  rules.observe('market:status', down);
  assert.equal(sent.length, 4, 'a day forward: the hour has passed');
  rules.observe('market:status', up);
  rules.observe('market:status', down);
  assert.equal(sent.length, 4, 'but only once');
});
