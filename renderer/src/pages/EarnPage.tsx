import { NotYet, PageHeader } from '../ui/index.ts';
import { EarnIcon } from '../ui/icons.tsx';

export function EarnPage() {
  return (
    <>
      <PageHeader title="Earn" description="Staking, lending and pool positions on the network." />
      <NotYet
        icon={<EarnIcon size={28} />}
        capability="Earning"
        summary="This page will show your stake, your lending and pool positions, and what they have earned."
        planned={['Stake to register this machine as a provider', 'Lend tokens or join the fee pool', 'Track rewards over time']}
      />
    </>
  );
}
