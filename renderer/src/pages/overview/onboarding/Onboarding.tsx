import { useState, type ReactNode } from 'react';
import type { MarketStatus } from '../../../../../common/ipc/groups/market.ts';
import { hrefFor } from '../../../app/router.ts';
import { useHearth } from '../../../state/context.tsx';
import { Badge, Button, Card } from '../../../ui/index.ts';
import { RegisterStep } from './RegisterStep.tsx';
import { RulesStep } from './RulesStep.tsx';
import { activeStep, anySkipped, onboardingSteps, type OnboardingSteps, type StepId, type StepState } from './steps.ts';

const WALLET_LATER_KEY = 'hearth.onboarding.walletLater';

function readWalletLater(): boolean {
  try {
    return window.sessionStorage.getItem(WALLET_LATER_KEY) === '1';
  } catch {
    return false;
  }
}

const titles: Record<StepId, string> = {
  wallet: 'Set up your wallet',
  provider: 'Register this machine and stake',
  rules: 'Choose devices and when Hearth may work',
};

const stateBadge: Record<StepState, ReactNode> = {
  done: <Badge tone="ok">Done</Badge>,
  skipped: <Badge tone="idle">Later</Badge>,
  todo: <Badge tone="accent">To do</Badge>,
};

/**
 * First run, on the Overview: three steps to earning, the first open one expanded. Not a
 * modal: the rest of the page stays usable, and every step can be put off.
 */
export interface OnboardingFlow {
  steps: OnboardingSteps;
  active: StepId | null;
  later(id: StepId): void;
  resume(): void;
  done(id: 'rules'): void;
}

/** The first-run steps and their actions; the Overview reads `active` to know the card is up. */
export function useOnboarding(status: MarketStatus | null): OnboardingFlow | null {
  const market = useHearth((s) => s.settings?.market);
  const update = useHearth((s) => s.updateSettings);
  const [walletLater, setWalletLater] = useState(readWalletLater);
  if (!status) return null;
  const steps = onboardingSteps(status, market, walletLater);
  const later = (id: StepId) => {
    if (id === 'wallet') {
      try {
        window.sessionStorage.setItem(WALLET_LATER_KEY, '1');
      } catch {
        // No storage: it lasts until the page is left, which is fine for "later".
      }
      setWalletLater(true);
    } else if (id === 'provider') void update({ market: { onboardingProvider: 'skipped' } });
    else void update({ market: { onboardingRules: 'skipped' } });
  };
  const resume = () => {
    try {
      window.sessionStorage.removeItem(WALLET_LATER_KEY);
    } catch {
      // Nothing stored.
    }
    setWalletLater(false);
    const patch: { onboardingProvider?: 'todo'; onboardingRules?: 'todo' } = {};
    if (steps.provider === 'skipped') patch.onboardingProvider = 'todo';
    if (steps.rules === 'skipped') patch.onboardingRules = 'todo';
    if (Object.keys(patch).length > 0) void update({ market: patch });
  };
  return { steps, active: activeStep(steps), later, resume, done: () => void update({ market: { onboardingRules: 'done' } }) };
}

const putOff: Record<StepId, string> = { wallet: 'the wallet', provider: 'registering this machine', rules: 'choosing devices and idle rules' };

/**
 * First run, on the Overview: three steps to earning, the first open one expanded. Not a
 * modal: the rest of the page stays usable, and every step can be put off.
 */
export function Onboarding({ status, flow, onStatus }: { status: MarketStatus; flow: OnboardingFlow; onStatus: (next: MarketStatus) => void }) {
  const { steps, active, later, resume } = flow;

  if (active === null) {
    if (!anySkipped(steps)) return null;
    return (
      <div className="onboarding-resume" data-testid="onboarding-resume">
        <p>
          Put off for later: {(['wallet', 'provider', 'rules'] as const).filter((id) => steps[id] === 'skipped').map((id) => putOff[id]).join(', ')}.
          {steps.wallet === 'skipped' || steps.provider === 'skipped' ? ' Hearth cannot take paid jobs until that is done.' : ''}
        </p>
        <Button size="sm" variant="primary" onClick={resume}>
          Finish setting up
        </Button>
      </div>
    );
  }

  const done = (['wallet', 'provider', 'rules'] as const).filter((id) => steps[id] === 'done').length;
  return (
    <Card
      className="onboarding"
      data-testid="onboarding"
      title="Get ready to earn"
      description={`Three steps and Hearth takes paid jobs while you are away. ${done} of 3 done.`}
    >
      <ol className="onboarding__steps">
        {(['wallet', 'provider', 'rules'] as const).map((id, index) => (
          <li key={id} className={`onboarding__step${id === active ? ' is-active' : ''}`} data-step={id} data-state={steps[id]} aria-current={id === active ? 'step' : undefined}>
            <div className="onboarding__step-head">
              <span className="onboarding__number" aria-hidden="true">
                {index + 1}
              </span>
              <h3 className="onboarding__title">{titles[id]}</h3>
              {stateBadge[steps[id]]}
            </div>
            {id === active && (
              <div className="onboarding__body">
                {id === 'wallet' && <WalletStep onLater={() => later('wallet')} />}
                {id === 'provider' && <RegisterStep status={status} onStatus={onStatus} onLater={() => later('provider')} />}
                {id === 'rules' && <RulesStep onDone={() => flow.done('rules')} onLater={() => later('rules')} />}
              </div>
            )}
          </li>
        ))}
      </ol>
    </Card>
  );
}

function WalletStep({ onLater }: { onLater: () => void }) {
  return (
    <>
      <p className="onboarding__text">
        Hearth pays what this machine earns into a wallet on this computer. Create a new one (you write down 12 words) or import one you already have. Its key
        is encrypted with your password and never leaves this computer.
      </p>
      <div className="onboarding__actions">
        <a className="btn btn--primary btn--md" href={hrefFor('wallet')}>
          <span className="btn__label">Create or import a wallet</span>
        </a>
        <Button variant="ghost" onClick={onLater}>
          Later
        </Button>
      </div>
    </>
  );
}
