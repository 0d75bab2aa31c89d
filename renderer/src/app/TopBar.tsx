import { useHearth } from '../state/context.tsx';
import type { ConnectionState } from '../state/transport.ts';
import { Badge, StatusPill, type PillStatus } from '../ui/index.ts';

const connectionLabel: Record<ConnectionState, { status: PillStatus; text: string; pulse: boolean }> = {
  connecting: { status: 'idle', text: 'Connecting…', pulse: true },
  connected: { status: 'ok', text: 'Connected', pulse: false },
  reconnecting: { status: 'warn', text: 'Reconnecting…', pulse: true },
  unauthorized: { status: 'error', text: 'Not authorised', pulse: false },
  disconnected: { status: 'error', text: 'Disconnected', pulse: false },
};

export function ConnectionPill() {
  const connection = useHearth((state) => state.connection);
  const { status, text, pulse } = connectionLabel[connection];
  return (
    <span role="status" aria-live="polite" data-testid="connection" data-state={connection}>
      <StatusPill status={status} pulse={pulse}>
        {text}
      </StatusPill>
    </span>
  );
}

export function TopBar({ title }: { title: string }) {
  const shell = useHearth((state) => state.status?.shell ?? null);
  return (
    <header className="topbar">
      <div className="topbar__crumbs">
        <span className="topbar__app">Hearth</span>
        <span className="topbar__sep" aria-hidden="true">
          /
        </span>
        <span className="topbar__page">{title}</span>
      </div>
      <div className="topbar__right">
        {shell && <Badge tone="idle">{shell === 'desktop' ? 'Desktop' : 'Daemon'}</Badge>}
        <ConnectionPill />
      </div>
    </header>
  );
}
