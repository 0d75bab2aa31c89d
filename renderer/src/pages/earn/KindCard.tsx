import type { ReactNode } from 'react';
import type { PositionActionKind, PositionsView } from '../../../../common/ipc/groups/positions.ts';
import { Button, Card } from '../../ui/index.ts';
import { actionSpecs } from './actions.ts';

export type OpenAction = (kind: PositionActionKind, classLabel?: string) => void;
export type Kind = 'staking' | 'lending' | 'feePool' | 'liquidity';

/** Why a kind is absent, in core's words; a generic sentence if core gave none. */
export function missingReason(view: PositionsView, kind: Kind): string {
  return view.missing.find((m) => m.kind === kind)?.reason ?? view.missing.find((m) => m.kind === 'all')?.reason ?? 'Hearth has nothing to show here on this network.';
}

/** The buttons that open action dialogs; each names the action it starts. */
export function ActionButtons({ kinds, onAction, disabled = false }: { kinds: readonly PositionActionKind[]; onAction: OpenAction; disabled?: boolean }) {
  return (
    <div className="earn-actions" role="group" aria-label="Actions">
      {kinds.map((kind, i) => (
        <Button key={kind} size="sm" variant={i === 0 ? 'primary' : 'secondary'} disabled={disabled} onClick={() => onAction(kind)}>
          {actionSpecs[kind].title}
        </Button>
      ))}
    </div>
  );
}

/** A position card, or — when the network has no such contract — the reason, never a blank card. */
export function KindCard({ kind, title, description, view, present, children, testId }: { kind: Kind; title: string; description: string; view: PositionsView; present: boolean; children: () => ReactNode; testId: string }) {
  if (!present) {
    return (
      <Card title={title} description={description} data-testid={testId} data-state="missing" className="earn-card earn-card--missing">
        <p className="earn-missing" data-testid={`${testId}-missing`}>
          <span className="earn-missing__label">Not available: </span>
          {missingReason(view, kind)}
        </p>
      </Card>
    );
  }
  return (
    <Card title={title} description={description} data-testid={testId} className="earn-card">
      {children()}
    </Card>
  );
}

/** A risk in plain words, marked by a label and an icon-free heading so it does not rely on colour. */
export function RiskNote({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="earn-risk">
      <p className="earn-risk__title">{title}</p>
      <p className="earn-risk__body">{children}</p>
    </div>
  );
}
