// Renders the built renderer in Chromium against a fake core (window.hearth answering
// from the market fixtures) and saves screenshots, to look at pages with realistic data
// before the market backend exists. Not a test: run it by hand after `npm run build:renderer`:
//   node --import tsx e2e/support/ui-preview.ts [outDir] [name filter, e.g. earn]
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { defaultSettings, type Settings } from '../../common/settings.ts';
import type { SchedulerStatus } from '../../common/ipc/groups/scheduler.ts';
import * as fx from '../../renderer/src/test/market-fixtures.ts';
import * as px from '../../renderer/src/test/positions-fixtures.ts';
import { repoRoot } from './daemon.ts';

const outDir = process.argv[2] ?? '/tmp/hearth-ui-preview';
const only = process.argv[3] ?? '';
const distDir = join(repoRoot, 'dist/renderer');
const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.woff2': 'font/woff2', '.svg': 'image/svg+xml', '.png': 'image/png' };

function scheduler(over: Partial<SchedulerStatus> = {}): SchedulerStatus {
  return {
    state: 'running',
    reason: 'Running a paid job: paddleocr-det — you have been away 14 min',
    since: Date.now() - 14 * 60_000,
    idleSeconds: 840,
    idleThresholdSeconds: 300,
    vetoes: [],
    pause: { kind: 'none' },
    finishingThenPause: false,
    job: { id: 'j1201', kind: 'paid', label: 'paddleocr-det', startedAt: Date.now() - 95_000, deviceId: 'nvidia:0000:01:00.0' },
    jobSource: { kind: 'paid', description: 'Paid jobs from the market on the devnet; practice work between them.' },
    signals: [
      { signal: 'input', available: true, detail: 'X11 screensaver idle time' },
      { signal: 'gpu', available: true, detail: 'nvidia-smi' },
    ],
    jobsCompleted: 112,
    jobsPreempted: 9,
    lastYieldMs: 61,
    testHooks: false,
    ...over,
  };
}

interface Scenario {
  name: string;
  hash: string;
  theme: 'light' | 'dark';
  answers: Record<string, unknown>;
  settings: Settings;
  /** Runs in the page before the screenshot (open a row…). */
  prepare?: (page: Page) => Promise<void>;
  /** Window size; the default (1366×900) grows to the page's full height. */
  viewport?: { width: number; height: number };
  /** Keep the viewport as given instead of growing it to the content (for dialogs). */
  fixed?: boolean;
}

function settingsWith(theme: 'light' | 'dark', market: Partial<Settings['market']> = {}): Settings {
  const s = defaultSettings();
  s.general.theme = theme;
  s.market = { ...s.market, minPricePerUnit: '0.002', electricityPerKwh: '0.3', ...market };
  return s;
}

const allJobs = fx.jobs(73);
const base = {
  'app:status': { name: 'Hearth', version: '0.1.0', shell: 'desktop', startedAt: Date.now() - 3 * 3600_000, uptimeSeconds: 3 * 3600, dataDir: '/home/sam/.config/hearth', platform: 'linux-x64', runtime: 'Node 24.2', warnings: [] },
  'market:earnings': fx.earningsSummary(),
  'market:preview-register': fx.registerPreview(),
  'wallet:status': fx.walletStatus(),
  'hardware:list': fx.hardwareView(),
  'scheduler:status': scheduler(),
};
const working = fx.marketStatus({
  state: 'working',
  reason: 'Running job 1201 for 0x7099…79C8: it pays 0.0031 HRTH per unit, above your minimum of 0.002.',
  currentJob: { key: 'k1201', jobId: '1201', model: 'paddleocr-det', units: 48, state: 'running', progress: 0.42, startedAt: Date.now() - 95_000 },
});

const scenarios: Scenario[] = [
  {
    name: 'onboarding-register-dark',
    hash: '#/overview',
    theme: 'dark',
    settings: settingsWith('dark', { onboardingProvider: 'todo', onboardingRules: 'todo' }),
    answers: {
      ...base,
      'scheduler:status': scheduler({ state: 'waiting', reason: 'Waiting — you were active 40 s ago (starts after 5 min idle)', job: null, idleSeconds: 40, jobSource: { kind: 'practice', description: 'Practice work.' } }),
      'market:status': fx.firstRunStatus({ state: 'unregistered', reason: 'This machine is not registered as a provider yet: register and stake to take paid jobs.', address: fx.ADDRESS, onboarding: { wallet: 'done', provider: 'todo', rules: 'todo' } }),
    },
  },
  {
    name: 'onboarding-rules-light',
    hash: '#/overview',
    theme: 'light',
    settings: settingsWith('light', { onboardingProvider: 'done', onboardingRules: 'todo' }),
    answers: { ...base, 'scheduler:status': scheduler({ state: 'waiting', reason: 'Waiting — you were active 2 min ago (starts after 5 min idle)', job: null, idleSeconds: 120 }), 'market:status': fx.marketStatus({ onboarding: { wallet: 'done', provider: 'done', rules: 'todo' } }) },
  },
  { name: 'overview-dark', hash: '#/overview', theme: 'dark', settings: settingsWith('dark'), answers: { ...base, 'market:status': working } },
  { name: 'overview-light', hash: '#/overview', theme: 'light', settings: settingsWith('light'), answers: { ...base, 'market:status': working } },
  {
    name: 'overview-problems-dark',
    hash: '#/overview',
    theme: 'dark',
    settings: settingsWith('dark', { onboardingRules: 'skipped' }),
    answers: {
      ...base,
      'scheduler:status': scheduler({ state: 'waiting', reason: 'Waiting — you were active 40 s ago (starts after 5 min idle)', job: null, idleSeconds: 40 }),
      'market:status': fx.marketStatus({
        state: 'locked',
        reason: 'The wallet is locked: Hearth cannot claim jobs or sign results until you unlock it.',
        waitingForUnlock: 2,
        onboarding: { wallet: 'done', provider: 'done', rules: 'skipped' },
        reconciliation: { at: Date.now() - 4 * 60_000, ok: false, ledgerWei: fx.tokens('41.2875'), chainWei: fx.tokens('40.9'), message: 'Job 1187 is paid in the ledger but has no JobSettled event on chain.' },
      }),
    },
  },
  {
    name: 'jobs-dark',
    hash: '#/jobs',
    theme: 'dark',
    settings: settingsWith('dark'),
    answers: { ...base, 'market:status': working },
    prepare: async (page) => {
      await page.getByRole('button', { name: '#1200' }).click();
      await page.getByTestId('job-timeline').waitFor();
    },
  },
  {
    name: 'jobs-declined-light',
    hash: '#/jobs',
    theme: 'light',
    settings: settingsWith('light'),
    answers: { ...base, 'market:status': working },
    prepare: async (page) => {
      await page.getByRole('tab', { name: 'Problems' }).click();
      await page.getByRole('button', { name: '#1196' }).click();
      await page.getByTestId('job-reason').waitFor();
    },
  },
  { name: 'jobs-empty-dark', hash: '#/jobs', theme: 'dark', settings: settingsWith('dark'), answers: { ...base, 'market:status': working, 'market:jobs:empty': true } },
  { name: 'settings-market-light', hash: '#/settings/market', theme: 'light', settings: settingsWith('light'), answers: { ...base, 'market:status': working } },
  ...earnScenarios(),
  ...shellScenarios(),
];

/** Settings → General (start at login, notifications) and the update banner in the shell. */
function shellScenarios(): Scenario[] {
  const size = { width: 1280, height: 720 };
  const answers = { ...base, 'market:status': working };
  return [
    { name: 'settings-general-light', hash: '#/settings/general', theme: 'light', settings: settingsWith('light'), answers, viewport: size, fixed: true },
    { name: 'settings-general-dark', hash: '#/settings/general', theme: 'dark', settings: { ...settingsWith('dark'), general: { ...settingsWith('dark').general, launchAtLogin: true, notifyAttention: false } }, answers, viewport: size, fixed: true },
    {
      name: 'update-downloading-dark',
      hash: '#/overview',
      theme: 'dark',
      settings: settingsWith('dark'),
      answers: { ...answers, 'update:status': { state: 'downloading', version: '0.2.0', percent: 64.2, bytes: 51.4e6, totalBytes: 80.1e6 } },
      viewport: size,
      fixed: true,
    },
    { name: 'update-ready-light', hash: '#/overview', theme: 'light', settings: settingsWith('light'), answers: { ...answers, 'update:status': { state: 'ready', version: '0.2.0', waitingForJob: false } }, viewport: size, fixed: true },
    { name: 'update-waiting-dark', hash: '#/overview', theme: 'dark', settings: settingsWith('dark'), answers: { ...answers, 'update:status': { state: 'ready', version: '0.2.0', waitingForJob: true } }, viewport: size, fixed: true },
  ];
}

/** The Earn page with every kind, with kinds missing, without a wallet, and its action dialog. */
function earnScenarios(): Scenario[] {
  const earn = { ...base, 'market:status': working, 'positions:get': px.positionsView(), 'positions:history': { samples: px.history(30) } };
  const size = { width: 1280, height: 800 };
  const lendPreview = px.preview({ kind: 'lend', amount: '50' });
  const swapPreview = px.preview(
    { kind: 'swap', direction: 'token-to-eth', amount: '40', slippageBps: 50 },
    {
      steps: ['Allow the router to take 40 HRTH (approve)', 'Swap 40 HRTH for ETH through the HRTH/ETH pair'],
      changes: [
        { label: 'Wallet HRTH', before: '812.5 HRTH', after: '772.5 HRTH' },
        { label: 'Wallet ETH', before: '9.9712 ETH', after: '10.0674 ETH' },
        { label: 'Price of HRTH', before: '0.0025 ETH', after: '0.002309 ETH' },
      ],
      minimumReceived: '0.0957 ETH',
      risks: ['Selling 40 HRTH moves the price by about 7.6 %: a large trade against a small pair gets a worse price than the one shown at the top of the page.'],
      problem: null,
    },
  );
  const previewIt = (button: string, amount: string) => async (page: Page) => {
    await page.getByRole('button', { name: button, exact: true }).click();
    await page.getByRole('dialog').getByLabel(/^Amount/).fill(amount);
    await page.getByRole('dialog').getByRole('button', { name: 'Preview' }).click();
    await page.getByTestId('action-preview').waitFor();
  };
  return [
    { name: 'earn-light', hash: '#/earn', theme: 'light', settings: settingsWith('light'), answers: earn, viewport: size },
    { name: 'earn-dark', hash: '#/earn', theme: 'dark', settings: settingsWith('dark'), answers: earn, viewport: size },
    { name: 'earn-top-dark', hash: '#/earn', theme: 'dark', settings: settingsWith('dark'), answers: earn, viewport: size, fixed: true },
    {
      name: 'earn-missing-light',
      hash: '#/earn',
      theme: 'light',
      settings: settingsWith('light'),
      answers: { ...earn, 'positions:get': px.stakingOnlyView(), 'wallet:status': fx.walletStatus({ locked: true }) },
      viewport: size,
    },
    { name: 'earn-no-wallet-dark', hash: '#/earn', theme: 'dark', settings: settingsWith('dark'), answers: { ...earn, 'positions:get': px.noWalletView(), 'wallet:status': fx.walletStatus({ exists: false, accounts: [], selected: null }) }, viewport: size, fixed: true },
    {
      name: 'earn-form-light',
      hash: '#/earn',
      theme: 'light',
      settings: settingsWith('light'),
      answers: earn,
      viewport: size,
      fixed: true,
      prepare: async (page) => {
        await page.getByRole('button', { name: 'Unbond from gpu-8gb' }).click();
        await page.getByRole('dialog').getByRole('button', { name: 'Preview' }).click();
      },
    },
    { name: 'earn-lend-preview-dark', hash: '#/earn', theme: 'dark', settings: settingsWith('dark'), answers: { ...earn, 'positions:preview': lendPreview }, viewport: size, fixed: true, prepare: previewIt('Lend', '50') },
    { name: 'earn-swap-preview-light', hash: '#/earn', theme: 'light', settings: settingsWith('light'), answers: { ...earn, 'positions:preview': swapPreview }, viewport: size, fixed: true, prepare: previewIt('Swap', '40') },
    {
      name: 'earn-problem-dark',
      hash: '#/earn',
      theme: 'dark',
      settings: settingsWith('dark'),
      answers: { ...earn, 'positions:preview': { ...lendPreview, problem: 'You have 812.5 HRTH; lending 5,000 needs 4,187.5 more.' } },
      viewport: size,
      fixed: true,
      prepare: previewIt('Lend', '5000'),
    },
    {
      name: 'earn-done-light',
      hash: '#/earn',
      theme: 'light',
      settings: settingsWith('light'),
      answers: { ...earn, 'positions:preview': lendPreview, 'positions:act': { txHashes: ['0x' + '1f'.repeat(32), '0x' + '2e'.repeat(32)], positions: px.positionsView({ block: 4520 }) } },
      viewport: size,
      fixed: true,
      prepare: async (page) => {
        await previewIt('Lend', '50')(page);
        await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
        await page.getByTestId('action-done').waitFor();
      },
    },
  ];
}

/** The fake core, installed as the preload bridge before the app's scripts run. */
function installFakeCore(data: { answers: Record<string, unknown>; settings: unknown; jobs: unknown[]; details: Record<string, unknown> }) {
  type Job = { key: string; state: string; model: string; jobId: string; requester: string; seenAt: number };
  let settings = data.settings as Record<string, Record<string, unknown>>;
  const filters: Record<string, string[]> = {
    active: ['seen', 'claiming', 'claimed', 'fetching', 'running', 'delivering', 'committing', 'committed', 'settling'],
    paid: ['paid'],
    declined: ['declined'],
    problems: ['failed', 'abandoned', 'expired', 'faulted', 'disputed'],
  };
  const answer = (channel: string, payload: Record<string, unknown>): unknown => {
    if (channel === 'settings:get') return settings;
    if (channel === 'settings:update') {
      const next = { ...settings };
      for (const [k, v] of Object.entries(payload)) next[k] = { ...next[k], ...(v as object) };
      settings = next;
      return settings;
    }
    if (channel === 'market:jobs') {
      if (data.answers['market:jobs:empty']) return { jobs: [], total: 0 };
      const search = (typeof payload['search'] === 'string' ? payload['search'] : '').toLowerCase();
      const states = filters[typeof payload['filter'] === 'string' ? payload['filter'] : 'all'];
      const matching = (data.jobs as Job[]).filter((j) => (!states || states.includes(j.state)) && (!search || `${j.jobId} ${j.model} ${j.requester}`.toLowerCase().includes(search)));
      const before = payload['before'] as number | undefined;
      const page = matching.filter((j) => before === undefined || j.seenAt < before).slice(0, Number(payload['limit'] ?? 100));
      return { jobs: page, total: matching.length };
    }
    if (channel === 'market:job') return data.details[String(payload['key'])];
    if (channel === 'hardware:set-rate') return { rate: payload['rate'] };
    return data.answers[channel];
  };
  (window as unknown as { hearth: unknown }).hearth = {
    request: async (channel: string, payload: unknown) => {
      const value = answer(channel, (payload ?? {}) as Record<string, unknown>);
      return value === undefined ? { ok: false, code: 'unavailable', message: `${channel} is not part of this preview.` } : { ok: true, value };
    },
    subscribe: () => () => undefined,
  };
}

async function main() {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/')).replace(/^(\.\.[/\\])+/, '');
    const file = join(distDir, path === '/' ? 'index.html' : path);
    readFile(file).then(
      (body) => {
        res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
        res.end(body);
      },
      () => {
        res.writeHead(404);
        res.end();
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const browser = await chromium.launch({
    executablePath: process.env['CHROMIUM'] ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
  });
  const details = Object.fromEntries(allJobs.map((j) => [j.key, fx.jobDetail(j)]));
  try {
    for (const s of scenarios.filter((x) => x.name.includes(only))) {
      const viewport = s.viewport ?? { width: 1366, height: 900 };
      const context = await browser.newContext({ viewport, colorScheme: s.theme });
      const page = await context.newPage();
      page.on('pageerror', (e) => console.error(`${s.name}: ${e.message}`));
      page.on('console', (m) => m.type() === 'error' && console.error(`${s.name}: ${m.text()}`));
      // tsx compiles with keepNames: the serialized function calls esbuild's __name helper.
      const data = { answers: s.answers, settings: s.settings, jobs: allJobs, details };
      await page.addInitScript({ content: `var __name = (f) => f; (${installFakeCore.toString()})(${JSON.stringify(data)});` });
      await page.goto(`http://127.0.0.1:${port}/${s.hash}`);
      await page.waitForLoadState('networkidle');
      await page.waitForTimeout(600);
      if (s.prepare) await s.prepare(page);
      await page.waitForTimeout(300);
      if (!s.fixed) {
        // The shell scrolls inside its content pane: grow the window to the content's height.
        const height = await page.evaluate(() => Math.max(...[...document.querySelectorAll('*')].map((el) => el.scrollHeight)));
        await page.setViewportSize({ width: viewport.width, height: Math.min(4000, Math.max(viewport.height, height + 80)) });
        await page.waitForTimeout(400);
      }
      const path = join(outDir, `${s.name}.png`);
      await page.screenshot({ path, fullPage: !s.fixed });
      console.log(path);
      await context.close();
    }
  } finally {
    await browser.close();
    server.close();
  }
}

await main();
