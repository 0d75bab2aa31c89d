import { useRef, useState } from 'react';
import type { SchedulerState, SchedulerStatus, SignalStatus } from '../../../../common/ipc/groups/scheduler.ts';
import { Badge, Button, Card, Notice, ProgressBar, Spinner, StatusPill, useRefocus, type PillStatus } from '../../ui/index.ts';
import { useScheduler } from './use-scheduler.ts';

const pill: Record<SchedulerState, { status: PillStatus; label: string; pulse?: boolean }> = {
  running: { status: 'ok', label: 'Working', pulse: true },
  ready: { status: 'ok', label: 'Starting' },
  waiting: { status: 'idle', label: 'Waiting for you to step away' },
  cooling: { status: 'warn', label: 'Cooling down' },
  blocked: { status: 'warn', label: 'Paused automatically' },
  paused: { status: 'idle', label: 'Paused by you' },
  yielding: { status: 'warn', label: 'Giving the machine back', pulse: true },
};

const signalNames: Record<SignalStatus['signal'], string> = {
  input: 'Keyboard and mouse',
  lock: 'Screen lock',
  sleep: 'Sleep and wake',
  power: 'Battery',
  thermal: 'Heat',
  apps: 'Running apps',
  fullscreen: 'Fullscreen apps',
  gpu: 'GPU readings',
};

/** The Overview's answer to "is Hearth working right now, and if not, why not?". */
export function EarningCard() {
  const { status, error, busy, pause, resume } = useScheduler();
  const [finishFirst, setFinishFirst] = useState(false);
  const actions = useRef<HTMLDivElement>(null);
  // Pausing swaps the pause buttons for Resume and back: focus follows to the new first button.
  useRefocus(status ? status.pause.kind !== 'none' : undefined, actions, () => actions.current?.querySelector('button'));
  if (!status) {
    return (
      <Card title="Earning" data-testid="earning-card">
        {error ? <Notice tone="error" title="Could not read the scheduler">{error.message}</Notice> : <div className="loading-row"><Spinner /> Loading…</div>}
      </Card>
    );
  }
  const look = pill[status.state];
  const paused = status.pause.kind !== 'none';
  const working = status.state === 'running' || status.state === 'ready';
  return (
    <Card
      title="When Hearth works"
      description={status.jobSource.kind === 'practice' ? 'Running practice work, which pays nothing. Paid jobs come from the market once this machine is registered and the wallet is unlocked.' : status.jobSource.description}
      data-testid="earning-card"
      data-state={status.state}
      actions={<StatusPill status={look.status} pulse={look.pulse ?? false}>{look.label}</StatusPill>}
    >
      <div className="earning">
        <p className="earning__reason" data-testid="earning-reason">
          {status.reason}
        </p>
        {status.state === 'waiting' && status.idleSeconds !== null && (
          <ProgressBar value={Math.min(1, status.idleSeconds / status.idleThresholdSeconds)} label="Away time before Hearth starts" />
        )}
        {status.job && (
          <p className="earning__job">
            {status.job.kind === 'practice' ? <Badge tone="info">Practice · unpaid</Badge> : <Badge tone="ok">Paid job</Badge>}{' '}
            {status.job.label}
            {status.job.deviceId ? ` on ${status.job.deviceId}` : ''} · since {new Date(status.job.startedAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}
          </p>
        )}
        {status.vetoes.length > 1 && (
          <ul className="earning__vetoes" aria-label="Also holding Hearth back">
            {status.vetoes.slice(1).map((v) => (
              <li key={v.kind + v.message}>{v.message.replace(/^Paused — /, '')}</li>
            ))}
          </ul>
        )}
        <div className="earning__actions" ref={actions}>
          {paused ? (
            <Button variant="primary" busy={busy} onClick={resume}>
              Resume now
            </Button>
          ) : (
            <>
              <Button busy={busy} onClick={() => pause('hour', finishFirst)}>
                Pause 1 hour
              </Button>
              <Button busy={busy} onClick={() => pause('tomorrow', finishFirst)}>
                Pause until tomorrow
              </Button>
              <Button busy={busy} onClick={() => pause('resume', finishFirst)}>
                Pause until I resume
              </Button>
              {working && (
                <label className="earning__finish">
                  <input type="checkbox" checked={finishFirst} onChange={(e) => setFinishFirst(e.target.checked)} /> Let the current job finish first
                </label>
              )}
            </>
          )}
        </div>
        <SignalsDetails status={status} />
      </div>
    </Card>
  );
}

function SignalsDetails({ status }: { status: SchedulerStatus }) {
  const missing = status.signals.filter((s) => !s.available).length;
  return (
    <details className="earning__details">
      <summary>
        What Hearth watches{missing > 0 ? ` · ${missing} it cannot see here` : ''} · {status.jobsCompleted} jobs finished, {status.jobsPreempted} stopped for you
        {status.lastYieldMs !== null ? ` · last gave the machine back in ${Math.round(status.lastYieldMs)} ms` : ''}
      </summary>
      <dl className="earning__signals">
        {status.signals.map((s) => (
          <div key={s.signal} className="earning__signal">
            <dt>
              {/* The pill's colour is the only mark of whether Hearth can see this signal: say it too. */}
              <StatusPill status={s.available ? 'ok' : 'idle'}>
                {signalNames[s.signal]}
                <span className="visually-hidden">{s.available ? ': watched' : ': not available here'}</span>
              </StatusPill>
            </dt>
            <dd>{s.available ? `From ${s.detail}` : s.detail}</dd>
          </div>
        ))}
      </dl>
      {status.testHooks && <Notice tone="warn" title="Test mode">Activity, running apps and GPU readings are scripted (HEARTH_TEST_HOOKS=1).</Notice>}
    </details>
  );
}
