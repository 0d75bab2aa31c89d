import { NotYet, PageHeader } from '../ui/index.ts';
import { JobsIcon } from '../ui/icons.tsx';

export function JobsPage() {
  return (
    <>
      <PageHeader title="Jobs" description="The inference jobs this machine has run for the network." />
      <NotYet
        icon={<JobsIcon size={28} />}
        capability="Jobs"
        summary="This page will show the job running now and the history of every job: model, duration, result and payment."
        planned={['Follow the job running now, step by step', 'Browse and filter past jobs', 'See what each job paid and when']}
      />
    </>
  );
}
