import '../../test/dom.ts';
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { SettingsPage } from '../SettingsPage.tsx';
import { renderWithCore } from '../../test/render.ts';
import { marketCore } from '../../test/market-core.ts';

afterEach(() => cleanup());

test('market settings: paid work, minimum price (validated), electricity (optional) and rewards round-trip through core', async () => {
  const core = marketCore();
  const view = renderWithCore(<SettingsPage />, core);
  try {
    const price = await waitFor(() => screen.getByLabelText<HTMLInputElement>('Lowest price per unit (HRTH per unit)'));
    assert.equal(price.value, '0');
    fireEvent.change(price, { target: { value: '0.00.2' } });
    assert.match(document.getElementById('settings-market')?.textContent ?? '', /Enter a plain decimal amount such as 0\.002/);
    await act(async () => fireEvent.blur(price));
    assert.equal(core.sent('settings:update').length, 0, 'an invalid amount is never sent');
    fireEvent.change(price, { target: { value: '0.002' } });
    await act(async () => fireEvent.blur(price));
    assert.deepEqual(core.sent('settings:update').at(-1), { market: { minPricePerUnit: '0.002' } });
    await waitFor(() => assert.equal(core.settings().market.minPricePerUnit, '0.002'));
    assert.equal(price.value, '0.002');

    const power = screen.getByLabelText<HTMLInputElement>('Electricity price (HRTH per kWh)');
    assert.equal(power.value, '');
    fireEvent.change(power, { target: { value: '0.3' } });
    await act(async () => fireEvent.keyDown(power, { key: 'Enter' }));
    assert.deepEqual(core.sent('settings:update').at(-1), { market: { electricityPerKwh: '0.3' } });
    fireEvent.change(power, { target: { value: '' } });
    await act(async () => fireEvent.blur(power));
    assert.deepEqual(core.sent('settings:update').at(-1), { market: { electricityPerKwh: null } });

    const paid = screen.getByRole('switch', { name: 'Take paid jobs' });
    assert.equal(paid.getAttribute('aria-checked'), 'true');
    await act(async () => paid.click());
    assert.deepEqual(core.sent('settings:update').at(-1), { market: { enabled: false } });
    await waitFor(() => assert.equal(screen.getByRole('switch', { name: 'Take paid jobs' }).getAttribute('aria-checked'), 'false'));
    await act(async () => screen.getByRole('switch', { name: 'Claim staking rewards automatically' }).click());
    assert.deepEqual(core.sent('settings:update').at(-1), { market: { claimRewards: false } });
  } finally {
    view.stop();
  }
});
