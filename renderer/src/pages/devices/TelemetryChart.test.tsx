import '../../test/dom.ts';
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, render, screen, within } from '@testing-library/react';
import { TelemetryChart, type ChartSeries } from './TelemetryChart.tsx';

afterEach(() => cleanup());

const series: ChartSeries[] = [
  { label: 'Utilisation', unit: '%', values: [10, 80, null, 42], min: 0, max: 100, tone: 'accent' },
  { label: 'Temperature', unit: '°C', values: [55, 61.4, 70, 66], min: 0, max: 100, tone: 'info' },
];

test('the chart is an image named with each line’s latest reading and range', () => {
  render(<TelemetryChart label="RTX 2070: utilisation and temperature, last 4 readings" series={series} />);
  assert.ok(
    screen.getByRole('img', {
      name: 'RTX 2070: utilisation and temperature, last 4 readings. Utilisation: now 42 %, low 10 %, high 80 %. Temperature: now 66 °C, low 55 °C, high 70 °C',
    }),
  );
});

test('every reading is in a table, a row per reading, with the missing ones said', () => {
  const start = new Date(2026, 10, 30, 9, 0, 0).getTime();
  render(<TelemetryChart label="GPU, last 4 readings" series={series} times={[0, 1, 2, 3].map((i) => start + i * 1000)} />);
  const table = screen.getByRole('table', { name: 'GPU, last 4 readings, oldest first' });
  assert.deepEqual(
    within(table)
      .getAllByRole('columnheader')
      .map((h) => h.textContent),
    ['Time', 'Utilisation (%)', 'Temperature (°C)'],
  );
  const rows = within(table).getAllByRole('row').slice(1);
  assert.equal(rows.length, 4);
  assert.deepEqual(
    within(rows[2]!)
      .getAllByRole('cell')
      .map((c) => c.textContent),
    ['no reading', '70'],
  );
  assert.equal(within(rows[0]!).getByRole('rowheader').textContent, new Date(start).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' }));
});

test('with no readings yet it says so, and has no empty table', () => {
  render(<TelemetryChart label="CPU load, last 0 readings" series={[{ label: 'CPU load', unit: '%', values: [], min: 0, max: 100, tone: 'accent' }]} />);
  assert.ok(screen.getByRole('img', { name: 'CPU load, last 0 readings: no data yet' }));
  assert.equal(screen.queryByRole('table'), null);
});
