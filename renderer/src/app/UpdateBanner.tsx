import { useEffect, useState } from 'react';
import type { UpdateState } from '../../../common/ipc/groups/update.ts';
import { useCall, useEvent } from '../state/hooks.ts';
import { useClient } from '../state/context.tsx';
import { toCallError } from '../state/store.ts';
import { Button, Notice, ProgressBar } from '../ui/index.ts';

/** "12.4 of 80 MB" (MB with one decimal below 100, whole above). */
export function downloadedText(bytes: number, total: number): string {
  const mb = (n: number) => {
    const v = n / 1e6;
    return v < 100 ? v.toFixed(1) : Math.round(v).toString();
  };
  return total > 0 ? `${mb(bytes)} of ${mb(total)} MB` : `${mb(bytes)} MB`;
}

/**
 * The app's own update, above the page: the download's progress, then "Restart to update".
 * Core refuses to restart during a paid job and says so; nothing shows while Hearth is up
 * to date, checking, or in a shell that does not update itself.
 */
export function UpdateBanner() {
  const client = useClient();
  const initial = useCall('update:status', {});
  const [state, setState] = useState<UpdateState | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [dismissed, setDismissed] = useState<string | null>(null);
  useEffect(() => {
    if (initial.data) setState(initial.data);
  }, [initial.data]);
  useEvent('update:changed', (next) => {
    setState(next);
    setFailure(null);
  });

  const act = (channel: 'update:restart' | 'update:check') => {
    setBusy(true);
    setFailure(null);
    client.call(channel, {}).then(
      (next) => {
        setState(next);
        setBusy(false);
      },
      (error: unknown) => {
        setFailure(toCallError(error).message);
        setBusy(false);
      },
    );
  };

  if (!state) return null;
  if (state.state === 'available' || state.state === 'downloading') {
    const value = state.state === 'downloading' ? state.percent / 100 : null;
    return (
      <div className="app__banner" data-testid="update-banner">
        {/* Not a live region: the progress below changes every few hundred ms and would be read out each time. */}
        <Notice tone="info" title={`Downloading Hearth ${state.version}`} live={false}>
          <ProgressBar
            value={value}
            label="Update"
            detail={state.state === 'downloading' ? `${Math.floor(state.percent)}% · ${downloadedText(state.bytes, state.totalBytes)}` : 'Starting'}
          />
          <p className="update-banner__hint">Hearth keeps working while it downloads.</p>
        </Notice>
      </div>
    );
  }
  if (state.state === 'ready') {
    return (
      <div className="app__banner" data-testid="update-banner">
        <Notice
          tone="info"
          title={`Hearth ${state.version} is ready to install`}
          action={
            <Button variant="primary" size="sm" busy={busy} disabled={state.waitingForJob} onClick={() => act('update:restart')}>
              {state.waitingForJob ? 'Restarting after this job' : 'Restart to update'}
            </Button>
          }
        >
          {state.waitingForJob
            ? 'A paid job is running. Hearth restarts into the new version as soon as it ends, so the job is not lost.'
            : 'Restart to finish updating. It takes a few seconds; Hearth picks up where it left off.'}
          {failure && <p className="update-banner__error">{failure}</p>}
        </Notice>
      </div>
    );
  }
  if (state.state === 'error' && dismissed !== state.message) {
    return (
      <div className="app__banner" data-testid="update-banner">
        <Notice
          tone="warn"
          title="Hearth could not update"
          action={
            <>
              <Button size="sm" busy={busy} onClick={() => act('update:check')}>
                Try again
              </Button>{' '}
              <Button size="sm" variant="ghost" onClick={() => setDismissed(state.message)}>
                Dismiss
              </Button>
            </>
          }
        >
          {state.message}
          {failure && <p className="update-banner__error">{failure}</p>}
        </Notice>
      </div>
    );
  }
  return null;
}
