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

/** A search form (Enter or the button searches with the trimmed text); further filters go in as children. */
export function SearchToolbar({ onSearch, placeholder, children }: { onSearch: (text: string) => void; placeholder?: string; children?: ReactNode }) {
  const [text, setText] = useState('');
  return (
    <form
      className="toolbar"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        onSearch(text.trim());
      }}
    >
      <label>
        Search{' '}
        <input type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder={placeholder} />
      </label>
      <button type="submit">Search</button>
      {children}
    </form>
  );
}

/** Previous/next buttons over a list paged by offset. */
export function Pager({
  label,
  offset,
  count,
  pageSize,
  onOffset,
  previous,
  next,
}: {
  label: string;
  offset: number;
  count: number;
  pageSize: number;
  onOffset: (offset: number) => void;
  previous: string;
  next: string;
}) {
  return (
    <nav className="pager" aria-label={label}>
      <button type="button" disabled={offset === 0} onClick={() => onOffset(Math.max(0, offset - pageSize))}>
        {previous}
      </button>
      <button type="button" disabled={offset + pageSize >= count} onClick={() => onOffset(offset + pageSize)}>
        {next}
      </button>
    </nav>
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
