import '../../test/dom.ts';
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { JobsPage } from './JobsPage.tsx';
import { timelineSteps } from './JobDetail.tsx';
import { renderWithCore } from '../../test/render.ts';
import { marketCore } from '../../test/market-core.ts';
import * as fx from '../../test/market-fixtures.ts';
import { LIVE_DELAY_MS, PAGE_SIZE, SEARCH_DELAY_MS } from './use-jobs.ts';

afterEach(() => cleanup());

type JobsInput = { filter?: string; search?: string; limit?: number; before?: number };

const rows = () => screen.getByTestId('jobs-table').querySelectorAll('tbody tr');

test('the list: a row per job, filter tabs and a debounced search each ask core again', async () => {
  const core = marketCore();
  const view = renderWithCore(<JobsPage />, core);
  try {
    await waitFor(() => assert.equal(rows().length, 12));
    const first = rows()[0]!;
    assert.match(first.textContent ?? '', /#1200paddleocr-det160\.0031Paid0\.0481/);
    assert.equal(screen.getByTestId('jobs-count').textContent, 'Showing 12 of 12');
    assert.deepEqual(core.sent('market:jobs')[0], { filter: 'all', search: '', limit: PAGE_SIZE });

    await act(async () => screen.getByRole('tab', { name: 'Problems' }).click());
    assert.equal(screen.getByRole('tab', { name: 'Problems' }).getAttribute('aria-selected'), 'true');
    assert.equal((core.sent('market:jobs').at(-1) as JobsInput).filter, 'problems');

    fireEvent.keyDown(screen.getByRole('tab', { name: 'Problems' }), { key: 'ArrowRight' });
    await waitFor(() => assert.equal((core.sent('market:jobs').at(-1) as JobsInput).filter, 'all')); // the arrow wraps round to All
    fireEvent.keyDown(screen.getByRole('tab', { name: 'All' }), { key: 'ArrowLeft' });
    await waitFor(() => assert.equal(screen.getByRole('tab', { name: 'Problems' }).getAttribute('aria-selected'), 'true'));
    assert.equal(document.activeElement, screen.getByRole('tab', { name: 'Problems' }));

    const before = core.sent('market:jobs').length;
    const search = screen.getByLabelText('Search jobs');
    fireEvent.change(search, { target: { value: 'w' } });
    fireEvent.change(search, { target: { value: 'whisper' } });
    assert.equal(core.sent('market:jobs').length, before, 'nothing sent while typing');
    await waitFor(() => assert.equal((core.sent('market:jobs').at(-1) as JobsInput).search, 'whisper'), { timeout: SEARCH_DELAY_MS * 4 });
    assert.equal(core.sent('market:jobs').length, before + 1, 'one request for the whole word');
    assert.equal((core.sent('market:jobs').at(-1) as JobsInput).filter, 'problems');
  } finally {
    view.stop();
  }
});

test('"Load more" pages with `before` and appends', async () => {
  const all = fx.jobs(60);
  const core = marketCore({
    'market:jobs': (p) => {
      const input = p as JobsInput;
      const older = input.before === undefined ? all : all.filter((j) => j.seenAt < input.before!);
      return { ok: true, value: { jobs: older.slice(0, input.limit ?? 100), total: all.length } };
    },
  });
  const view = renderWithCore(<JobsPage />, core);
  try {
    await waitFor(() => assert.equal(rows().length, 50));
    assert.equal(screen.getByTestId('jobs-count').textContent, 'Showing 50 of 60');
    await act(async () => screen.getByRole('button', { name: 'Load more' }).click());
    await waitFor(() => assert.equal(rows().length, 60));
    assert.equal((core.sent('market:jobs').at(-1) as JobsInput).before, all[49]!.seenAt);
    assert.equal(screen.queryByRole('button', { name: 'Load more' }), null, 'no more to load');
  } finally {
    view.stop();
  }
});

test('a job opens its detail: reason, timeline with device and run time, transactions with gas', async () => {
  const core = marketCore();
  const view = renderWithCore(<JobsPage />, core);
  try {
    await waitFor(() => assert.equal(rows().length, 12));
    await act(async () => screen.getByRole('button', { name: '#1200' }).click());
    const detail = await waitFor(() => screen.getByTestId('job-detail'));
    await waitFor(() => within(detail).getByTestId('job-timeline'));
    assert.deepEqual(core.sent('market:job').at(-1), { key: fx.job(0).key });
    const steps = [...within(detail).getByTestId('job-timeline').querySelectorAll('li')].map((li) => li.querySelector('.job-timeline__title')?.textContent ?? '');
    assert.deepEqual(
      steps.map((s) => s.replace(/\s*\d.*$/, '').replace(/ for$/, '')),
      ['Seen on the market', 'Decided to take it', 'Claimed on chain', 'Fetched the input', 'Ran', 'Delivered the result', 'Committed on chain', 'Paid'],
    );
    assert.match(steps[4]!, /^Ran for 2\.4 s/);
    assert.match(detail.textContent ?? '', /Ran onnvidia:0000:01:00\.0 with CUDA in 2\.4 s/);
    const txs = within(detail).getByTestId('job-txs');
    assert.equal(txs.querySelectorAll('tbody tr').length, 3);
    assert.match(txs.textContent ?? '', /claim.*confirmed71234/);
    assert.match(txs.querySelector('tfoot')?.textContent ?? '', /Total fees0\.000183/);
    assert.equal(within(detail).queryByTestId('job-reason'), null, 'a paid job needs no excuse');

    // A declined job says why in plain words.
    await act(async () => screen.getByRole('button', { name: '#1198' }).click());
    await waitFor(() => assert.equal(within(screen.getByTestId('job-detail')).getByTestId('job-reason').textContent, 'Pays 0.0012 HRTH per unit, below your minimum of 0.002.'));
    assert.match(screen.getByTestId('job-detail').textContent ?? '', /None: Hearth sent nothing to the chain for this job\./);

    await act(async () => screen.getByRole('button', { name: 'Close job details' }).click());
    assert.equal(screen.queryByTestId('job-detail'), null);
  } finally {
    view.stop();
  }
});

test('no jobs yet: the empty state says what makes jobs appear; market:status events bring new ones in', async () => {
  let list = [] as ReturnType<typeof fx.jobs>;
  const core = marketCore({ 'market:jobs': () => ({ ok: true, value: { jobs: list, total: list.length } }) });
  const view = renderWithCore(<JobsPage />, core);
  try {
    const empty = await waitFor(() => screen.getByTestId('jobs-empty'));
    assert.match(empty.textContent ?? '', /unlocked, this machine registered and staked in a class/);
    list = fx.jobs(1);
    const before = core.sent('market:jobs').length;
    await core.push('market:status', fx.marketStatus({ state: 'working' }));
    await core.push('market:status', fx.marketStatus({ state: 'working' }));
    await waitFor(() => assert.equal(rows().length, 1), { timeout: LIVE_DELAY_MS * 3 });
    assert.equal(core.sent('market:jobs').length, before + 1, 'two events, one refresh');
  } finally {
    view.stop();
  }
});

test('the timeline shows each step once, with the notes from its start and its end', () => {
  const steps = timelineSteps([
    { at: 1, state: 'seen', detail: null },
    { at: 2, state: 'seen', detail: 'Worth taking: about 8 s on cpu' },
    { at: 3, state: 'fetching', detail: 'Fetching the input from http://127.0.0.1:1/jobs/abc' },
    { at: 4, state: 'fetching', detail: 'Fetched 960 KiB; the hash matches' },
    { at: 5, state: 'claimed', detail: 'Claimed in block 24' },
  ]);
  assert.deepEqual(
    steps.map((s) => [s.state, s.at, s.details.length]),
    [
      ['seen', 1, 1],
      ['fetching', 3, 2],
      ['claimed', 5, 1],
    ],
  );
});
