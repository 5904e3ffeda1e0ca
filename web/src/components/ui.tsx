/** Small building blocks shared by the pages. */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Link } from '../router';
import type { Field } from '../models';

export function Page({ title, children, actions }: { title: string; children: ReactNode; actions?: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Stockscan`;
  }, [title]);
  // A new page: screen readers and keyboards start at its heading, unless a field took the focus.
  useEffect(() => {
    const active = document.activeElement;
    if (active === null || !['INPUT', 'SELECT', 'TEXTAREA'].includes(active.tagName)) heading.current?.focus({ preventScroll: true });
  }, []);
  return (
    <section className="page" aria-labelledby="page-title">
      <div className="page-head">
        <h1 id="page-title" ref={heading} tabIndex={-1}>
          {title}
        </h1>
        {actions !== undefined && <div className="page-actions no-print">{actions}</div>}
      </div>
      {children}
    </section>
  );
}

export function Fields({ fields }: { fields: Field[] }) {
  const shown = fields.filter(([, value]) => value !== '' && value !== null && value !== undefined);
  return (
    <dl className="fields">
      {shown.map(([label, value, link]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{link !== undefined ? <Link to={link}>{String(value)}</Link> : String(value)}</dd>
        </div>
      ))}
    </dl>
  );
}

export function Loading({ what = 'Loading' }: { what?: string }) {
  return (
    <p className="loading" role="status">
      {what}…
    </p>
  );
}

export function ErrorBox({ error }: { error: string | null | undefined }) {
  if (error === null || error === undefined || error === '') return null;
  return (
    <p className="error" role="alert">
      {error}
    </p>
  );
}

export function Notice({ children, kind = 'ok' }: { children: ReactNode; kind?: 'ok' | 'warn' | 'info' }) {
  return (
    <p className={`notice ${kind}`} role="status">
      {children}
    </p>
  );
}

/** A button that asks once more before it acts (no browser dialog). */
export function ConfirmButton({
  label,
  question,
  confirmLabel,
  onConfirm,
  disabled,
  className,
  ariaLabel,
}: {
  label: string;
  question: string;
  confirmLabel?: string;
  onConfirm(): void | Promise<void>;
  disabled?: boolean;
  className?: string;
  /** A name that tells this button from its neighbours (e.g. one per table row). */
  ariaLabel?: string;
}) {
  const [asking, setAsking] = useState(false);
  const yes = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (asking) yes.current?.focus();
  }, [asking]);
  if (!asking) {
    return (
      <button type="button" className={className} disabled={disabled} onClick={() => setAsking(true)} aria-label={ariaLabel}>
        {label}
      </button>
    );
  }
  return (
    <span className="confirm" role="group" aria-label={question}>
      <span>{question}</span>{' '}
      <button
        type="button"
        ref={yes}
        className="danger"
        onClick={async () => {
          setAsking(false);
          await onConfirm();
        }}
      >
        {confirmLabel ?? 'Yes'}
      </button>{' '}
      <button type="button" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}

export type Symbology = 'qrcode' | 'datamatrix' | 'code128';

export function renderUrl(data: string, symbology: Symbology = 'qrcode', format: 'svg' | 'png' = 'svg'): string {
  const params = new URLSearchParams({ data, symbology, format });
  return `/api/barcode/render/?${params.toString()}`;
}

export function BarcodeImage({ data, symbology = 'qrcode', alt, className }: { data: string; symbology?: Symbology; alt: string; className?: string }) {
  return <img className={className ?? `barcode ${symbology}`} src={renderUrl(data, symbology)} alt={alt} />;
}
