import { useHearth } from '../state/context.tsx';
import { Button, Notice } from '../ui/index.ts';
import { FlameIcon, LockIcon } from '../ui/icons.tsx';

/** Shown instead of the app when the daemon refused our token (or there was none). */
export function UnauthorizedScreen() {
  return (
    <main className="gate">
      <div className="gate__card" role="alert" data-testid="unauthorized">
        <div className="gate__brand" aria-hidden="true">
          <FlameIcon size={22} />
        </div>
        <div className="gate__icon" aria-hidden="true">
          <LockIcon size={22} />
        </div>
        <h1 className="gate__title">This page needs Hearth's access link</h1>
        <p className="gate__text">
          Hearth only answers pages opened from its full address, which carries a secret token. The token here is missing or belongs to an earlier run.
        </p>
        <ol className="gate__steps">
          <li>
            Get the full address: run <code>hearth url</code> on the machine where Hearth runs, as the same user. In a terminal running{' '}
            <code>hearth daemon</code>, it is also the <code>Hearth ready at …</code> line.
          </li>
          <li>Open that full address in this browser.</li>
        </ol>
        <p className="gate__hint">Each start of Hearth makes a new token: after a restart, the old address no longer works.</p>
      </div>
    </main>
  );
}

/** A strip above the page while the link to core is down; the page keeps its last data. */
export function ConnectionBanner() {
  const connection = useHearth((state) => state.connection);
  const retry = useHearth((state) => state.retryConnection);
  if (connection === 'reconnecting') {
    return (
      <div className="app__banner">
        <Notice
          tone="warn"
          title="Lost the connection to Hearth"
          action={
            <Button size="sm" onClick={retry}>
              Retry now
            </Button>
          }
        >
          Trying to reconnect. If Hearth was stopped, start it again; what you see here may be out of date.
        </Notice>
      </div>
    );
  }
  if (connection === 'disconnected') {
    return (
      <div className="app__banner">
        <Notice tone="error" title="Disconnected from Hearth">
          Reload the page to connect again.
        </Notice>
      </div>
    );
  }
  return null;
}
