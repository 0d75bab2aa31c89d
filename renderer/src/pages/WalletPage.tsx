import { NotYet, PageHeader } from '../ui/index.ts';
import { WalletIcon } from '../ui/icons.tsx';

export function WalletPage() {
  return (
    <>
      <PageHeader title="Wallet" description="The account that receives your earnings." />
      <NotYet
        icon={<WalletIcon size={28} />}
        capability="Wallet"
        summary="This page will let you create or import a wallet, lock and unlock it, and see your token balances."
        planned={['Create a new wallet or import an existing one', 'Keep the key encrypted on this machine', 'See balances and recent transactions']}
      />
    </>
  );
}
