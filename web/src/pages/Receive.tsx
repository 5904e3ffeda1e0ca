/**
 * Receiving a purchase order by scanning supplier labels (POST /api/barcode/po-receive/).
 * When Stockscan needs more information (no quantity on the label, no location known, or
 * "check each label" is on) it answers `action_required`; the form then books the line
 * through POST /api/order/po/<pk>/receive/ with the label as the new stock item's barcode,
 * as InvenTree's app does.
 */
import { useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import { errorText, post, type Json, type JsonObject } from '../api';
import { ErrorBox, Page } from '../components/ui';
import { formatQuantity, matchedObjects, webUrl } from '../models';
import { Link, replaceSearch, useLocation } from '../router';
import { feedback } from '../scan/feedback';
import { newEntry, sendScan, type ScanEntry } from '../scan/process';
import { ScanInput } from '../scan/ScanInput';
import { focusWedge } from '../scan/WedgeField';
import { ControlText } from '../scan/ControlText';
import { ScanLog } from '../scan/ScanLog';
import { useData } from '../useData';
import { LinesTable } from './ObjectPage';

const str = (v: Json | undefined) => (v === null || v === undefined ? '' : String(v));
const obj = (v: Json | undefined): JsonObject => (typeof v === 'object' && v !== null && !Array.isArray(v) ? v : {});

interface LineItem {
  pk: number;
  quantity: number;
  supplier_part: number;
  purchase_order: number;
  location: number | null;
}

interface Pending {
  entryId: number;
  data: string;
  message: string;
  line: LineItem;
}

export function useLocations() {
  const all = useData<JsonObject[]>('/api/stock/location/?cascade=true');
  return useMemo(() => (all.data ?? []).filter((l) => l.structural !== true).sort((a, b) => str(a.pathstring).localeCompare(str(b.pathstring))), [all.data]);
}

export function ReceivePage() {
  const { search } = useLocation();
  const [order, setOrder] = useState<string>(search.get('order') ?? '');
  const [location, setLocation] = useState<string>('');
  const [check, setCheck] = useState(false);
  const [entries, setEntries] = useState<ScanEntry[]>([]);
  const [pending, setPending] = useState<Pending[]>([]);
  const orders = useData<JsonObject[]>('/api/order/po/?status=20');
  const lines = useData<JsonObject[]>(order === '' ? null : `/api/order/po-line/?order=${order}&part_detail=true`);
  const locations = useLocations();
  const locationName = (pk: Json | undefined) => str(locations.find((l) => l.pk === pk)?.pathstring) || (pk === null || pk === undefined ? 'no location' : `location ${str(pk)}`);

  useEffect(() => {
    replaceSearch(new URLSearchParams(order === '' ? {} : { order }));
  }, [order]);

  const log = (entry: ScanEntry) => setEntries((list) => [entry, ...list.filter((e) => e.id !== entry.id)].slice(0, 100));

  const scan = async (raw: string) => {
    const entry = newEntry(raw);
    log(entry);
    const body: JsonObject = { barcode: entry.data, auto_allocate: !check };
    if (order !== '') body.purchase_order = Number(order);
    if (location !== '') body.location = Number(location);
    const reply = await sendScan('/api/barcode/po-receive/', body);
    const answer = reply.answer ?? {};
    const line = obj(answer.lineitem) as unknown as LineItem;
    if (reply.error !== undefined) {
      // Not a supplier label: maybe the order's or a location's own barcode.
      if (str(answer.error) === 'No plugin match for supplier barcode') {
        const other = await sendScan('/api/barcode/', { barcode: entry.data });
        const found = matchedObjects(other.answer);
        const po = found.find((f) => f.model.type === 'purchaseorder');
        const loc = found.find((f) => f.model.type === 'stocklocation');
        if (other.error === undefined && po !== undefined) {
          setOrder(String(po.pk));
          feedback('ok');
          return log({ ...entry, state: 'ok', message: `Receiving against ${str(po.instance?.reference) || `order ${po.pk}`} now. Scan the supplier labels.`, objects: found });
        }
        if (other.error === undefined && loc !== undefined) {
          setLocation(String(loc.pk));
          feedback('ok');
          return log({ ...entry, state: 'ok', message: `Received items now go to ${str(loc.instance?.pathstring) || `location ${loc.pk}`}.`, objects: found });
        }
      }
      feedback('error');
      return log({ ...entry, state: 'error', message: reply.error, objects: [] });
    }
    if (typeof answer.success === 'string') {
      feedback('ok');
      if (order === '' && typeof line.purchase_order === 'number') setOrder(String(line.purchase_order));
      else lines.reload();
      return log({ ...entry, state: 'ok', message: `${answer.success}: ${formatQuantity(line.quantity)} into ${locationName(line.location)}.`, objects: [] });
    }
    if (typeof answer.action_required === 'string' && typeof line.pk === 'number') {
      feedback('warn');
      if (order === '' && typeof line.purchase_order === 'number') setOrder(String(line.purchase_order));
      setPending((list) => [...list, { entryId: entry.id, data: entry.data, message: String(answer.action_required), line }]);
      return log({ ...entry, state: 'warn', message: `${answer.action_required}: fill in the form below.`, objects: [] });
    }
    feedback('error');
    return log({ ...entry, state: 'error', message: 'Stockscan answered without receiving anything.', objects: [] });
  };

  const current = pending[0];
  const finishPending = (entry: Partial<ScanEntry> & { state: ScanEntry['state']; message: string }) => {
    if (current === undefined) return;
    setEntries((list) => list.map((e) => (e.id === current.entryId ? { ...e, ...entry } : e)));
    setPending((list) => list.slice(1));
    window.setTimeout(focusWedge, 0);
    lines.reload();
  };

  const placed = orders.data ?? [];
  return (
    <Page title="Receive goods">
      <p>Scan the labels on the bags from your supplier. Each label books its line into stock and stays on the new stock item, so scanning it later finds the item.</p>
      <div className="toolbar">
        <label>
          Purchase order{' '}
          <select value={order} onChange={(e) => setOrder(e.target.value)}>
            <option value="">Any placed order (found from the label)</option>
            {placed.map((po) => (
              <option key={Number(po.pk)} value={String(po.pk)}>
                {str(po.reference)} · {str(po.supplier_name)}
                {str(po.supplier_reference) === '' ? '' : ` (${str(po.supplier_reference)})`}
              </option>
            ))}
          </select>
        </label>
        <label>
          Put received items in{' '}
          <select value={location} onChange={(e) => setLocation(e.target.value)}>
            <option value="">Each line’s destination</option>
            {locations.map((l) => (
              <option key={Number(l.pk)} value={String(l.pk)}>
                {str(l.pathstring)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <input type="checkbox" checked={check} onChange={(e) => setCheck(e.target.checked)} /> Check each label before booking it
        </label>
      </div>
      {current !== undefined && (
        <ReceiveForm key={current.entryId} pending={current} locations={locations} onDone={finishPending} defaultLocation={location} />
      )}
      <ScanInput onScan={(raw) => void scan(raw)} label="Scan a supplier label" continuousDefault hint="You can also scan the order’s own barcode to choose it, or a location’s barcode to put everything there." />
      <ErrorBox error={orders.error} />
      {order !== '' && (
        <section className="panel" aria-labelledby="receive-lines">
          <h2 id="receive-lines">
            Lines of <Link to={webUrl('purchaseorder', Number(order))}>{str(placed.find((p) => String(p.pk) === order)?.reference) || `order ${order}`}</Link>
          </h2>
          <ErrorBox error={lines.error} />
          <LinesTable lines={lines.data ?? []} kind="purchase" />
        </section>
      )}
      <ScanLog entries={entries} title="Received" />
    </Page>
  );
}

function ReceiveForm({
  pending,
  locations,
  onDone,
  defaultLocation,
}: {
  pending: Pending;
  locations: JsonObject[];
  defaultLocation: string;
  onDone(entry: { state: ScanEntry['state']; message: string }): void;
}) {
  const id = useId();
  const { line } = pending;
  const lines = useData<JsonObject[]>(`/api/order/po-line/?order=${line.purchase_order}&part_detail=true`);
  const [lineId, setLineId] = useState(String(line.pk));
  const [quantity, setQuantity] = useState(String(line.quantity));
  const [location, setLocation] = useState(defaultLocation !== '' ? defaultLocation : line.location === null ? '' : String(line.location));
  const [batch, setBatch] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const chosen = (lines.data ?? []).find((l) => String(l.pk) === lineId);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const item: JsonObject = { line_item: Number(lineId), quantity: Number(quantity), barcode: pending.data };
      if (location !== '') item.location = Number(location);
      if (batch.trim() !== '') item.batch_code = batch.trim();
      const created = await post<JsonObject[]>(`/api/order/po/${line.purchase_order}/receive/`, { items: [item], ...(location === '' ? {} : { location: Number(location) }) });
      const first = Array.isArray(created) ? created[0] : undefined;
      feedback('ok');
      onDone({
        state: 'ok',
        message: `Received ${formatQuantity(Number(quantity))} × ${str(obj(chosen?.part_detail).name) || 'the line'}${first !== undefined ? ` as stock item ${str(first.pk)}` : ''}.`,
      });
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  };

  return (
    <form className="panel action-form" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Receive this label</h2>
      <p>
        {pending.message}. Label: <ControlText text={pending.data} max={80} />
      </p>
      <label htmlFor={`${id}-line`}>Order line</label>
      <select id={`${id}-line`} value={lineId} onChange={(e) => setLineId(e.target.value)}>
        {(lines.data ?? [{ pk: line.pk } as JsonObject]).map((l) => (
          <option key={Number(l.pk)} value={String(l.pk)}>
            {str(obj(l.part_detail).name) || `Line ${str(l.pk)}`}
            {l.sku !== undefined ? ` · ${str(l.sku)} · ${formatQuantity(l.received)} of ${formatQuantity(l.quantity)} received` : ''}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-quantity`}>Quantity (in supplier packs)</label>
      <input id={`${id}-quantity`} type="number" inputMode="decimal" min="0" step="any" required value={quantity} onChange={(e) => setQuantity(e.target.value)} />
      <label htmlFor={`${id}-location`}>Location</label>
      <select id={`${id}-location`} value={location} onChange={(e) => setLocation(e.target.value)} required>
        <option value="">Choose a location</option>
        {locations.map((l) => (
          <option key={Number(l.pk)} value={String(l.pk)}>
            {str(l.pathstring)}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-batch`}>Batch code (optional)</label>
      <input id={`${id}-batch`} value={batch} onChange={(e) => setBatch(e.target.value)} />
      <ErrorBox error={error} />
      <div className="button-row">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Receiving…' : 'Receive'}
        </button>
        <button type="button" onClick={() => onDone({ state: 'error', message: 'Skipped: nothing was received.' })}>
          Skip this label
        </button>
      </div>
    </form>
  );
}
