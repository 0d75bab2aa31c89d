// What assistive technology gets from each shared component: roles, names, descriptions and
// states, asked the way a screen reader user meets them (by role and name), not by class.
import '../test/dom.ts';
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { useState } from 'react';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import {
  Badge,
  Button,
  Card,
  Dialog,
  EmptyState,
  Gauge,
  NotYet,
  Notice,
  NumberInput,
  PageHeader,
  ProgressBar,
  RefreshIcon,
  Select,
  Sparkline,
  Spinner,
  Stat,
  StatGrid,
  StatusPill,
  TextInput,
  Toggle,
} from './index.ts';

afterEach(() => cleanup());
const noop = () => undefined;

test('Button: named by its text; an icon-only one by its aria-label, the icon hidden', () => {
  render(
    <>
      <Button icon={<RefreshIcon />}>Refresh</Button>
      <Button icon={<RefreshIcon />} aria-label="Reload the jobs" />
    </>,
  );
  assert.ok(screen.getByRole('button', { name: 'Refresh' }));
  const iconOnly = screen.getByRole('button', { name: 'Reload the jobs' });
  assert.equal(iconOnly.querySelector('svg')?.closest('[aria-hidden="true"]') !== null, true, 'the icon is decoration');
  assert.equal(iconOnly.querySelector('.btn__label'), null, 'no empty label box beside the icon');
  // Typecheck (npm run typecheck) holds the other half: a Button with an icon and neither text
  // nor aria-label / aria-labelledby does not compile.
  // @ts-expect-error an icon-only Button must be given a name
  const nameless = <Button icon={<RefreshIcon />} onClick={noop} />;
  assert.equal(nameless.props.children, undefined);
});

test('Card: a titled card is a region named by its h2; an untitled one is no landmark', () => {
  render(
    <>
      <Card title="Earnings" description="Paid to your wallet">
        body
      </Card>
      <Card data-testid="plain">plain</Card>
    </>,
  );
  const region = screen.getByRole('region', { name: 'Earnings' });
  assert.ok(within(region).getByRole('heading', { level: 2, name: 'Earnings' }));
  assert.equal(screen.getAllByRole('region').length, 1, 'the untitled card is not a region');
});

test('Card: a name the caller gives wins over the title', () => {
  render(<Card title="Lending" aria-label="Lending position" />);
  assert.ok(screen.getByRole('region', { name: 'Lending position' }));
});

test('PageHeader: one h1 first, the cards under it at level 2', () => {
  render(
    <>
      <PageHeader title="Overview" description="How this machine is doing." actions={<Button>Refresh</Button>} />
      <Card title="Earning">x</Card>
    </>,
  );
  const headings = screen.getAllByRole('heading');
  assert.deepEqual(
    headings.map((h) => [h.tagName, h.textContent]),
    [
      ['H1', 'Overview'],
      ['H2', 'Earning'],
    ],
  );
  assert.ok(screen.getByRole('heading', { level: 1, name: 'Overview' }));
});

test('Stat and StatGrid: each term is paired with its definition inside one <dl>', () => {
  render(
    <>
      <StatGrid>
        <Stat label="Cores" value="8 cores" hint="16 threads" />
        <Stat label="Speed" value="3.8 GHz" />
      </StatGrid>
      <Stat label="Alone" value="42" />
    </>,
  );
  const terms = screen.getAllByRole('term');
  assert.deepEqual(
    terms.map((t) => t.textContent),
    ['Cores', 'Speed', 'Alone'],
  );
  for (const term of terms) {
    const group = term.parentElement!;
    const list = group.tagName === 'DL' ? group : group.parentElement!;
    assert.equal(list.tagName, 'DL', `${term.textContent} sits in a <dl>`);
    const definitions = within(group).getAllByRole('definition');
    assert.ok(definitions.length > 0 && definitions.every((d) => d.previousElementSibling === term || d.previousElementSibling?.tagName === 'DD'), `${term.textContent} is followed by its value`);
  }
  assert.deepEqual(
    within(terms[0]!.parentElement!)
      .getAllByRole('definition')
      .map((d) => d.textContent),
    ['8 cores', '16 threads'],
  );
});

test('Badge and StatusPill: the state is in the text; the dot is decoration', () => {
  render(
    <>
      <Badge tone="error">Not supported</Badge>
      <StatusPill status="warn" pulse>
        Connecting
      </StatusPill>
    </>,
  );
  assert.ok(screen.getByText('Not supported'));
  const pill = screen.getByText('Connecting');
  const dot = pill.querySelector('.status-pill__dot');
  assert.equal(dot?.getAttribute('aria-hidden'), 'true');
  // What a screen reader reads is the pill's text without hidden parts: the word itself.
  const spoken = [...pill.childNodes].filter((n) => !(n instanceof window.Element && n.getAttribute('aria-hidden') === 'true')).map((n) => n.textContent).join('');
  assert.equal(spoken.trim(), 'Connecting');
});

test('TextInput: labelled, described by its help and its error, invalid, the error announced', () => {
  render(<TextInput label="Wallet name" help="Shown in the title bar." error="Enter a name." value="" onChange={noop} />);
  const input = screen.getByRole('textbox', { name: 'Wallet name', description: 'Shown in the title bar. Enter a name.' });
  assert.equal(input.getAttribute('aria-invalid'), 'true');
  assert.equal(screen.getByRole('alert').textContent, 'Enter a name.');
  cleanup();
  render(<TextInput label="Wallet name" help="Shown in the title bar." value="a" onChange={noop} />);
  const valid = screen.getByRole('textbox', { name: 'Wallet name', description: 'Shown in the title bar.' });
  assert.equal(valid.hasAttribute('aria-invalid'), false);
  assert.equal(screen.queryByRole('alert'), null);
});

test('NumberInput: its own range error marks it invalid and is announced; the unit is said with it', () => {
  render(<NumberInput label="Idle minutes" help="Before Hearth starts." unit="min" value={5} min={1} max={120} onChange={noop} />);
  const input = screen.getByRole('textbox', { name: 'Idle minutes', description: 'Before Hearth starts. min' });
  fireEvent.change(input, { target: { value: '500' } });
  assert.equal(input.getAttribute('aria-invalid'), 'true');
  assert.equal(screen.getByRole('alert').textContent, 'Enter a value from 1 to 120.');
  assert.ok(screen.getByRole('textbox', { name: 'Idle minutes', description: 'Before Hearth starts. Enter a value from 1 to 120. min' }));
});

test('Select and Toggle: labelled and described; the switch says whether it is on', () => {
  render(
    <>
      <Select label="Theme" help="Follows the system by default." value="dark" options={[{ value: 'dark', label: 'Dark' }, { value: 'light', label: 'Light' }]} onChange={noop} />
      <Toggle label="Notifications" help="When a payment arrives." error="Could not save." checked onChange={noop} />
    </>,
  );
  assert.ok(screen.getByRole('combobox', { name: 'Theme', description: 'Follows the system by default.' }));
  const toggle = screen.getByRole('switch', { name: 'Notifications', description: 'When a payment arrives. Could not save.' });
  assert.equal(toggle.getAttribute('aria-checked'), 'true');
  assert.equal(toggle.getAttribute('aria-invalid'), 'true');
});

test('ProgressBar: a named progressbar with its value, its detail as description, or indeterminate', () => {
  render(
    <>
      <ProgressBar
        value={0.42}
        label={
          <>
            Downloading <strong>update</strong>
          </>
        }
        detail="1.2 of 4 GB"
      />
      <ProgressBar value={null} label="Waiting for the network" />
    </>,
  );
  const bar = screen.getByRole('progressbar', { name: 'Downloading update', description: '1.2 of 4 GB' });
  assert.equal(bar.getAttribute('aria-valuenow'), '42');
  const waiting = screen.getByRole('progressbar', { name: 'Waiting for the network' });
  assert.equal(waiting.hasAttribute('aria-valuenow'), false, 'no value: indeterminate');
});

test('Gauge: a meter named by its label, saying what the ring says; no reading is still a valid meter', () => {
  render(
    <>
      <Gauge label="Temperature" value={0.65} display="65°" />
      <Gauge label="CPU load" value={0.3} />
      <Gauge label="Power" value={null} display="–" />
    </>,
  );
  const temperature = screen.getByRole('meter', { name: 'Temperature' });
  assert.equal(temperature.getAttribute('aria-valuetext'), '65°');
  assert.equal(screen.getByRole('meter', { name: 'CPU load' }).getAttribute('aria-valuetext'), '30%');
  const power = screen.getByRole('meter', { name: 'Power' });
  assert.equal(power.getAttribute('aria-valuenow'), '0', 'a meter requires aria-valuenow');
  assert.equal(power.getAttribute('aria-valuetext'), 'no reading yet');
  // The caption repeats the label for sight only.
  assert.equal(screen.getByText('Temperature', { selector: 'figcaption' }).getAttribute('aria-hidden'), 'true');
});

test('Sparkline: an image whose name carries the latest value and the range', () => {
  render(
    <>
      <Sparkline label="GPU utilisation, last 10 minutes" unit="%" values={[10, 80, 55, 42]} />
      <Sparkline label="Earned" values={[0.125, 0.5]} />
      <Sparkline label="Fan" values={[]} />
    </>,
  );
  assert.ok(screen.getByRole('img', { name: 'GPU utilisation, last 10 minutes: now 42 %, low 10 %, high 80 %' }));
  assert.ok(screen.getByRole('img', { name: 'Earned: now 0.5, low 0.13, high 0.5' }));
  assert.ok(screen.getByRole('img', { name: 'Fan: no data yet' }));
});

test('Spinner: with a label, a status that says it; without, hidden decoration', () => {
  render(
    <>
      <Spinner label="Loading jobs" />
      <span data-testid="plain">
        <Spinner /> Reading…
      </span>
    </>,
  );
  assert.equal(screen.getByRole('status').textContent, 'Loading jobs');
  assert.equal(screen.getByTestId('plain').querySelector('svg')?.getAttribute('aria-hidden'), 'true');
});

test('Notice: errors are alerts, the rest (successes too) polite statuses, a ticking one quiet', () => {
  render(
    <>
      <Notice tone="error" title="Could not read the jobs" action={<Button>Try again</Button>}>
        The market is down.
      </Notice>
      <Notice tone="info" title="Test funds sent" />
      <Notice tone="ok" title="Registered and staked" />
      <Notice tone="warn" title="Your wallet is locked" />
      <Notice tone="info" title="Downloading Hearth 1.2" live={false}>
        42%
      </Notice>
    </>,
  );
  const alert = screen.getByRole('alert');
  assert.match(alert.textContent ?? '', /^Could not read the jobsThe market is down\./);
  assert.ok(within(alert).getByRole('button', { name: 'Try again' }), 'the way out is in the alert');
  assert.deepEqual(
    screen.getAllByRole('status').map((s) => s.textContent),
    ['Test funds sent', 'Registered and staked', 'Your wallet is locked'],
  );
});

test('EmptyState and NotYet: a titled heading, the icon hidden, the plan a named list', () => {
  render(<NotYet icon={<RefreshIcon />} capability="Wallet" summary="Your balance." planned={['Send tokens']} />);
  assert.ok(screen.getByRole('heading', { level: 2, name: 'Wallet is not available in this version' }));
  assert.ok(screen.getByRole('list', { name: 'What Wallet will do' }));
  cleanup();
  render(
    <EmptyState icon={<RefreshIcon />} title="No jobs yet" action={<a href="#/overview">Check the setup</a>}>
      Jobs appear here.
    </EmptyState>,
  );
  const heading = screen.getByRole('heading', { level: 2, name: 'No jobs yet' });
  assert.equal(heading.previousElementSibling?.getAttribute('aria-hidden'), 'true', 'the icon is decoration');
  assert.ok(screen.getByRole('link', { name: 'Check the setup' }));
});

function DialogHarness() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        Unbond
      </button>
      {open && (
        <Dialog title="Unbond stake" description="The stake unlocks after seven days." onClose={() => setOpen(false)} footer={<Button>Confirm</Button>}>
          <TextInput label="Amount" value="" onChange={noop} />
        </Dialog>
      )}
    </>
  );
}

test('Dialog: a modal dialog named by its title, described, trapping Tab, closed by Escape, focus back on the opener', () => {
  render(<DialogHarness />);
  const opener = screen.getByRole('button', { name: 'Unbond' });
  opener.focus();
  fireEvent.click(opener);
  const dialog = screen.getByRole('dialog', { name: 'Unbond stake', description: 'The stake unlocks after seven days.' });
  assert.equal(dialog.getAttribute('aria-modal'), 'true');
  const amount = within(dialog).getByRole('textbox', { name: 'Amount' });
  assert.equal(document.activeElement, amount, 'focus starts on the first field');
  const close = within(dialog).getByRole('button', { name: 'Close' });
  const confirm = within(dialog).getByRole('button', { name: 'Confirm' });

  confirm.focus();
  fireEvent.keyDown(confirm, { key: 'Tab' });
  assert.equal(document.activeElement, close, 'Tab from the last control wraps to the first');
  fireEvent.keyDown(close, { key: 'Tab', shiftKey: true });
  assert.equal(document.activeElement, confirm, 'Shift+Tab from the first wraps to the last');

  fireEvent.keyDown(confirm, { key: 'Escape' });
  assert.equal(screen.queryByRole('dialog'), null);
  assert.equal(document.activeElement, opener, 'focus returns to the opener');
});
