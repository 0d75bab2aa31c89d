import type { PositionPreview } from '../../../../common/ipc/groups/positions.ts';
import { Notice } from '../../ui/index.ts';
import { Amount } from './Amount.tsx';
import { bpsText } from './format.ts';

/** What an action would do: the transactions, the fees, the figures it changes and the risks, in words. */
export function PreviewPanel({ preview, nativeSymbol }: { preview: PositionPreview; nativeSymbol: string }) {
  const slippage = 'slippageBps' in preview.action ? preview.action.slippageBps : null;
  return (
    <div className="earn-preview" data-testid="action-preview">
      {preview.problem && (
        <Notice tone="warn" title="This cannot go through as it is">
          <span data-testid="preview-problem">{preview.problem}</span>
        </Notice>
      )}
      {preview.changes.length > 0 && (
        <table className="earn-preview__changes">
          <caption className="earn-preview__caption">What changes</caption>
          <thead>
            <tr>
              <th scope="col">Figure</th>
              <th scope="col">Now</th>
              <th scope="col">After</th>
            </tr>
          </thead>
          <tbody>
            {preview.changes.map((c) => (
              <tr key={c.label}>
                <th scope="row">{c.label}</th>
                <td>{c.before}</td>
                <td>
                  <span className="earn-preview__arrow" aria-hidden="true">
                    →{' '}
                  </span>
                  {c.after}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <dl className="earn-preview__facts">
        {preview.minimumReceived !== null && (
          <div>
            <dt>Least accepted</dt>
            <dd data-testid="preview-minimum">
              {preview.minimumReceived}
              {/* Core's sentence may already name the slippage: say it once. */}
              {slippage !== null &&
                (/slippage/i.test(preview.minimumReceived) ? (
                  <span className="muted"> Below this the transaction is cancelled.</span>
                ) : (
                  <span className="muted"> (slippage {bpsText(slippage)}: below this the transaction is cancelled)</span>
                ))}
            </dd>
          </div>
        )}
        <div>
          <dt>Network fees</dt>
          <dd>
            about <Amount wei={preview.estimatedGasWei} symbol={nativeSymbol} />
            <span className="muted">
              {' '}
              (at most <Amount wei={preview.maxGasWei} symbol={nativeSymbol} />)
            </span>
          </dd>
        </div>
      </dl>
      {preview.steps.length > 0 && (
        <div>
          <p className="earn-preview__lead">
            Confirming sends {preview.steps.length === 1 ? 'this transaction' : `these ${preview.steps.length} transactions, one after the other`}:
          </p>
          <ol className="earn-preview__steps">
            {preview.steps.map((step, i) => (
              <li key={`${i}-${step}`}>{step}</li>
            ))}
          </ol>
        </div>
      )}
      {preview.risks.length > 0 && (
        <div className="earn-preview__risks" data-testid="preview-risks">
          <p className="earn-preview__lead">
            <strong>Before you confirm</strong>
          </p>
          <ul>
            {preview.risks.map((risk) => (
              <li key={risk}>{risk}</li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
