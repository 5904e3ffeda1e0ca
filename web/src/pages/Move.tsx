/**
 * Moving stock by scanning: scan stock items and then the location they go to, or scan a
 * location first and then every item you put there. Moves are stock transfers
 * (POST /api/stock/transfer/) of the whole item.
 */
import { useEffect, useRef, useState } from 'react';
import { errorText, get, post, type JsonObject } from '../api';
import { ErrorBox, Notice, Page } from '../components/ui';
import { formatQuantity, matchedObjects, webUrl } from '../models';
import { Link, useLocation } from '../router';
import { feedback } from '../scan/feedback';
import { newEntry, sendScan, type ScanEntry } from '../scan/process';
import { ScanInput } from '../scan/ScanInput';
import { ScanLog } from '../scan/ScanLog';

interface Place {
  pk: number;
  name: string;
  path: string;
  structural: boolean;
}
interface Item {
  pk: number;
  name: string;
  quantity: number;
  where: string;
}

const str = (v: unknown) => (v === null || v === undefined ? '' : String(v));

function toPlace(o: JsonObject, pk: number): Place {
  return { pk, name: str(o.name), path: str(o.pathstring) || str(o.name), structural: o.structural === true };
}

function toItem(o: JsonObject, pk: number): Item {
  const part = (o.part_detail ?? {}) as JsonObject;
  const serial = str(o.serial);
  const name = `${str(part.name) || `Part ${str(o.part)}`}${serial === '' ? '' : ` #${serial}`}`;
  return { pk, name, quantity: Number(o.quantity ?? 0), where: str(((o.location_detail ?? {}) as JsonObject).pathstring) };
}

export function MovePage() {
  const { search } = useLocation();
  const [destination, setDestination] = useState<Place | null>(null);
  const [pending, setPending] = useState<Item[]>([]);
  const [entries, setEntries] = useState<ScanEntry[]>([]);
  const [error, setError] = useState<string | null>(null);
  const destinationRef = useRef(destination);
  const pendingRef = useRef(pending);
  destinationRef.current = destination;
  pendingRef.current = pending;

  useEffect(() => {
    const item = search.get('item');
    const location = search.get('location');
    if (item !== null && /^\d+$/.test(item)) {
      get<JsonObject>(`/api/stock/${item}/?part_detail=true&location_detail=true`)
        .then((o) => setPending([toItem(o, Number(item))]))
        .catch((e) => setError(errorText(e)));
    }
    if (location !== null && /^\d+$/.test(location)) {
      get<JsonObject>(`/api/stock/location/${location}/`)
        .then((o) => setDestination(toPlace(o, Number(location))))
        .catch((e) => setError(errorText(e)));
    }
    // Only the link that opened the page counts.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const log = (entry: ScanEntry) => setEntries((list) => [entry, ...list.filter((e) => e.id !== entry.id)].slice(0, 100));

  const transfer = async (items: Item[], place: Place): Promise<void> => {
    await post('/api/stock/transfer/', {
      items: items.map((i) => ({ pk: i.pk, quantity: i.quantity })),
      location: place.pk,
      notes: 'Moved by scanning (Stockscan web app)',
    });
  };

  const scan = async (raw: string) => {
    const entry = newEntry(raw);
    log(entry);
    const finish = (state: ScanEntry['state'], message: string, objects = entry.objects) => {
      log({ ...entry, state, message, objects });
      feedback(state === 'ok' ? 'ok' : state === 'warn' ? 'warn' : 'error');
    };
    const reply = await sendScan('/api/barcode/', { barcode: entry.data });
    if (reply.error !== undefined) return finish('error', reply.error);
    const objects = matchedObjects(reply.answer);
    const location = objects.find((o) => o.model.type === 'stocklocation');
    const stock = objects.find((o) => o.model.type === 'stockitem');
    try {
      if (location !== undefined) {
        const place = toPlace(location.instance ?? {}, location.pk);
        if (place.structural) return finish('error', `${place.path} is a structural location: it holds no stock itself. Scan a shelf or bin inside it.`, objects);
        const waiting = pendingRef.current;
        if (waiting.length > 0) {
          await transfer(waiting, place);
          setPending([]);
          setDestination(null);
          return finish('ok', `Moved ${waiting.map((i) => i.name).join(', ')} to ${place.path}.`, objects);
        }
        setDestination(place);
        return finish('ok', `Destination set: ${place.path}. Every stock item you scan now moves there.`, objects);
      }
      if (stock !== undefined) {
        const detail = await get<JsonObject>(`/api/stock/${stock.pk}/?part_detail=true&location_detail=true`);
        const item = toItem(detail, stock.pk);
        const place = destinationRef.current;
        if (place !== null) {
          await transfer([item], place);
          return finish('ok', `Moved ${item.name} (${formatQuantity(item.quantity)}) to ${place.path}.`, objects);
        }
        if (!pendingRef.current.some((i) => i.pk === item.pk)) setPending((list) => [...list, item]);
        return finish('warn', `${item.name} is ready to move. Scan the location it goes to.`, objects);
      }
      const what = objects[0]?.model.label.toLowerCase() ?? 'something else';
      return finish('error', `This is a ${what}, not a stock item or a location.`, objects);
    } catch (e) {
      return finish('error', errorText(e), objects);
    }
  };

  return (
    <Page title="Move stock">
      <p>Scan stock items, then the location they go to. Or scan a location first: every item you scan after it moves there. Each move takes the whole stock item.</p>
      <ScanInput onScan={(raw) => void scan(raw)} label="Scan a stock item or a location" continuousDefault />
      <ErrorBox error={error} />
      <section className="panel" aria-labelledby="move-state">
        <h2 id="move-state">Now</h2>
        {destination !== null ? (
          <Notice kind="info">
            Destination: <Link to={webUrl('stocklocation', destination.pk)}>{destination.path}</Link>. Items you scan move there.{' '}
            <button type="button" className="small" onClick={() => setDestination(null)}>
              Stop moving to {destination.name}
            </button>
          </Notice>
        ) : (
          <p>No destination yet: scan a location.</p>
        )}
        {pending.length > 0 && (
          <>
            <h3>Waiting for a location</h3>
            <ul className="plain">
              {pending.map((i) => (
                <li key={i.pk}>
                  <Link to={webUrl('stockitem', i.pk)}>{i.name}</Link> ({formatQuantity(i.quantity)}){i.where !== '' && `, now in ${i.where}`}{' '}
                  <button type="button" className="small" aria-label={`Do not move ${i.name}`} onClick={() => setPending((list) => list.filter((x) => x.pk !== i.pk))}>
                    Remove
                  </button>
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
      <ScanLog entries={entries} title="Moves" />
    </Page>
  );
}
