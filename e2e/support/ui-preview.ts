// Renders the built renderer in Chromium against a fake core (window.hearth answering
// from the market fixtures) and saves screenshots, to look at pages with realistic data
// before the market backend exists. Not a test: run it by hand after `npm run build:renderer`:
//   node --import tsx e2e/support/ui-preview.ts [outDir]
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { defaultSettings, type Settings } from '../../common/settings.ts';
import type { SchedulerStatus } from '../../common/ipc/groups/scheduler.ts';
import * as fx from '../../renderer/src/test/market-fixtures.ts';
import { repoRoot } from './daemon.ts';

const outDir = process.argv[2] ?? '/tmp/hearth-ui-preview';
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
];

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
    for (const s of scenarios) {
      const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, colorScheme: s.theme });
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
      // The shell scrolls inside its content pane: grow the window to the content's height.
      const height = await page.evaluate(() => Math.max(...[...document.querySelectorAll('*')].map((el) => el.scrollHeight)));
      await page.setViewportSize({ width: 1366, height: Math.min(4000, Math.max(900, height + 80)) });
      await page.waitForTimeout(400);
      const path = join(outDir, `${s.name}.png`);
      await page.screenshot({ path, fullPage: true });
      console.log(path);
      await context.close();
    }
  } finally {
    await browser.close();
    server.close();
  }
}

await main();
