/**
 * The text `stockscan demo` prints after loading: what was created, a few barcodes to try and
 * how to scan them with curl.
 */
import { BARCODE_LINKS, COMPANIES, LOCATIONS, PARTS, STOCK } from './data.js';
import { DIGIKEY_LABEL, LCSC_LABEL, MOUSER_LABEL, TME_LABEL, jsonLiteral } from './labels.js';
import { describeCounts, type DemoResult } from './loader.js';

export interface SummaryOptions {
  /** Where the database is (display form, no password). */
  database: string;
  /** Base URL of the server for the curl examples, e.g. http://127.0.0.1:8000 */
  baseUrl: string;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function linkDescription(barcode: string): string {
  const link = BARCODE_LINKS.find((l) => l.barcode === barcode);
  if (link === undefined) return '';
  const t = link.target;
  if (t.kind === 'location') return `${link.note.toLowerCase()} on ${LOCATIONS.find((l) => l.key === t.key)?.name ?? t.key}`;
  if (t.kind === 'part') return `${link.note.toLowerCase()} on part ${t.ipn}`;
  return `${link.note.toLowerCase()} on ${PARTS.find((p) => p.ipn === t.part)?.name ?? t.part} #${t.serial}`;
}

export function formatSummary(result: DemoResult, options: SummaryOptions): string {
  const parts = PARTS.filter((p) => result.parts[p.ipn] !== undefined);
  const serialized = result.stockItems.filter((i) => i.serial !== null).length;
  const batched = STOCK.filter((s) => s.serials === undefined && s.batch !== undefined).length;
  const suppliers = result.plugins.map((p) => p.company);
  const manufacturers = COMPANIES.filter((c) => c.roles.includes('manufacturer')).length;
  const customers = COMPANIES.filter((c) => c.roles.includes('customer')).map((c) => c.name);
  const digikeyPo = result.purchaseOrders.find((p) => p.supplierReference === '72991337');
  const pad = (text: string) => text.padEnd(14);

  const lines: string[] = [];
  lines.push(`Loaded the demo electronics workshop into ${options.database}:`);
  if (Object.keys(result.existing).length > 0) lines.push(`  (added to the data already there: ${describeCounts(result.existing)})`);
  lines.push(`  ${plural(Object.keys(result.categories).length, 'part category', 'part categories')}, ${plural(Object.keys(result.locations).length, 'stock location')} (warehouse, shelves, bins)`);
  lines.push(
    `  ${plural(parts.length, 'part')} with IPNs: ${parts.filter((p) => p.template).length} templates with ${parts.filter((p) => p.variantOf !== undefined).length} variants, ` +
      `${parts.filter((p) => p.trackable).length} trackable, ${parts.filter((p) => p.salable).length} salable, ${plural(parts.filter((p) => p.assembly).length, 'assembly', 'assemblies')}`,
  );
  lines.push(`  companies: suppliers ${suppliers.join(', ')}; ${plural(manufacturers, 'manufacturer')}; customer ${customers.join(', ')}`);
  lines.push(`  ${plural(Object.keys(result.manufacturerParts).length, 'manufacturer part')}, ${plural(Object.keys(result.supplierParts).length, 'supplier part')}`);
  lines.push(`  ${plural(result.stockItems.length, 'stock item')} (${serialized} serialized, ${batched} with batch codes)`);
  lines.push(
    `  ${plural(result.purchaseOrders.length, 'purchase order')}, placed: ` +
      result.purchaseOrders.map((p) => `${p.reference} ${p.supplier} (supplier reference ${p.supplierReference})`).join(', '),
  );
  lines.push(
    `  ${plural(result.salesOrders.length, 'sales order')}: ` +
      result.salesOrders
        .map((s) => `${s.reference} ${s.customer} (${s.issued ? 'in progress' : 'pending'}, ${plural(s.lines, 'line')}${s.allocations > 0 ? `, ${plural(s.allocations, 'item')} allocated to its shipment` : ''})`)
        .join(', '),
  );
  if (result.builds.length > 0) {
    lines.push(`  ${plural(result.builds.length, 'build order')}: ${result.builds.map((b) => `${b.reference} (${b.quantity} x ${PARTS.find((p) => p.ipn === b.part)?.name ?? b.part})`).join(', ')}`);
  }
  lines.push(`  ${plural(result.barcodeLinks.length, 'custom barcode')} linked: ${result.barcodeLinks.map((l) => l.barcode).join(', ')}`);
  lines.push(`  supplier plugins activated: ${result.plugins.map((p) => p.name).join(', ')}`);
  for (const p of result.plugins.filter((x) => x.reused)) lines.push(`    (${p.name} keeps its existing supplier "${p.company}", company ${p.companyId})`);

  lines.push('');
  lines.push('Barcodes to try (scan them with POST /api/barcode/):');
  lines.push(`  ${pad(result.generated.location.barcode)} ${result.generated.location.name}`);
  lines.push(`  ${pad(result.generated.stockItem.barcode)} ${result.generated.stockItem.name}`);
  for (const link of result.barcodeLinks) lines.push(`  ${pad(link.barcode)} ${linkDescription(link.barcode)}`);
  lines.push(`  ${pad('DigiKey label')} supplier part 296-LM358BIDDFRCT-ND${digikeyPo ? `; po-receive receives 10 x LM358B against ${digikeyPo.reference}` : ''}`);
  const mouserPo = result.purchaseOrders.find((p) => p.supplierReference === 'P0-1337');
  lines.push(
    `  ${pad('Mouser label')} supplier part 595-MC34063ADR (by its MPN)${mouserPo ? `; its order number K P0-1337 is the supplier reference of ${mouserPo.reference}` : ''}`,
  );
  lines.push(`  ${pad('LCSC label')} ${LCSC_LABEL}`);
  lines.push(`  ${pad('TME label')} ${TME_LABEL}`);
  lines.push('  (the DigiKey and Mouser labels hold control characters: see the curl lines below for them in JSON)');

  const curl = (path: string, body: string) =>
    `  curl -s ${options.baseUrl}${path} -H "Authorization: Token $TOKEN" -H 'Content-Type: application/json' -d '{"barcode": ${body}}'`;
  lines.push('');
  lines.push('Scan with curl:');
  lines.push('  npx stockscan serve                  # in another terminal (with no users yet, it creates admin)');
  lines.push('  TOKEN=$(npx stockscan token admin)   # or your own user name');
  lines.push(curl('/api/barcode/', jsonLiteral(result.generated.location.barcode)));
  lines.push(curl('/api/barcode/', jsonLiteral(MOUSER_LABEL)));
  lines.push(curl('/api/barcode/po-receive/', jsonLiteral(DIGIKEY_LABEL)));
  return lines.join('\n');
}
