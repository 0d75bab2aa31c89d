import { useEffect, useRef } from 'react';
import type { MarketJobDetail, MarketJobEvent, MarketJobState } from '../../../../common/ipc/groups/market.ts';
import { useCall } from '../../state/hooks.ts';
import { Button, Card, Notice, Spinner, StatusPill } from '../../ui/index.ts';
import { exactToken, formatGas, formatToken } from '../market/format.ts';
import { formatUnits, shortHash } from '../wallet/format.ts';
import { eventLabel, formatRunTime, formatWhen, jobStateLook, problemFallback, reasonTitle } from './job-words.ts';

/** One job's story: why it ended as it did, each step with its time, and what it cost in gas. */
export function JobDetail({ jobKey, refreshKey, onClose }: { jobKey: string; refreshKey: number; onClose: () => void }) {
  const detail = useCall('market:job', { key: jobKey });
  const { refresh } = detail;
  // A new status event may have moved this job on: refetch when the list refreshes.
  useRefetch(refreshKey, refresh);
  const job = detail.data;
  return (
    <Card
      id="job-detail"
      className="job-detail"
      data-testid="job-detail"
      title={job ? `Job #${job.jobId}` : 'Job'}
      description={job ? `${job.model} · ${job.units} units · ${job.classLabel}` : undefined}
      actions={
        <Button size="sm" variant="ghost" aria-label="Close job details" onClick={onClose}>
          Close
        </Button>
      }
    >
      {detail.error ? (
        <Notice tone="error" title="Could not read this job">
          {detail.error.message}
        </Notice>
      ) : !job || job.key !== jobKey ? (
        <div className="loading-row">
          <Spinner /> Loading the job…
        </div>
      ) : (
        <DetailBody job={job} />
      )}
    </Card>
  );
}

function useRefetch(key: number, refresh: () => void) {
  const last = useRef(key);
  useEffect(() => {
    if (last.current !== key) {
      last.current = key;
      refresh();
    }
  }, [key, refresh]);
}

function DetailBody({ job }: { job: MarketJobDetail }) {
  const look = jobStateLook[job.state];
  const fallback = problemFallback[job.state];
  const reason = fallback !== undefined ? (job.reason ?? fallback) : null;
  const gasTotal = job.txs.reduce((t, tx) => t + BigInt(tx.gasWei ?? '0'), 0n).toString();
  return (
    <div className="job-detail__body">
      <p className="job-detail__state">
        <StatusPill status={look.pill}>{look.label}</StatusPill>
      </p>
      {reason !== null && (
        <Notice tone={look.pill === 'error' ? 'error' : look.pill === 'warn' ? 'warn' : 'info'} title={reasonTitle[job.state] ?? 'Why'}>
          <span data-testid="job-reason">{reason}</span>
        </Notice>
      )}
      <dl className="job-detail__facts">
        <div>
          <dt>Price per unit</dt>
          <dd>{job.pricePerUnitWei ? formatToken(job.pricePerUnitWei, 6) : `up to ${formatToken(job.maxPricePerUnitWei, 6)}`}</dd>
        </div>
        <div>
          <dt>Earned</dt>
          <dd data-testid="job-earned" data-wei={job.earnedWei ?? undefined} title={job.earnedWei ? exactToken(job.earnedWei) : undefined}>
            {job.earnedWei ? formatToken(job.earnedWei) : '—'}
          </dd>
        </div>
        {job.feeWei && (
          <div>
            <dt>Protocol fee</dt>
            <dd>{formatToken(job.feeWei)}</dd>
          </div>
        )}
        <div>
          <dt>Network fees</dt>
          <dd>{formatGas(job.gasWei)}</dd>
        </div>
        {job.deviceId && (
          <div>
            <dt>Ran on</dt>
            <dd>
              {job.deviceId}
              {job.executionProvider ? ` with ${job.executionProvider.toUpperCase()}` : ''}
              {job.runMs !== null ? ` in ${formatRunTime(job.runMs)}` : ''}
            </dd>
          </div>
        )}
        <div>
          <dt>Deadline</dt>
          <dd>{formatWhen(job.deadline)}</dd>
        </div>
      </dl>

      <h3 className="job-detail__heading">Timeline</h3>
      <ol className="job-timeline" data-testid="job-timeline">
        {timelineSteps(job.events).map((step, i) => (
          <li key={`${step.state}-${step.at}-${i}`} className={`job-timeline__item tone--${jobStateLook[step.state].pill}`} data-state={step.state}>
            <span className="job-timeline__dot" aria-hidden="true" />
            <div>
              <p className="job-timeline__title">
                {eventLabel[step.state]}
                {step.state === 'running' && job.runMs !== null ? ` for ${formatRunTime(job.runMs)}` : ''}{' '}
                <time className="job-timeline__time" dateTime={new Date(step.at).toISOString()}>
                  {formatWhen(step.at)}
                </time>
              </p>
              {step.details.map((detail, j) => (
                <p key={j} className="job-timeline__detail">
                  {detail}
                </p>
              ))}
            </div>
          </li>
        ))}
      </ol>

      <h3 className="job-detail__heading">Transactions</h3>
      {job.txs.length === 0 ? (
        <p className="muted">None: Hearth sent nothing to the chain for this job.</p>
      ) : (
        <table className="job-txs" data-testid="job-txs">
          <caption className="visually-hidden">Transactions for job {job.jobId}, total fees {formatGas(gasTotal)}</caption>
          <thead>
            <tr>
              <th scope="col">Step</th>
              <th scope="col">Status</th>
              <th scope="col" className="num">
                Gas
              </th>
              <th scope="col" className="num">
                Fee (ETH)
              </th>
            </tr>
          </thead>
          <tbody>
            {job.txs.map((tx) => (
              <tr key={tx.hash}>
                <th scope="row">
                  {tx.label}
                  <span className="job-txs__hash" title={tx.hash}>
                    {shortHash(tx.hash, 4)}
                    {tx.blockNumber !== null ? ` · block ${tx.blockNumber}` : ''}
                  </span>
                </th>
                <td>{tx.status}</td>
                <td className="num">{tx.gasUsed ?? '—'}</td>
                <td className="num">{tx.gasWei ? formatUnits(tx.gasWei, 18, 6) : '—'}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colSpan={3}>
                Total fees
              </th>
              <td className="num">{formatUnits(gasTotal, 18, 6)}</td>
            </tr>
          </tfoot>
        </table>
      )}
    </div>
  );
}

/** The ledger notes a step when it starts and again when it ends: one timeline entry per step, with every note under it. */
export function timelineSteps(events: readonly MarketJobEvent[]): { state: MarketJobState; at: number; details: string[] }[] {
  const steps: { state: MarketJobState; at: number; details: string[] }[] = [];
  for (const event of events) {
    const last = steps.at(-1);
    if (last && last.state === event.state) {
      if (event.detail && !last.details.includes(event.detail)) last.details.push(event.detail);
    } else {
      steps.push({ state: event.state, at: event.at, details: event.detail ? [event.detail] : [] });
    }
  }
  return steps;
}
