/** The running list of scans and what became of each (newest first). */
import { Link } from '../router';
import { describeObject, webUrl } from '../models';
import type { ScanEntry } from './process';
import { ControlText } from './ControlText';
import { visible } from './text';

const STATE_LABEL = { pending: 'Working', ok: 'Done', warn: 'Needs a decision', error: 'Failed' } as const;

export function ScanLog({ entries, title = 'Scans', onClear }: { entries: ScanEntry[]; title?: string; onClear?: () => void }) {
  return (
    <section className="scan-log" aria-label={title}>
      <div className="section-head">
        <h2>{title}</h2>
        {onClear !== undefined && entries.length > 0 && (
          <button type="button" className="small" onClick={onClear}>
            Clear list
          </button>
        )}
      </div>
      {entries.length === 0 ? (
        <p className="hint">Nothing scanned yet.</p>
      ) : (
        <ol className="entries" aria-live="polite">
          {entries.map((e) => (
            <li key={e.id} className={`entry ${e.state}`} data-state={e.state}>
              <div className="entry-head">
                <span className={`badge ${e.state}`}>{STATE_LABEL[e.state]}</span>
                <time dateTime={e.at.toISOString()}>{e.at.toLocaleTimeString()}</time>
              </div>
              <p className="entry-data" title={visible(e.raw)}>
                <ControlText text={e.data} max={160} />
              </p>
              <p className="entry-message">{e.message}</p>
              {e.objects.length > 0 && (
                <ul className="matches">
                  {e.objects.map((o) => (
                    <li key={`${o.model.type}-${o.pk}`}>
                      {o.model.label}: <Link to={webUrl(o.model.type, o.pk)}>{describeObject(o)}</Link>
                    </li>
                  ))}
                </ul>
              )}
              {e.repairs.length > 0 && (
                <div className="repairs">
                  <span>Repaired before sending:</span>
                  <ul>
                    {e.repairs.map((r, i) => (
                      <li key={i}>{r.detail}</li>
                    ))}
                  </ul>
                </div>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
