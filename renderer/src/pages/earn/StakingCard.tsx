import type { PositionsView, StakingPosition } from '../../../../common/ipc/groups/positions.ts';
import { Badge, Button, Stat, StatGrid } from '../../ui/index.ts';
import { hrefFor } from '../../app/router.ts';
import { Amount } from './Amount.tsx';
import { delayText, releaseText } from './format.ts';
import { ActionButtons, KindCard, RiskNote, type OpenAction } from './KindCard.tsx';

function ClassTable({ staking, view, onAction }: { staking: StakingPosition; view: PositionsView; onAction: OpenAction }) {
  const t = view.tokenSymbol;
  return (
    <div className="earn-table-wrap">
      <table className="earn-table" data-testid="staking-classes">
        <caption className="visually-hidden">Stake per device class</caption>
        <thead>
          <tr>
            <th scope="col">Class</th>
            <th scope="col">Active</th>
            <th scope="col">Held by open jobs</th>
            <th scope="col">Unbonding</th>
            <th scope="col">Can be withdrawn</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {staking.classes.map((c) => {
            const release = c.releaseAt === null ? null : releaseText(c.releaseAt, view.at);
            const below = c.activeWei !== '0' && BigInt(c.activeWei) < BigInt(c.minStakeWei);
            return (
              <tr key={c.classLabel}>
                <th scope="row">
                  {c.classLabel}
                  <span className="earn-table__sub">
                    minimum <Amount wei={c.minStakeWei} symbol={t} />
                  </span>
                </th>
                <td>
                  <Amount wei={c.activeWei} symbol={t} />
                  {below && (
                    <span className="earn-table__sub">
                      <Badge tone="warn">Below minimum</Badge>
                    </span>
                  )}
                </td>
                <td>
                  <Amount wei={c.lockedWei} symbol={t} />
                </td>
                <td>
                  <Amount wei={c.unbondingWei} symbol={t} />
                </td>
                <td>
                  {release ? (
                    <>
                      {release.ready ? <Badge tone="ok">Ready now</Badge> : release.relative}
                      <span className="earn-table__sub">{release.absolute}</span>
                    </>
                  ) : (
                    <span className="muted">nothing unbonding</span>
                  )}
                </td>
                <td className="earn-table__actions">
                  <Button size="sm" variant="secondary" disabled={c.activeWei === '0'} onClick={() => onAction('unbond', c.classLabel)} aria-label={`Unbond from ${c.classLabel}`}>
                    Unbond
                  </Button>
                  {release?.ready && (
                    <Button size="sm" variant="secondary" onClick={() => onAction('withdraw', c.classLabel)} aria-label={`Withdraw unbonded stake from ${c.classLabel}`}>
                      Withdraw
                    </Button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** Staking: per class active, held by open jobs, unbonding with its release; rewards and slashes. */
export function StakingCard({ view, onAction }: { view: PositionsView; onAction: OpenAction }) {
  const staking = view.staking;
  return (
    <KindCard kind="staking" title="Staking" description="Stake lets this machine take jobs in a class; it earns rewards and backs your results." view={view} present={staking !== null} testId="staking-card">
      {() => {
        const s = staking!;
        const t = view.tokenSymbol;
        return (
          <div className="earn-card__body">
            {!s.registered && (
              <p className="earn-note" data-testid="staking-unregistered">
                This account is not registered as a provider yet. <a href={hrefFor('overview')}>The Overview</a> walks you through registering with a first stake.
              </p>
            )}
            <StatGrid columns={4}>
              <Stat label="Staked" value={<Amount wei={s.totalWei} symbol={t} testId="staking-total" />} hint={s.valueEthWei === null ? undefined : <>≈ <Amount wei={s.valueEthWei} symbol={view.nativeSymbol} /></>} />
              <Stat label="Rewards to claim" value={<Amount wei={s.rewardsWei} symbol={t} testId="staking-rewards" />} />
              <Stat
                label="Slashed"
                value={<Amount wei={s.slashedWei} symbol={t} testId="staking-slashed" />}
                hint={s.slashes === 0 ? 'never' : `${s.slashes} ${s.slashes === 1 ? 'time' : 'times'} since the deployment`}
              />
              <Stat label="Unbonding delay" value={delayText(s.unbondingDelaySeconds)} />
            </StatGrid>
            {s.classes.length > 0 ? <ClassTable staking={s} view={view} onAction={onAction} /> : <p className="muted">This network has no device classes yet.</p>}
            <RiskNote title="Unbonding delay">
              Stake you unbond stops counting at once but stays in the contract for {delayText(s.unbondingDelaySeconds)} before you can withdraw it. Stake held by open jobs cannot be unbonded until
              those jobs close. A wrong or late result is slashed: part of the stake is taken.
            </RiskNote>
            <ActionButtons kinds={['stake', 'claim-rewards']} onAction={onAction} />
          </div>
        );
      }}
    </KindCard>
  );
}
