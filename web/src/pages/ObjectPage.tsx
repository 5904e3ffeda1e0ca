/**
 * The page of one barcodable object, at its InvenTree web route (e.g. /web/stock/item/5):
 * key fields, its barcodes (Stockscan's own and a linked one, with link and unlink by
 * scanning), its label, and what it holds (a location's stock, an order's lines).
 */
import { useEffect, useState } from 'react';
import { errorText, post, type Json, type JsonObject } from '../api';
import { useAuth } from '../auth';
import { Label } from '../components/Label';
import { BarcodeImage, ConfirmButton, ErrorBox, Fields, Loading, Notice, Page } from '../components/ui';
import { addToSheet, formatRefs, type LabelRef } from '../labels';
import { formatQuantity, webUrl, type ModelInfo } from '../models';
import { Link, navigate } from '../router';
import { feedback } from '../scan/feedback';
import { sendScan } from '../scan/process';
import { ScanInput } from '../scan/ScanInput';
import { prepareScan, shorten } from '../scan/text';
import { useData } from '../useData';

const s = (v: Json | undefined) => (v === null || v === undefined ? '' : String(v));
const o = (v: Json | undefined): JsonObject => (typeof v === 'object' && v !== null && !Array.isArray(v) ? v : {});

export function ObjectPage({ model, pk }: { model: ModelInfo; pk: number }) {
  const object = useData<JsonObject>(`${model.apiList}${pk}/${model.detailQuery}`);
  const [internal, setInternal] = useState<string | null>(null);

  useEffect(() => {
    setInternal(null);
    post<{ barcode: string }>('/api/barcode/generate/', { model: model.type, pk })
      .then((r) => setInternal(r.barcode))
      .catch(() => setInternal(null));
  }, [model.type, pk]);

  if (object.data === undefined) {
    return (
      <Page title={`${model.label} ${pk}`}>
        {object.error !== null ? <ErrorBox error={object.error} /> : <Loading />}
      </Page>
    );
  }
  const data = object.data;
  const title = model.title(data) || `${model.label} ${pk}`;
  return (
    <Page title={`${model.label}: ${title}`}>
      {model.subtitle(data) !== '' && <p className="subtitle">{model.subtitle(data)}</p>}
      <Fields fields={model.fields(data)} />
      <Related model={model} pk={pk} object={data} />
      <BarcodeSection model={model} pk={pk} object={data} internal={internal} onChanged={object.reload} />
      {internal !== null && <LabelSection model={model} pk={pk} object={data} internal={internal} />}
    </Page>
  );
}

function BarcodeSection({ model, pk, object, internal, onChanged }: { model: ModelInfo; pk: number; object: JsonObject; internal: string | null; onChanged(): void }) {
  const { can } = useAuth();
  const hash = s(object.barcode_hash);
  const mayChange = can(model.type, 'change');
  const [linking, setLinking] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const link = async (raw: string) => {
    setError(null);
    setNotice(null);
    const { data } = prepareScan(raw);
    const reply = await sendScan('/api/barcode/link/', { barcode: data, [model.type]: pk });
    if (reply.error !== undefined) {
      setError(reply.error);
      feedback('error');
      return;
    }
    feedback('ok');
    setLinking(false);
    setNotice(`Linked “${shorten(data, 60)}”. Scanning it now finds this ${model.label.toLowerCase()}.`);
    onChanged();
  };

  const unlink = async () => {
    setError(null);
    setNotice(null);
    try {
      await post('/api/barcode/unlink/', { [model.type]: pk });
      setNotice('The linked barcode was removed.');
      onChanged();
    } catch (e) {
      setError(errorText(e));
    }
  };

  return (
    <section className="panel" aria-labelledby="barcodes-title">
      <h2 id="barcodes-title">Barcodes</h2>
      <div className="barcodes">
        {internal !== null && (
          <figure className="internal-barcode">
            <BarcodeImage data={internal} alt={`Stockscan barcode ${internal}`} />
            <figcaption>
              Stockscan barcode <code>{internal}</code>
            </figcaption>
          </figure>
        )}
        <div className="linked">
          <p data-testid="linked-state">
            {hash === '' ? (
              'No other barcode is linked.'
            ) : (
              <>
                A barcode is linked (hash <code>{hash}</code>).
              </>
            )}
          </p>
          {mayChange ? (
            <div className="button-row">
              <button type="button" onClick={() => setLinking((l) => !l)} aria-expanded={linking}>
                {linking ? 'Cancel linking' : hash === '' ? 'Link a barcode' : 'Link a different barcode'}
              </button>
              {hash !== '' && <ConfirmButton label="Unlink barcode" question="Remove the linked barcode?" confirmLabel="Unlink" onConfirm={unlink} />}
            </div>
          ) : (
            <p className="hint">You may not change this {model.label.toLowerCase()}, so you cannot link barcodes to it.</p>
          )}
          {linking && <ScanInput onScan={(raw) => void link(raw)} label="Scan the barcode to link" hint="Scan a manufacturer’s label, a serial-number sticker or any other barcode: it will find this object from now on." />}
          {notice !== null && <Notice>{notice}</Notice>}
          <ErrorBox error={error} />
        </div>
      </div>
    </section>
  );
}

function LabelSection({ model, pk, object, internal }: { model: ModelInfo; pk: number; object: JsonObject; internal: string }) {
  const [added, setAdded] = useState<number | null>(null);
  const ref: LabelRef = { type: model.type, pk };
  return (
    <section className="panel" aria-labelledby="label-title">
      <h2 id="label-title">Label</h2>
      <div className="label-preview">
        <Label label={{ ...ref, title: model.title(object), subtitle: model.subtitle(object), barcode: internal }} symbology="qrcode" />
      </div>
      <div className="button-row">
        <Link className="button" to={`/web/labels?items=${formatRefs([ref])}&layout=single`}>
          Print this label
        </Link>
        <button type="button" onClick={() => setAdded(addToSheet([ref]).length)}>
          Add to label sheet
        </button>
        <Link to="/web/labels">Open the label sheet</Link>
      </div>
      {added !== null && <Notice>Added. The label sheet now has {added === 1 ? '1 label' : `${added} labels`}.</Notice>}
    </section>
  );
}

function Related({ model, pk, object }: { model: ModelInfo; pk: number; object: JsonObject }) {
  switch (model.type) {
    case 'stocklocation':
      return <LocationContents pk={pk} structural={object.structural === true} />;
    case 'stockitem':
      return (
        <div className="button-row">
          <Link className="button" to={`/web/move?item=${pk}`}>
            Move it (scan the new location)
          </Link>
        </div>
      );
    case 'part':
      return <PartStock pk={pk} />;
    case 'purchaseorder':
      return <PurchaseLines pk={pk} placed={object.status === 20} />;
    case 'salesorder':
      return <SalesOrderContents pk={pk} open={[10, 15, 25].includes(Number(object.status))} />;
    case 'salesordershipment':
      return <Allocations query={`shipment=${pk}`} title="Allocated to this shipment" />;
    default:
      return null;
  }
}

function LocationContents({ pk, structural }: { pk: number; structural: boolean }) {
  const subs = useData<JsonObject[]>(`/api/stock/location/?parent=${pk}`);
  const items = useData<JsonObject[]>(`/api/stock/?location=${pk}&cascade=false&part_detail=true`);
  const [selected, setSelected] = useState<number[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const refs = (ids: number[]): LabelRef[] => ids.map((id) => ({ type: 'stockitem', pk: id }));
  const list = items.data ?? [];
  return (
    <>
      {!structural && (
        <div className="button-row">
          <Link className="button" to={`/web/move?location=${pk}`}>
            Scan items into this location
          </Link>
        </div>
      )}
      {(subs.data ?? []).length > 0 && (
        <section className="panel" aria-labelledby="subs-title">
          <h2 id="subs-title">Sub-locations</h2>
          <ul className="plain">
            {(subs.data ?? []).map((l) => (
              <li key={Number(l.pk)}>
                <Link to={webUrl('stocklocation', Number(l.pk))}>{s(l.name)}</Link> <span className="hint">{s(l.description)}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      <section className="panel" aria-labelledby="items-title">
        <h2 id="items-title">Stock here</h2>
        <ErrorBox error={items.error} />
        {items.loading && items.data === undefined ? (
          <Loading />
        ) : list.length === 0 ? (
          <p>No stock items in this location.</p>
        ) : (
          <>
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">
                      <input
                        type="checkbox"
                        aria-label="Select all stock items"
                        checked={selected.length === list.length}
                        onChange={(e) => setSelected(e.target.checked ? list.map((i) => Number(i.pk)) : [])}
                      />
                    </th>
                    <th scope="col">Part</th>
                    <th scope="col">Quantity</th>
                    <th scope="col">Serial / batch</th>
                    <th scope="col">Status</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((item) => {
                    const id = Number(item.pk);
                    const name = s(o(item.part_detail).name);
                    return (
                      <tr key={id}>
                        <td>
                          <input
                            type="checkbox"
                            aria-label={`Select ${name} (stock item ${id})`}
                            checked={selected.includes(id)}
                            onChange={(e) => setSelected((sel) => (e.target.checked ? [...sel, id] : sel.filter((x) => x !== id)))}
                          />
                        </td>
                        <td>
                          <Link to={webUrl('stockitem', id)}>{name}</Link>
                        </td>
                        <td>{formatQuantity(item.quantity)}</td>
                        <td>{s(item.serial) !== '' ? `#${s(item.serial)}` : s(item.batch)}</td>
                        <td>{s(item.status_text)}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
            <div className="button-row">
              <button type="button" disabled={selected.length === 0} onClick={() => navigate(`/web/labels?items=${formatRefs(refs(selected))}`)}>
                Labels for the selected ({selected.length})
              </button>
              <button type="button" disabled={selected.length === 0} onClick={() => setNotice(`The label sheet now has ${addToSheet(refs(selected)).length} labels.`)}>
                Add the selected to the label sheet
              </button>
            </div>
            {notice !== null && <Notice>{notice}</Notice>}
          </>
        )}
      </section>
    </>
  );
}

function PartStock({ pk }: { pk: number }) {
  const items = useData<JsonObject[]>(`/api/stock/?part=${pk}&in_stock=true&location_detail=true`);
  const suppliers = useData<JsonObject[]>(`/api/company/part/?part=${pk}&supplier_detail=true`);
  return (
    <>
      <section className="panel" aria-labelledby="part-stock-title">
        <h2 id="part-stock-title">Stock</h2>
        <ErrorBox error={items.error} />
        {(items.data ?? []).length === 0 ? (
          <p>{items.loading ? 'Loading…' : 'None in stock.'}</p>
        ) : (
          <ul className="plain">
            {(items.data ?? []).map((i) => (
              <li key={Number(i.pk)}>
                <Link to={webUrl('stockitem', Number(i.pk))}>
                  {s(i.serial) !== '' ? `#${s(i.serial)}` : `${formatQuantity(i.quantity)}${s(i.batch) === '' ? '' : ` (batch ${s(i.batch)})`}`}
                </Link>{' '}
                in {s(o(i.location_detail).pathstring) || 'no location'}
              </li>
            ))}
          </ul>
        )}
      </section>
      {(suppliers.data ?? []).length > 0 && (
        <section className="panel" aria-labelledby="part-suppliers-title">
          <h2 id="part-suppliers-title">Supplier parts</h2>
          <ul className="plain">
            {(suppliers.data ?? []).map((sp) => (
              <li key={Number(sp.pk)}>
                <Link to={webUrl('supplierpart', Number(sp.pk))}>{s(sp.SKU)}</Link> from {s(o(sp.supplier_detail).name)}
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}

function PurchaseLines({ pk, placed }: { pk: number; placed: boolean }) {
  const lines = useData<JsonObject[]>(`/api/order/po-line/?order=${pk}&part_detail=true`);
  return (
    <section className="panel" aria-labelledby="po-lines-title">
      <div className="section-head">
        <h2 id="po-lines-title">Lines</h2>
        {placed && (
          <Link className="button primary" to={`/web/receive?order=${pk}`}>
            Receive by scanning
          </Link>
        )}
      </div>
      <ErrorBox error={lines.error} />
      <LinesTable lines={lines.data ?? []} kind="purchase" />
    </section>
  );
}

export function LinesTable({ lines, kind }: { lines: JsonObject[]; kind: 'purchase' | 'sales' }) {
  if (lines.length === 0) return <p>No lines.</p>;
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">Part</th>
            {kind === 'purchase' && <th scope="col">SKU</th>}
            <th scope="col">{kind === 'purchase' ? 'Received' : 'Allocated'}</th>
            {kind === 'sales' && <th scope="col">Shipped</th>}
            <th scope="col">Ordered</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((l) => {
            const partPk = kind === 'purchase' ? l.internal_part : l.part;
            const name = s(o(l.part_detail).name) || s(l.internal_part_name);
            const done = kind === 'purchase' ? l.received : l.allocated;
            return (
              <tr key={Number(l.pk)} data-line={Number(l.pk)}>
                <td>{typeof partPk === 'number' ? <Link to={webUrl('part', partPk)}>{name}</Link> : name}</td>
                {kind === 'purchase' && <td>{s(l.sku)}</td>}
                <td className="num">{formatQuantity(done)}</td>
                {kind === 'sales' && <td className="num">{formatQuantity(l.shipped)}</td>}
                <td className="num">{formatQuantity(l.quantity)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function SalesOrderContents({ pk, open }: { pk: number; open: boolean }) {
  const lines = useData<JsonObject[]>(`/api/order/so-line/?order=${pk}&part_detail=true`);
  const shipments = useData<JsonObject[]>(`/api/order/so/shipment/?order=${pk}`);
  return (
    <>
      <section className="panel" aria-labelledby="so-lines-title">
        <div className="section-head">
          <h2 id="so-lines-title">Lines</h2>
          {open && (
            <Link className="button primary" to={`/web/allocate?order=${pk}`}>
              Allocate by scanning
            </Link>
          )}
        </div>
        <ErrorBox error={lines.error} />
        <LinesTable lines={lines.data ?? []} kind="sales" />
      </section>
      <section className="panel" aria-labelledby="so-shipments-title">
        <h2 id="so-shipments-title">Shipments</h2>
        {(shipments.data ?? []).length === 0 ? (
          <p>No shipments.</p>
        ) : (
          <ul className="plain">
            {(shipments.data ?? []).map((sh) => (
              <li key={Number(sh.pk)}>
                <Link to={webUrl('salesordershipment', Number(sh.pk))}>Shipment {s(sh.reference)}</Link> — {s(sh.allocated_items)} items,{' '}
                {s(sh.shipment_date) === '' ? 'not sent' : `sent ${s(sh.shipment_date)}`}
              </li>
            ))}
          </ul>
        )}
      </section>
      <Allocations query={`order=${pk}`} title="Allocated stock" />
    </>
  );
}

export function Allocations({ query, title }: { query: string; title: string }) {
  const allocations = useData<JsonObject[]>(`/api/order/so-allocation/?${query}&part_detail=true&item_detail=true&location_detail=true`);
  const list = allocations.data ?? [];
  return (
    <section className="panel" aria-label={title}>
      <h2>{title}</h2>
      <ErrorBox error={allocations.error} />
      {list.length === 0 ? (
        <p>{allocations.loading ? 'Loading…' : 'Nothing allocated yet.'}</p>
      ) : (
        <ul className="plain allocations">
          {list.map((a) => (
            <li key={Number(a.pk)}>
              {formatQuantity(a.quantity)} × {s(o(a.part_detail).name)} from <Link to={webUrl('stockitem', Number(a.item))}>stock item {s(a.item)}</Link>
              {s(a.serial) !== '' && ` (#${s(a.serial)})`}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
