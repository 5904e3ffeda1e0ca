/**
 * One scan control for every page: a keyboard-wedge field and a camera scanner. Which one is
 * shown is remembered (as InvenTree's web UI does with `barcodeInputType`).
 */
import { useState } from 'react';
import { CameraScanner } from './CameraScanner';
import { WedgeField } from './WedgeField';

type Mode = 'scanner' | 'camera';
const KEY = 'barcodeInputType';

interface Props {
  onScan(raw: string): void;
  label?: string;
  autoFocus?: boolean;
  continuousDefault?: boolean;
  hint?: string;
}

export function ScanInput({ onScan, label, autoFocus = true, continuousDefault, hint }: Props) {
  const [mode, setMode] = useState<Mode>(() => (localStorage.getItem(KEY) === 'camera' ? 'camera' : 'scanner'));
  const choose = (next: Mode) => {
    setMode(next);
    localStorage.setItem(KEY, next);
  };
  return (
    <div className="scan-input">
      <div className="segmented" role="group" aria-label="Scan with">
        <button type="button" aria-pressed={mode === 'scanner'} onClick={() => choose('scanner')}>
          Scanner / keyboard
        </button>
        <button type="button" aria-pressed={mode === 'camera'} onClick={() => choose('camera')}>
          Camera
        </button>
      </div>
      {mode === 'scanner' ? (
        <WedgeField onScan={onScan} autoFocus={autoFocus} {...(label === undefined ? {} : { label })} {...(hint === undefined ? {} : { hint })} />
      ) : (
        <CameraScanner onScan={onScan} {...(continuousDefault === undefined ? {} : { continuousDefault })} />
      )}
    </div>
  );
}
