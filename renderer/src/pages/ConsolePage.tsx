import { NotYet, PageHeader } from '../ui/index.ts';
import { ConsoleIcon } from '../ui/icons.tsx';

export function ConsolePage() {
  return (
    <>
      <PageHeader title="Console" description="A terminal and Hearth's log, for when you want to look under the hood." />
      <NotYet
        icon={<ConsoleIcon size={28} />}
        capability="Console"
        summary="This page will host a terminal on this machine and a live view of Hearth's log."
        planned={['Run commands without leaving the app', 'Follow the log as it is written', 'Copy diagnostics for a bug report']}
      />
    </>
  );
}
