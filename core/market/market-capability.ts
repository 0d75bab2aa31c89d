/**
 * `market:*`: the market agent, the ledger and provider registration, composed.
 * (First cut: the calls exist so the pages can be built; the agent lands next.)
 */
import { HearthError } from '../../common/errors.ts';
import type { AllHandlers, Capability } from '../capability.ts';

type MarketHandlers = Pick<
  AllHandlers,
  'market:status' | 'market:jobs' | 'market:job' | 'market:earnings' | 'market:preview-register' | 'market:register' | 'market:reconcile'
>;

const notYet = (): never => {
  throw new HearthError('market_unavailable', 'The job market is not connected in this build yet.');
};

export function createMarketCapability() {
  const handlers: MarketHandlers = {
    'market:status': notYet,
    'market:jobs': notYet,
    'market:job': notYet,
    'market:earnings': notYet,
    'market:preview-register': notYet,
    'market:register': notYet,
    'market:reconcile': notYet,
  };
  return { handlers } satisfies Capability;
}
