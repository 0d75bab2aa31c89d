import type { MarketStatus } from '../../../../../common/ipc/groups/market.ts';
import type { MarketSettings } from '../../../../../common/settings.ts';

export type StepState = 'todo' | 'done' | 'skipped';
export type StepId = 'wallet' | 'provider' | 'rules';

export interface OnboardingSteps {
  wallet: StepState;
  provider: StepState;
  rules: StepState;
}

/**
 * The steps as the user sees them: core's status says what is done; the settings say
 * what the user put off, and win over core's copy for a moment after a click so the
 * card does not wait for the next status event. The wallet has no setting: "Later" on
 * it lasts for this session only (`walletLater`).
 */
export function onboardingSteps(status: MarketStatus, market: MarketSettings | undefined, walletLater: boolean): OnboardingSteps {
  const pick = (fromStatus: StepState, fromSettings: StepState | undefined): StepState =>
    fromStatus === 'done' ? 'done' : fromSettings === 'done' ? 'done' : fromSettings === 'skipped' ? 'skipped' : fromStatus === 'skipped' ? 'skipped' : 'todo';
  return {
    wallet: status.onboarding.wallet === 'done' ? 'done' : walletLater ? 'skipped' : 'todo',
    provider: status.registered && status.classes.some((c) => c.eligible) ? 'done' : pick(status.onboarding.provider, market?.onboardingProvider),
    rules: pick(status.onboarding.rules, market?.onboardingRules),
  };
}

/** The step to show open: the first one still to do. */
export function activeStep(steps: OnboardingSteps): StepId | null {
  return (['wallet', 'provider', 'rules'] as const).find((id) => steps[id] === 'todo') ?? null;
}

export function anySkipped(steps: OnboardingSteps): boolean {
  return steps.wallet === 'skipped' || steps.provider === 'skipped' || steps.rules === 'skipped';
}
