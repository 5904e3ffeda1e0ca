/**
 * The unmatched-scans inbox: failed scans grouped by their normalized data (the barcode
 * hash), with how often, when and by whom they were scanned, to link to an object or dismiss.
 *
 * It reads GET /api/barcode/unmatched/ (a plain list, or a page with ?limit) whose groups are
 *   {data, normalized, count, first_seen, last_seen, users: [{pk, username}], endpoints: [path],
 *    last_error}
 * (`data` as last scanned, `normalized` after the server's scan repair), links with
 * POST /api/barcode/link/ and dismisses with POST /api/barcode/unmatched/dismiss/
 * {"data": normalized}. A server without the inbox answers 404: the page says so.
 */
import { useEffect, useState } from 'react';
import { ApiError, errorText, get, post, qs, type Json, type JsonObject } from '../api';
import { ConfirmButton, ErrorBox, Loading, Notice, Page, Pager, SearchToolbar } from '../components/ui';
import { MODELS, describeObject, matchedObjects, webUrl, type ModelType } from '../models';
import { Link } from '../router';
import { feedback } from '../scan/feedback';
import { ControlText } from '../scan/ControlText';
import { prepareScan, shorten, visible } from '../scan/text';
import { sendScan } from '../scan/process';
import { ScanInput } from '../scan/ScanInput';

const PAGE_SIZE = 50;
const str = (v: Json | undefined) => (v === null || v === undefined ? '' : String(v));

export interface UnmatchedGroup {
  data: string;
  normalized: string;
  count: number;
  firstSeen: string;
  lastSeen: string;
  users: string[];
  endpoints: string[];
  lastError: string;
}

function toGroup(row: JsonObject): UnmatchedGroup {
  const users = Array.isArray(row.users) ? row.users.map((u) => (typeof u === 'object' && u !== null && !Array.isArray(u) ? str(u.username) : str(u))) : [];
  const endpoints = Array.isArray(row.endpoints) ? row.endpoints.map((e) => str(e)) : [];
  return {
    data: str(row.data),
    normalized: str(row.normalized ?? row.data),
    count: Number(row.count ?? 0),
    firstSeen: str(row.first_seen),
    lastSeen: str(row.last_seen),
    users,
    endpoints,
    lastError: str(row.last_error),
  };
}

function when(text: string): string {
  const d = new Date(text.includes('T') || text.length > 16 ? text : text.replace(' ', 'T'));
  return Number.isNaN(d.getTime()) ? text : d.toLocaleString();
}

type State = { kind: 'loading' } | { kind: 'missing' } | { kind: 'error'; message: string } | { kind: 'ready'; groups: UnmatchedGroup[]; count: number };

export function UnmatchedPage() {
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [search, setSearch] = useState('');
  const [offset, setOffset] = useState(0);
  const [tick, setTick] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    get<Json>(`/api/barcode/unmatched/${qs({ limit: PAGE_SIZE, offset, search })}`, controller.signal)
      .then((body) => {
        const page = typeof body === 'object' && body !== null && !Array.isArray(body) && Array.isArray(body.results) ? body : undefined;
        const rows = (page !== undefined ? (page.results as Json[]) : Array.isArray(body) ? body : []).filter(
          (r): r is JsonObject => typeof r === 'object' && r !== null && !Array.isArray(r),
        );
        setState({ kind: 'ready', groups: rows.map(toGroup), count: page !== undefined ? Number(page.count ?? rows.length) : rows.length });
      })
      .catch((e: unknown) => {
        if ((e as Error).name === 'AbortError') return;
        if (e instanceof ApiError && e.status === 404) setState({ kind: 'missing' });
        else setState({ kind: 'error', message: errorText(e) });
      });
    return () => controller.abort();
  }, [offset, search, tick]);

  const reload = (message?: string) => {
    if (message !== undefined) setNotice(message);
    setTick((t) => t + 1);
  };

  if (state.kind === 'missing') {
    return (
      <Page title="Unmatched scans">
        <div className="notice info" role="status" data-testid="unmatched-missing">
          <p>
            <strong>The unmatched-scans inbox is not available on this server.</strong>
          </p>
          <p>
            This Stockscan does not offer it yet. Failed scans are still kept: see them in the <Link to="/web/history">scan history</Link> (filter “Failed”).
          </p>
        </div>
      </Page>
    );
  }

  return (
    <Page title="Unmatched scans">
      <p>Barcodes that were scanned but found nothing, grouped by their data. Link each to the object it belongs to, or dismiss it.</p>
      <SearchToolbar
        onSearch={(text) => {
          setOffset(0);
          setSearch(text);
        }}
      />
      {notice !== null && <Notice>{notice}</Notice>}
      {state.kind === 'loading' && <Loading />}
      {state.kind === 'error' && <ErrorBox error={state.message} />}
      {state.kind === 'ready' &&
        (state.groups.length === 0 ? (
          <p>Nothing waiting: every scanned barcode was found.</p>
        ) : (
          <>
            <ul className="inbox">
              {state.groups.map((g) => (
                <InboxItem key={g.normalized} group={g} onChanged={reload} />
              ))}
            </ul>
            {state.count > PAGE_SIZE && (
              <Pager label="Pages of the inbox" offset={offset} count={state.count} pageSize={PAGE_SIZE} onOffset={setOffset} previous="Previous page" next="Next page" />
            )}
          </>
        ))}
    </Page>
  );
}

function InboxItem({ group, onChanged }: { group: UnmatchedGroup; onChanged(message?: string): void }) {
  const [linking, setLinking] = useState(false);
  const [type, setType] = useState<ModelType>('part');
  const [pk, setPk] = useState('');
  const [error, setError] = useState<string | null>(null);

  const dismiss = async () => {
    await post('/api/barcode/unmatched/dismiss/', { data: group.normalized });
  };

  const linkTo = async (model: ModelType, objectPk: number, name: string) => {
    setError(null);
    const reply = await sendScan('/api/barcode/link/', { barcode: group.data, [model]: objectPk });
    if (reply.error !== undefined) {
      setError(reply.error);
      feedback('error');
      return;
    }
    feedback('ok');
    try {
      await dismiss();
    } catch {
      // The inbox may already leave out linked barcodes.
    }
    onChanged(`Linked ${shorten(group.data, 40)} to ${name}.`);
  };

  const byScan = async (raw: string) => {
    setError(null);
    const reply = await sendScan('/api/barcode/', { barcode: prepareScan(raw).data });
    const found = matchedObjects(reply.answer)[0];
    if (reply.error !== undefined || found === undefined) {
      setError(reply.error ?? 'That barcode does not point at anything. Scan the object’s Stockscan label.');
      feedback('error');
      return;
    }
    await linkTo(found.model.type, found.pk, `${found.model.label} ${describeObject(found)}`);
  };

  const label = `barcode ${shorten(group.data, 40)}`;
  return (
    <li className="inbox-item panel">
      <p className="entry-data" title={visible(group.data)}>
        <ControlText text={group.data} max={120} />
      </p>
      <dl className="fields compact">
        <div>
          <dt>Scanned</dt>
          <dd>{group.count === 1 ? 'once' : `${group.count} times`}</dd>
        </div>
        <div>
          <dt>First</dt>
          <dd>{when(group.firstSeen)}</dd>
        </div>
        <div>
          <dt>Last</dt>
          <dd>{when(group.lastSeen)}</dd>
        </div>
        {group.users.length > 0 && (
          <div>
            <dt>By</dt>
            <dd>{group.users.join(', ')}</dd>
          </div>
        )}
        {group.endpoints.length > 0 && (
          <div>
            <dt>Where</dt>
            <dd>{group.endpoints.join(', ')}</dd>
          </div>
        )}
        {group.lastError !== '' && (
          <div>
            <dt>Answer</dt>
            <dd>{group.lastError}</dd>
          </div>
        )}
      </dl>
      <div className="button-row">
        <button type="button" aria-expanded={linking} onClick={() => setLinking((l) => !l)} aria-label={`Link ${label}`}>
          {linking ? 'Cancel' : 'Link…'}
        </button>
        <ConfirmButton
          label="Dismiss"
          ariaLabel={`Dismiss ${label}`}
          question={`Dismiss ${label}?`}
          confirmLabel="Dismiss"
          onConfirm={async () => {
            try {
              await dismiss();
              onChanged(`Dismissed ${shorten(group.data, 40)}.`);
            } catch (e) {
              setError(errorText(e));
            }
          }}
        />
      </div>
      {linking && (
        <div className="link-choices">
          <ScanInput onScan={(raw) => void byScan(raw)} label="Scan the Stockscan label of the object it belongs to" />
          <form
            className="toolbar"
            onSubmit={(e) => {
              e.preventDefault();
              const n = Number(pk);
              if (Number.isInteger(n) && n > 0) void linkTo(type, n, `${MODELS.find((m) => m.type === type)?.label ?? type} ${n}`);
            }}
          >
            <span>or choose it:</span>
            <label>
              Kind{' '}
              <select value={type} onChange={(e) => setType(e.target.value as ModelType)}>
                {MODELS.map((m) => (
                  <option key={m.type} value={m.type}>
                    {m.label}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Number{' '}
              <input type="number" min="1" inputMode="numeric" value={pk} onChange={(e) => setPk(e.target.value)} required />
            </label>
            <button type="submit">Link</button>
            {Number(pk) > 0 && (
              <Link to={webUrl(type, Number(pk))} target="_blank">
                Check it
              </Link>
            )}
          </form>
        </div>
      )}
      <ErrorBox error={error} />
    </li>
  );
}
