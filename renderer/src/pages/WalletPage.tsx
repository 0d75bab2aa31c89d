import { useRef } from 'react';
import { Card, Notice, PageHeader, Spinner, useRefocus } from '../ui/index.ts';
import { AccountCard } from './wallet/AccountCard.tsx';
import { ActivityCard } from './wallet/ActivityCard.tsx';
import { NetworkCard } from './wallet/NetworkCard.tsx';
import { SendCard } from './wallet/SendCard.tsx';
import { SetupCard } from './wallet/SetupCard.tsx';
import { useWallet } from './wallet/use-wallet.ts';

/** Wallet: set up, unlock, balances, send, history and network. Core holds the keys; this page only sees WalletStatus. */
export function WalletPage() {
  const data = useWallet();
  const { wallet } = data;
  // The set-up card gives way to the account once the wallet is saved: focus goes to the account.
  const main = useRef<HTMLDivElement>(null);
  useRefocus(wallet?.exists, main, () => main.current?.querySelector<HTMLElement>('[data-focus="account"]'));
  return (
    <>
      <PageHeader title="Wallet" description="The account that receives your earnings." />
      {data.error && <Notice tone="error" title="Hearth could not read the wallet">{data.error.message}</Notice>}
      {!wallet ? (
        <Card>
          <p className="wallet-muted">
            <Spinner size={16} /> Loading the wallet…
          </p>
        </Card>
      ) : (
        <div className="wallet-page">
          <div className="wallet-page__main" ref={main}>
            {wallet.exists ? (
              <>
                <AccountCard data={data} />
                <SendCard data={data} />
                <ActivityCard data={data} />
              </>
            ) : (
              <SetupCard data={data} />
            )}
          </div>
          <div className="wallet-page__side">
            <NetworkCard data={data} />
          </div>
        </div>
      )}
    </>
  );
}
