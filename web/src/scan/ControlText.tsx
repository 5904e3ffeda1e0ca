/** Barcode text with its control characters shown as small named tokens (GS, RS, EOT…). */
const NAMES: Record<number, [string, string]> = {
  0x04: ['EOT', 'End of transmission'],
  0x09: ['TAB', 'Tab'],
  0x0a: ['LF', 'Line feed'],
  0x0d: ['CR', 'Carriage return'],
  0x1c: ['FS', 'File separator'],
  0x1d: ['GS', 'Group separator'],
  0x1e: ['RS', 'Record separator'],
  0x1f: ['US', 'Unit separator'],
};

export function ControlText({ text, max }: { text: string; max?: number }) {
  const cut = max !== undefined && text.length > max;
  const shown = cut ? text.slice(0, max - 1) : text;
  const parts: (string | { code: number })[] = [];
  let plain = '';
  for (const ch of shown) {
    const code = ch.charCodeAt(0);
    if (code < 0x20 || code === 0x7f) {
      if (plain !== '') parts.push(plain);
      plain = '';
      parts.push({ code });
    } else plain += ch;
  }
  if (plain !== '') parts.push(plain);
  return (
    <code className="barcode-text">
      {parts.map((p, i) => {
        if (typeof p === 'string') return p;
        const [short, long] = NAMES[p.code] ?? [`0x${p.code.toString(16).padStart(2, '0')}`, 'Control character'];
        return (
          <abbr key={i} className="ctl" title={long}>
            {short}
          </abbr>
        );
      })}
      {cut && '…'}
    </code>
  );
}
