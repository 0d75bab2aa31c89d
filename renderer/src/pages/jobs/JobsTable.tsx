import type { MarketJobView } from '../../../../common/ipc/groups/market.ts';
import { StatusPill } from '../../ui/index.ts';
import { exactToken, TOKEN_DECIMALS, TOKEN_SYMBOL } from '../market/format.ts';
import { formatUnits } from '../wallet/format.ts';
import { formatWhen, jobStateLook } from './job-words.ts';

/** The job history as a table; the job id is a button that opens the detail panel. */
export function JobsTable({ jobs, selected, onSelect }: { jobs: readonly MarketJobView[]; selected: string | null; onSelect: (key: string) => void }) {
  return (
    <div className="jobs-table__scroll">
      <table className="jobs-table" data-testid="jobs-table">
        <caption className="visually-hidden">Jobs, newest first. Choose a job id to see its details.</caption>
        <thead>
          <tr>
            <th scope="col">Job</th>
            <th scope="col">Model</th>
            <th scope="col" className="num is-optional">
              Units
            </th>
            <th scope="col" className="num is-optional">
              Price / unit ({TOKEN_SYMBOL})
            </th>
            <th scope="col">State</th>
            <th scope="col" className="num">
              Earned ({TOKEN_SYMBOL})
            </th>
            <th scope="col">When</th>
          </tr>
        </thead>
        <tbody>
          {jobs.map((job) => {
            const look = jobStateLook[job.state];
            const isSelected = job.key === selected;
            return (
              <tr key={job.key} className={isSelected ? 'is-selected' : undefined} data-key={job.key}>
                <th scope="row">
                  {/* aria-controls only while the detail panel is on the page: a reference to a missing id is invalid. */}
                  <button type="button" className="jobs-table__open" aria-pressed={isSelected} aria-controls={selected !== null ? 'job-detail' : undefined} onClick={() => onSelect(job.key)}>
                    #{job.jobId}
                  </button>
                </th>
                <td className="jobs-table__model">{job.model}</td>
                <td className="num is-optional">{job.units}</td>
                <td className="num is-optional">{formatUnits(job.pricePerUnitWei ?? job.maxPricePerUnitWei, TOKEN_DECIMALS, 6)}</td>
                <td>
                  <StatusPill status={look.pill}>{look.label}</StatusPill>
                </td>
                <td className="num" data-testid="job-row-earned" data-wei={job.earnedWei ?? undefined} title={job.earnedWei === null ? undefined : exactToken(job.earnedWei)}>
                  {job.earnedWei === null ? <span className="muted">—</span> : formatUnits(job.earnedWei, TOKEN_DECIMALS, 4)}
                </td>
                <td>
                  <time dateTime={new Date(job.seenAt).toISOString()}>{formatWhen(job.seenAt, Date.now(), false)}</time>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
