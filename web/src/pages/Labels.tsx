/** Printable labels: one per object, on an A4 sheet or one per page for a label printer. */
import { useEffect, useState } from 'react';
import { errorText, type JsonObject } from '../api';
import { Label } from '../components/Label';
import { ErrorBox, Page, type Symbology } from '../components/ui';
import { formatRefs, loadLabel, parseRefs, saveSheet, sheetRefs, type LabelData, type LabelRef } from '../labels';
import { matchedObjects } from '../models';
import { Link, replaceSearch, useLocation } from '../router';
import { feedback } from '../scan/feedback';
import { newEntry, sendScan } from '../scan/process';
import { ScanInput } from '../scan/ScanInput';

type Layout = 'sheet' | 'single';
const key = (r: LabelRef) => `${r.type}:${r.pk}`;

export function LabelsPage() {
  const { search } = useLocation();
  // Labels named in the URL (a link from an object or a selection) are printed as they are;
  // without, the page shows the label sheet kept in this browser.
  const [transient] = useState(() => parseRefs(search.get('items')).length > 0);
  const [refs, setRefs] = useState<LabelRef[]>(() => (transient ? parseRefs(search.get('items')) : sheetRefs()));
  const [layout, setLayout] = useState<Layout>(search.get('layout') === 'single' ? 'single' : 'sheet');
  const [symbology, setSymbology] = useState<Symbology>(() => {
    const s = search.get('symbology');
    return s === 'datamatrix' || s === 'code128' ? s : 'qrcode';
  });
  const [loaded, setLoaded] = useState<Record<string, LabelData | { error: string }>>({});
  const [scanError, setScanError] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);

  useEffect(() => {
    if (!transient) saveSheet(refs);
    const params = new URLSearchParams();
    if (transient && refs.length > 0) params.set('items', formatRefs(refs));
    if (layout !== 'sheet') params.set('layout', layout);
    if (symbology !== 'qrcode') params.set('symbology', symbology);
    replaceSearch(params);
  }, [refs, layout, symbology, transient]);

  useEffect(() => {
    let cancelled = false;
    for (const ref of refs) {
      if (loaded[key(ref)] !== undefined) continue;
      loadLabel(ref)
        .then((label) => !cancelled && setLoaded((m) => ({ ...m, [key(ref)]: label })))
        .catch((e: unknown) => !cancelled && setLoaded((m) => ({ ...m, [key(ref)]: { error: errorText(e) } })));
    }
    return () => {
      cancelled = true;
    };
  }, [refs, loaded]);

  const addByScan = async (raw: string) => {
    setScanError(null);
    const entry = newEntry(raw);
    const reply = await sendScan('/api/barcode/', { barcode: entry.data });
    const found = matchedObjects(reply.answer as JsonObject | undefined);
    if (reply.error !== undefined || found.length === 0) {
      setScanError(reply.error ?? 'This barcode does not point at anything that can have a label.');
      feedback('error');
      return;
    }
    feedback('ok');
    setRefs((list) => {
      const next = [...list];
      for (const o of found) if (!next.some((r) => r.type === o.model.type && r.pk === o.pk)) next.push({ type: o.model.type, pk: o.pk });
      return next;
    });
  };

  const ready = refs.map((r) => loaded[key(r)]).filter((l): l is LabelData => l !== undefined && !('error' in l));
  const pending = refs.some((r) => loaded[key(r)] === undefined);

  return (
    <Page
      title="Labels"
      actions={
        <button type="button" className="primary" onClick={() => window.print()} disabled={ready.length === 0 || pending}>
          Print {ready.length === 1 ? 'label' : `${ready.length} labels`}
        </button>
      }
    >
      <div className="no-print">
        <div className="toolbar">
          <label>
            Layout{' '}
            <select value={layout} onChange={(e) => setLayout(e.target.value as Layout)}>
              <option value="sheet">A4 sheet, 3 × 8 (70 × 37 mm)</option>
              <option value="single">Label printer (62 × 29 mm)</option>
            </select>
          </label>
          <label>
            Barcode{' '}
            <select value={symbology} onChange={(e) => setSymbology(e.target.value as Symbology)}>
              <option value="qrcode">QR code</option>
              <option value="datamatrix">Data Matrix</option>
              <option value="code128">Code 128</option>
            </select>
          </label>
          <button type="button" onClick={() => setAdding((a) => !a)} aria-expanded={adding}>
            {adding ? 'Done adding' : 'Add by scanning'}
          </button>
          {refs.length > 0 && (
            <button
              type="button"
              onClick={() => {
                setRefs([]);
                setLoaded({});
              }}
            >
              Empty the sheet
            </button>
          )}
        </div>
        {adding && <ScanInput onScan={(raw) => void addByScan(raw)} label="Scan something to put its label on the sheet" continuousDefault />}
        <ErrorBox error={scanError} />
        {transient && (
          <p className="hint">
            These labels were chosen by the link you followed; your own label sheet is unchanged. <Link to="/web/labels">Open my label sheet</Link>
          </p>
        )}
        {refs.length === 0 && <p>The sheet is empty. Add labels from an object’s page (“Add to label sheet”), or scan things here.</p>}
        {refs.map((r) => {
          const l = loaded[key(r)];
          return l !== undefined && 'error' in l ? <ErrorBox key={key(r)} error={`${key(r)}: ${l.error}`} /> : null;
        })}
      </div>
      <div className={`sheet sheet-${layout}`} aria-label="Label sheet" data-count={ready.length}>
        {ready.map((label) => (
          <div className="label-slot" key={key(label)}>
            <Label label={label} symbology={symbology} />
            <button
              type="button"
              className="small remove no-print"
              aria-label={`Remove the label of ${label.title}`}
              onClick={() => setRefs((list) => list.filter((x) => key(x) !== key(label)))}
            >
              Remove
            </button>
          </div>
        ))}
      </div>
    </Page>
  );
}
