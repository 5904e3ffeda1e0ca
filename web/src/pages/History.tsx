/**
 * Scan history (GET /api/barcode/history/): filter, search, sort, page through; staff can
 * delete rows one by one, the selected ones, or every failed scan. Other users see their own
 * scans only (decision D5).
 */
import { useState } from 'react';
import { del, errorText, qs, type Json, type JsonObject, type Page as ApiPage } from '../api';
import { useAuth } from '../auth';
import { ConfirmButton, ErrorBox, Loading, Notice, Page, Pager, SearchToolbar } from '../components/ui';
import { ControlText } from '../scan/ControlText';
import { visible } from '../scan/text';
import { useData } from '../useData';

const PAGE_SIZE = 25;
const str = (v: Json | undefined) => (v === null || v === undefined ? '' : String(v));

const ORDERINGS: [string, string][] = [
  ['-timestamp', 'Newest first'],
  ['timestamp', 'Oldest first'],
  ['endpoint', 'Endpoint'],
  ['-result', 'Successes first'],
  ['result', 'Failures first'],
  ['user', 'User'],
  ['plugin', 'Plugin'],
];

function when(timestamp: Json | undefined): string {
  const d = new Date(str(timestamp));
  return Number.isNaN(d.getTime()) ? str(timestamp) : d.toLocaleString();
}

export function HistoryPage() {
  const { user } = useAuth();
  const staff = user?.is_staff === true || user?.is_superuser === true;
  const [result, setResult] = useState('');
  const [who, setWho] = useState('');
  const [search, setSearch] = useState('');
  const [ordering, setOrdering] = useState('-timestamp');
  const [offset, setOffset] = useState(0);
  const [selected, setSelected] = useState<number[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const users = useData<JsonObject[]>(staff ? '/api/user/' : null);
  const url = `/api/barcode/history/${qs({ limit: PAGE_SIZE, offset, result, user: who, search, ordering })}`;
  const rows = useData<ApiPage<JsonObject>>(url);
  const list = rows.data?.results ?? [];
  const count = rows.data?.count ?? 0;

  const after = (message: string) => {
    setNotice(message);
    setSelected([]);
    rows.reload();
  };
  const run = async (work: () => Promise<string>) => {
    setError(null);
    setNotice(null);
    try {
      after(await work());
    } catch (e) {
      setError(errorText(e));
    }
  };

  return (
    <Page title="Scan history">
      <SearchToolbar
        placeholder="barcode, plugin or endpoint"
        onSearch={(text) => {
          setOffset(0);
          setSearch(text);
        }}
      >
        <label>
          Result{' '}
          <select
            value={result}
            onChange={(e) => {
              setOffset(0);
              setResult(e.target.value);
            }}
          >
            <option value="">All scans</option>
            <option value="true">Successful</option>
            <option value="false">Failed</option>
          </select>
        </label>
        {staff && (
          <label>
            User{' '}
            <select
              value={who}
              onChange={(e) => {
                setOffset(0);
                setWho(e.target.value);
              }}
            >
              <option value="">Everyone</option>
              {(users.data ?? []).map((u) => (
                <option key={Number(u.pk)} value={String(u.pk)}>
                  {str(u.username)}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          Sort{' '}
          <select value={ordering} onChange={(e) => setOrdering(e.target.value)}>
            {ORDERINGS.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
      </SearchToolbar>
      {!staff && <p className="hint">You see your own scans. Staff see everyone’s and can delete them.</p>}
      {notice !== null && <Notice>{notice}</Notice>}
      <ErrorBox error={error ?? rows.error} />
      {rows.data === undefined ? (
        rows.error === null && <Loading />
      ) : list.length === 0 ? (
        <p>No scans match.</p>
      ) : (
        <>
          <p role="status">
            {count} scan{count === 1 ? '' : 's'}
            {count > PAGE_SIZE && `, showing ${offset + 1}–${Math.min(offset + PAGE_SIZE, count)}`}.
          </p>
          {staff && (
            <label className="select-all">
              <input type="checkbox" checked={selected.length === list.length} onChange={(e) => setSelected(e.target.checked ? list.map((r) => Number(r.pk)) : [])} /> Select every
              scan on this page
            </label>
          )}
          <div className="table-wrap">
            <table className="history">
              <thead>
                <tr>
                  {staff && (
                    <th scope="col">
                      <span className="visually-hidden">Selected</span>
                    </th>
                  )}
                  <th scope="col">When</th>
                  <th scope="col">User</th>
                  <th scope="col">Endpoint</th>
                  <th scope="col">Barcode</th>
                  <th scope="col">Result</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.map((row) => {
                  const pk = Number(row.pk);
                  const response = (row.response ?? {}) as JsonObject;
                  return [
                    <tr key={pk} data-pk={pk} className={row.result === true ? 'ok' : 'failed'}>
                      {staff && (
                        <td data-label="Select">
                          <input
                            type="checkbox"
                            aria-label={`Select scan ${pk}`}
                            checked={selected.includes(pk)}
                            onChange={(e) => setSelected((sel) => (e.target.checked ? [...sel, pk] : sel.filter((x) => x !== pk)))}
                          />
                        </td>
                      )}
                      <td data-label="When">{when(row.timestamp)}</td>
                      <td data-label="User">{str(((row.user_detail ?? {}) as JsonObject).username) || '—'}</td>
                      <td data-label="Endpoint">
                        <code>{str(row.endpoint)}</code>
                      </td>
                      <td data-label="Barcode" title={visible(str(row.data))}>
                        <ControlText text={str(row.data)} max={48} />
                      </td>
                      <td data-label="Result" className="result">{row.result === true ? 'Success' : `Failed${str(response.error) === '' ? '' : `: ${str(response.error)}`}`}</td>
                      <td className="actions">
                        <button type="button" className="small" aria-expanded={open === pk} onClick={() => setOpen(open === pk ? null : pk)} aria-label={`Details of scan ${pk}`}>
                          Details
                        </button>
                        {staff && (
                          <ConfirmButton
                            className="small"
                            label="Delete"
                            ariaLabel={`Delete scan ${pk}`}
                            question={`Delete scan ${pk}?`}
                            confirmLabel="Delete"
                            onConfirm={() =>
                              run(async () => {
                                await del(`/api/barcode/history/${pk}/`);
                                return `Scan ${pk} was deleted.`;
                              })
                            }
                          />
                        )}
                      </td>
                    </tr>,
                    open === pk ? (
                      <tr key={`${pk}-details`} className="details">
                        <td colSpan={staff ? 7 : 6}>
                          <pre>{JSON.stringify({ data: visible(str(row.data)), context: row.context, response: row.response }, null, 2)}</pre>
                        </td>
                      </tr>
                    ) : null,
                  ];
                })}
              </tbody>
            </table>
          </div>
          <Pager label="Pages of the scan history" offset={offset} count={count} pageSize={PAGE_SIZE} onOffset={setOffset} previous="Newer page" next="Older page" />
        </>
      )}
      {staff && (
        <div className="button-row">
          <ConfirmButton
            label={`Delete the selected (${selected.length})`}
            disabled={selected.length === 0}
            question={`Delete ${selected.length} scan${selected.length === 1 ? '' : 's'}?`}
            confirmLabel="Delete"
            onConfirm={() =>
              run(async () => {
                const answer = await del<JsonObject>('/api/barcode/history/', { items: selected });
                return str(answer.success) || 'Deleted.';
              })
            }
          />
          <ConfirmButton
            label="Delete every failed scan"
            question="Delete every failed scan of every user?"
            confirmLabel="Delete"
            onConfirm={() =>
              run(async () => {
                const answer = await del<JsonObject>('/api/barcode/history/', { filters: { result: false } });
                return str(answer.success) || 'Deleted.';
              })
            }
          />
        </div>
      )}
    </Page>
  );
}
