/** Scan anything: what it is, what was repaired, or why nothing was found. */
import { useState } from 'react';
import { Page } from '../components/ui';
import { webUrl } from '../models';
import { navigate } from '../router';
import { feedback, setSoundEnabled, setVibrationEnabled, soundEnabled, vibrationEnabled } from '../scan/feedback';
import { newEntry, sendScan, settleScan, type ScanEntry } from '../scan/process';
import { ScanInput } from '../scan/ScanInput';
import { ScanLog } from '../scan/ScanLog';

/** Kept while the app is open, so that coming back from an object shows the list again. */
let kept: ScanEntry[] = [];

export function ScanPage() {
  const [entries, setEntries] = useState<ScanEntry[]>(kept);
  const [openMatch, setOpenMatch] = useState(() => localStorage.getItem('stockscan-open-match') === 'on');
  const [sound, setSound] = useState(soundEnabled);
  const [vibrate, setVibrate] = useState(vibrationEnabled);

  const update = (entry: ScanEntry) =>
    setEntries((list) => {
      kept = list.map((e) => (e.id === entry.id ? entry : e));
      return kept;
    });

  const scan = async (raw: string) => {
    const entry = newEntry(raw);
    setEntries((list) => {
      kept = [entry, ...list].slice(0, 100);
      return kept;
    });
    const settled = settleScan(entry, await sendScan('/api/barcode/', { barcode: entry.data }));
    update(settled);
    feedback(settled.state === 'ok' ? 'ok' : 'error');
    const only = settled.objects.length === 1 ? settled.objects[0] : undefined;
    if (openMatch && settled.state === 'ok' && only !== undefined) navigate(webUrl(only.model.type, only.pk));
    for (const more of entry.rest) await scan(more);
  };

  return (
    <Page title="Scan">
      <ScanInput onScan={(raw) => void scan(raw)} label="Scan or type a barcode" continuousDefault />
      <fieldset className="options">
        <legend>Options</legend>
        <label>
          <input
            type="checkbox"
            checked={openMatch}
            onChange={(e) => {
              setOpenMatch(e.target.checked);
              localStorage.setItem('stockscan-open-match', e.target.checked ? 'on' : 'off');
            }}
          />{' '}
          Open the object after a match
        </label>
        <label>
          <input
            type="checkbox"
            checked={sound}
            onChange={(e) => {
              setSound(e.target.checked);
              setSoundEnabled(e.target.checked);
            }}
          />{' '}
          Sound
        </label>
        <label>
          <input
            type="checkbox"
            checked={vibrate}
            onChange={(e) => {
              setVibrate(e.target.checked);
              setVibrationEnabled(e.target.checked);
            }}
          />{' '}
          Vibration
        </label>
      </fieldset>
      <ScanLog
        entries={entries}
        title="Results"
        onClear={() => {
          kept = [];
          setEntries([]);
        }}
      />
    </Page>
  );
}
