import { useState } from 'react';
import { hrefFor } from '../../app/router.ts';
import { Button, Card, EmptyState, Notice, PageHeader, Spinner } from '../../ui/index.ts';
import { JobsIcon } from '../../ui/icons.tsx';
import { JobDetail } from './JobDetail.tsx';
import { JobsTable } from './JobsTable.tsx';
import { useJobs, type JobsFilter } from './use-jobs.ts';

const filters: readonly { id: JobsFilter; label: string }[] = [
  { id: 'all', label: 'All' },
  { id: 'active', label: 'Active' },
  { id: 'paid', label: 'Paid' },
  { id: 'declined', label: 'Declined' },
  { id: 'problems', label: 'Problems' },
];

/** Every market job this machine has seen: filter, search, page, and open one for its story. */
export function JobsPage() {
  const list = useJobs();
  const [selected, setSelected] = useState<string | null>(null);
  const narrowed = list.filter !== 'all' || list.query !== '';
  return (
    <>
      <PageHeader title="Jobs" description="The paid jobs this machine has seen on the market, what it did with each, and what it earned." />
      <div className="jobs-toolbar">
        <div
          className="jobs-tabs"
          role="tablist"
          aria-label="Show jobs"
          onKeyDown={(event) => {
            // Arrow keys move between tabs (one tab stop for the group, as ARIA tabs expect).
            const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
            if (step === 0) return;
            const index = filters.findIndex((f) => f.id === list.filter);
            const next = filters[(index + step + filters.length) % filters.length]!;
            list.setFilter(next.id);
            document.getElementById(`jobs-tab-${next.id}`)?.focus();
          }}
        >
          {filters.map((f) => (
            <button
              key={f.id}
              type="button"
              role="tab"
              id={`jobs-tab-${f.id}`}
              aria-selected={list.filter === f.id}
              tabIndex={list.filter === f.id ? 0 : -1}
              aria-controls="jobs-panel"
              className={`jobs-tabs__tab${list.filter === f.id ? ' is-active' : ''}`}
              onClick={() => list.setFilter(f.id)}
            >
              {f.label}
            </button>
          ))}
        </div>
        <div className="jobs-search">
          <label className="visually-hidden" htmlFor="jobs-search">
            Search jobs
          </label>
          <input id="jobs-search" className="input" type="search" placeholder="Search by job id, model or requester" value={list.search} onChange={(e) => list.setSearch(e.target.value)} />
        </div>
      </div>
      {list.error && <Notice tone={list.error.code === 'market_unavailable' ? 'info' : 'error'} title="Could not read the jobs">{list.error.message}</Notice>}
      <div id="jobs-panel" role="tabpanel" aria-labelledby={`jobs-tab-${list.filter}`} className={`jobs-layout${selected ? ' has-detail' : ''}`}>
        <Card flush className="jobs-list">
          {list.loading ? (
            <div className="loading-row jobs-list__loading">
              <Spinner /> Loading jobs…
            </div>
          ) : list.jobs.length === 0 ? (
            narrowed ? (
              <EmptyState icon={<JobsIcon size={28} />} title="No jobs match">
                <p>Nothing {list.filter === 'all' ? '' : `in “${filters.find((f) => f.id === list.filter)?.label}” `}matches{list.query ? ` “${list.query}”` : ''}. Try another tab or clear the search.</p>
              </EmptyState>
            ) : (
              <EmptyState icon={<JobsIcon size={28} />} title="No jobs yet" action={<a href={hrefFor('overview')}>Check the setup on the Overview</a>}>
                <p data-testid="jobs-empty">
                  Jobs appear here as soon as Hearth sees them on the market. That needs a wallet that is unlocked, this machine registered and staked in a class,
                  and the computer idle. Every job it sees is listed, including the ones it declines and why.
                </p>
              </EmptyState>
            )
          ) : (
            <>
              <JobsTable jobs={list.jobs} selected={selected} onSelect={(key) => setSelected((current) => (current === key ? null : key))} />
              <div className="jobs-list__footer">
                <span className="muted" data-testid="jobs-count" aria-live="polite">
                  Showing {list.jobs.length} of {list.total}
                </span>
                {list.jobs.length < list.total && (
                  <Button size="sm" busy={list.loadingMore} onClick={list.loadMore}>
                    Load more
                  </Button>
                )}
              </div>
            </>
          )}
        </Card>
        {selected && <JobDetail jobKey={selected} refreshKey={list.tick} onClose={() => setSelected(null)} />}
      </div>
    </>
  );
}
