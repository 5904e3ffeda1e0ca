/**
 * Allocating stock to a sales order by scanning stock items (POST /api/barcode/so-allocate/).
 * When Stockscan cannot tell which shipment (the order has none open, or several) it answers
 * `action_required` with what it found; the form asks for the shipment, line and quantity and
 * sends the scan again with them.
 */
import { useEffect, useId, useState, type FormEvent } from 'react';
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
import { Allocations, LinesTable } from './ObjectPage';

const str = (v: Json | undefined) => (v === null || v === undefined ? '' : String(v));
const obj = (v: Json | undefined): JsonObject => (typeof v === 'object' && v !== null && !Array.isArray(v) ? v : {});

interface Pending {
  entryId: number;
  data: string;
  message: string;
  answer: JsonObject;
}

export function AllocatePage() {
  const { search } = useLocation();
  const [order, setOrder] = useState<string>(search.get('order') ?? '');
  const [shipment, setShipment] = useState<string>('');
  const [entries, setEntries] = useState<ScanEntry[]>([]);
  const [pending, setPending] = useState<Pending[]>([]);
  const [version, setVersion] = useState(0);
  const orders = useData<JsonObject[]>('/api/order/so/?outstanding=true&customer_detail=true');
  const lines = useData<JsonObject[]>(order === '' ? null : `/api/order/so-line/?order=${order}&part_detail=true`);
  const shipments = useData<JsonObject[]>(order === '' ? null : `/api/order/so/shipment/?order=${order}&delivered=false`);
  // After an allocation: the lines, the shipments and the allocations are read again.
  const refresh = () => {
    lines.reload();
    shipments.reload();
    setVersion((v) => v + 1);
  };

  useEffect(() => {
    replaceSearch(new URLSearchParams(order === '' ? {} : { order }));
    setShipment('');
  }, [order]);

  const log = (entry: ScanEntry) => setEntries((list) => [entry, ...list.filter((e) => e.id !== entry.id)].slice(0, 100));

  const describe = (answer: JsonObject) =>
    `${formatQuantity(answer.quantity)} from stock item ${str(answer.stock_item)}${answer.shipment === null || answer.shipment === undefined ? '' : ` to shipment ${str((shipments.data ?? []).find((s) => s.pk === answer.shipment)?.reference) || str(answer.shipment)}`}`;

  const scan = async (raw: string) => {
    const entry = newEntry(raw);
    log(entry);
    const chooseOrder = async (): Promise<boolean> => {
      const other = await sendScan('/api/barcode/', { barcode: entry.data });
      const so = matchedObjects(other.answer).find((f) => f.model.type === 'salesorder');
      if (other.error !== undefined || so === undefined) return false;
      setOrder(String(so.pk));
      feedback('ok');
      log({ ...entry, state: 'ok', message: `Allocating to ${str(so.instance?.reference) || `order ${so.pk}`} now. Scan the stock items.`, objects: [] });
      return true;
    };
    if (order === '') {
      if (await chooseOrder()) return;
      feedback('error');
      return log({ ...entry, state: 'error', message: 'Choose the sales order first (or scan its barcode).' });
    }
    const body: JsonObject = { barcode: entry.data, sales_order: Number(order) };
    if (shipment !== '') body.shipment = Number(shipment);
    const reply = await sendScan('/api/barcode/so-allocate/', body);
    const answer = reply.answer ?? {};
    if (reply.error !== undefined) {
      const code = str(answer.error);
      if ((code === 'Barcode does not match an existing stock item' || code === 'No matching plugin found for barcode data') && (await chooseOrder())) return;
      feedback('error');
      return log({ ...entry, state: 'error', message: reply.error });
    }
    if (typeof answer.action_required === 'string') {
      feedback('warn');
      setPending((list) => [...list, { entryId: entry.id, data: entry.data, message: String(answer.action_required), answer }]);
      return log({ ...entry, state: 'warn', message: `${answer.action_required}: fill in the form below.` });
    }
    feedback('ok');
    refresh();
    return log({ ...entry, state: 'ok', message: `${str(answer.success) || 'Allocated'}: ${describe(answer)}.`, objects: matchedObjects(answer) });
  };

  const current = pending[0];
  const finishPending = (result: { state: ScanEntry['state']; message: string }) => {
    if (current === undefined) return;
    setEntries((list) => list.map((e) => (e.id === current.entryId ? { ...e, ...result } : e)));
    setPending((list) => list.slice(1));
    window.setTimeout(focusWedge, 0);
    refresh();
  };

  const open = orders.data ?? [];
  return (
    <Page title="Allocate to a sales order">
      <p>Choose the order (or scan its barcode), then scan the stock items you pick for it.</p>
      <div className="toolbar">
        <label>
          Sales order{' '}
          <select value={order} onChange={(e) => setOrder(e.target.value)}>
            <option value="">Choose an order</option>
            {open.map((so) => (
              <option key={Number(so.pk)} value={String(so.pk)}>
                {str(so.reference)} · {str(obj(so.customer_detail).name)} ({str(so.status_text)})
              </option>
            ))}
          </select>
        </label>
        {order !== '' && (
          <label>
            Shipment{' '}
            <select value={shipment} onChange={(e) => setShipment(e.target.value)}>
              <option value="">The order’s open shipment</option>
              {(shipments.data ?? []).map((sh) => (
                <option key={Number(sh.pk)} value={String(sh.pk)}>
                  Shipment {str(sh.reference)}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      {current !== undefined && order !== '' && (
        <AllocateForm key={current.entryId} pending={current} order={Number(order)} lines={lines.data ?? []} shipments={shipments.data ?? []} onShipmentCreated={shipments.reload} onDone={finishPending} />
      )}
      <ScanInput onScan={(raw) => void scan(raw)} label="Scan a stock item" continuousDefault />
      <ErrorBox error={orders.error} />
      {order !== '' && (
        <>
          <section className="panel" aria-labelledby="allocate-lines">
            <h2 id="allocate-lines">
              Lines of <Link to={webUrl('salesorder', Number(order))}>{str(open.find((o) => String(o.pk) === order)?.reference) || `order ${order}`}</Link>
            </h2>
            <ErrorBox error={lines.error} />
            <LinesTable lines={lines.data ?? []} kind="sales" />
          </section>
          <Allocations key={version} query={`order=${order}`} title="Allocated stock" />
        </>
      )}
      <ScanLog entries={entries} title="Allocations" />
    </Page>
  );
}

function AllocateForm({
  pending,
  order,
  lines,
  shipments,
  onShipmentCreated,
  onDone,
}: {
  pending: Pending;
  order: number;
  lines: JsonObject[];
  shipments: JsonObject[];
  onShipmentCreated(): void;
  onDone(result: { state: ScanEntry['state']; message: string }): void;
}) {
  const id = useId();
  const { answer } = pending;
  const [line, setLine] = useState(answer.line_item === null || answer.line_item === undefined ? '' : String(answer.line_item));
  const [shipment, setShipment] = useState(answer.shipment === null || answer.shipment === undefined ? '' : String(answer.shipment));
  const [quantity, setQuantity] = useState(answer.quantity === null || answer.quantity === undefined ? '' : String(answer.quantity));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const createShipment = async () => {
    setError(null);
    try {
      const used = new Set(shipments.map((s) => str(s.reference)));
      let n = shipments.length + 1;
      while (used.has(String(n))) n += 1;
      const created = await post<JsonObject>('/api/order/so/shipment/', { order, reference: String(n) });
      setShipment(String(created.pk));
      onShipmentCreated();
    } catch (e) {
      setError(errorText(e));
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const body: JsonObject = { barcode: pending.data, sales_order: order, shipment: Number(shipment) };
    if (line !== '') body.line = Number(line);
    if (quantity !== '') body.quantity = Number(quantity);
    const reply = await sendScan('/api/barcode/so-allocate/', body);
    if (reply.error !== undefined) {
      setError(reply.error);
      setBusy(false);
      feedback('error');
      return;
    }
    const result = reply.answer ?? {};
    if (typeof result.action_required === 'string') {
      setError(`${result.action_required}. Choose a shipment.`);
      setBusy(false);
      return;
    }
    feedback('ok');
    onDone({ state: 'ok', message: `${str(result.success) || 'Allocated'}: ${formatQuantity(result.quantity)} from stock item ${str(result.stock_item)}.` });
  };

  return (
    <form className="panel action-form" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Allocate this stock item</h2>
      <p>
        {pending.message}. Stock item {str(answer.stock_item)}, label <ControlText text={pending.data} max={60} />.
      </p>
      <label htmlFor={`${id}-shipment`}>Shipment</label>
      <div className="wedge-row">
        <select id={`${id}-shipment`} value={shipment} onChange={(e) => setShipment(e.target.value)} required>
          <option value="">Choose a shipment</option>
          {shipments.map((s) => (
            <option key={Number(s.pk)} value={String(s.pk)}>
              Shipment {str(s.reference)} ({str(s.allocated_items)} items)
            </option>
          ))}
        </select>
        <button type="button" onClick={() => void createShipment()}>
          New shipment
        </button>
      </div>
      <label htmlFor={`${id}-line`}>Order line</label>
      <select id={`${id}-line`} value={line} onChange={(e) => setLine(e.target.value)}>
        <option value="">The line for this part</option>
        {lines.map((l) => (
          <option key={Number(l.pk)} value={String(l.pk)}>
            {str(obj(l.part_detail).name)} · {formatQuantity(l.allocated)} of {formatQuantity(l.quantity)} allocated
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-quantity`}>Quantity</label>
      <input id={`${id}-quantity`} type="number" inputMode="decimal" min="0" step="any" value={quantity} onChange={(e) => setQuantity(e.target.value)} />
      <ErrorBox error={error} />
      <div className="button-row">
        <button type="submit" className="primary" disabled={busy || shipment === ''}>
          {busy ? 'Allocating…' : 'Allocate'}
        </button>
        <button type="button" onClick={() => onDone({ state: 'error', message: 'Skipped: nothing was allocated.' })}>
          Skip this item
        </button>
      </div>
    </form>
  );
}
