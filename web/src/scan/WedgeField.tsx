/**
 * The keyboard-wedge field: a scanner that types like a keyboard, or a person typing.
 * It keeps the control characters labels carry (GS, RS, EOT) and sends the scan on Enter or
 * on EOT. Scanners send those characters either as text or as the keyboard chords of the
 * ASCII control codes: Ctrl+] (GS), Ctrl+^ (RS), Ctrl+D (EOT, which also ends the scan).
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { ControlText } from './ControlText';
import { EOT, GS, RS } from './text';

interface Props {
  onScan(raw: string): void;
  label?: string;
  autoFocus?: boolean;
  /** Shown under the field. */
  hint?: string;
}

/** The control character of a Ctrl chord, if it is one scanners use. */
function chordCharacter(event: KeyboardEvent<HTMLInputElement>): string | undefined {
  if (!event.ctrlKey || event.altKey || event.metaKey) return undefined;
  if (event.key === ']' || event.code === 'BracketRight') return GS;
  if (event.key === '^' || (event.shiftKey && event.code === 'Digit6')) return RS;
  if (event.code === 'KeyD' || event.key === 'd' || event.key === 'D') return EOT;
  return undefined;
}

/** Puts the cursor back in the page's scan field (after a form, so the next scan lands there). */
export function focusWedge(): void {
  document.querySelector<HTMLInputElement>('input[data-wedge]')?.focus();
}

export function WedgeField({ onScan, label = 'Scan or type a barcode', autoFocus = false, hint }: Props) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [typed, setTyped] = useState('');

  useEffect(() => {
    if (autoFocus) input.current?.focus();
  }, [autoFocus]);

  const send = (raw: string) => {
    if (raw.replace(/[\s\u0004]/g, '') !== '') onScan(raw);
  };

  /** Sends everything up to an EOT (included); keeps what follows it. */
  const settle = () => {
    const el = input.current;
    if (el === null) return;
    let value = el.value;
    let at = value.indexOf(EOT);
    while (at >= 0) {
      send(value.slice(0, at + 1));
      value = value.slice(at + 1);
      at = value.indexOf(EOT);
    }
    el.value = value;
    setTyped(value);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    const el = event.currentTarget;
    if (event.key === 'Enter') {
      event.preventDefault();
      const value = el.value;
      el.value = '';
      setTyped('');
      send(value);
      return;
    }
    let character = chordCharacter(event);
    // Some wedges deliver the control character itself as the key.
    if (character === undefined && event.key.length === 1 && event.key.charCodeAt(0) < 0x20) character = event.key;
    if (character === undefined) return;
    event.preventDefault();
    const start = el.selectionStart ?? el.value.length;
    const end = el.selectionEnd ?? start;
    el.setRangeText(character, start, end, 'end');
    settle();
  };

  const hasControls = /[\u0000-\u001f]/.test(typed);
  return (
    <div className="wedge">
      <label htmlFor={id}>{label}</label>
      <div className="wedge-row">
        <input
          id={id}
          ref={input}
          type="text"
          inputMode="text"
          autoComplete="off"
          autoCorrect="off"
          autoCapitalize="off"
          spellCheck={false}
          enterKeyHint="send"
          data-wedge=""
          aria-describedby={`${id}-hint`}
          onKeyDown={onKeyDown}
          onInput={settle}
        />
        <button
          type="button"
          onClick={() => {
            const el = input.current;
            if (el === null) return;
            const value = el.value;
            el.value = '';
            setTyped('');
            send(value);
            el.focus();
          }}
        >
          Send
        </button>
      </div>
      <p id={`${id}-hint`} className="hint">
        {hint ?? 'A scanner ends each scan with Enter (or EOT). Control characters are kept: Ctrl+] is GS, Ctrl+^ is RS, Ctrl+D is EOT.'}
      </p>
      {hasControls && (
        <p className="typed" aria-live="off">
          Typed so far: <ControlText text={typed} />
        </p>
      )}
    </div>
  );
}
