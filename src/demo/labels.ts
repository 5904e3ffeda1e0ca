/**
 * The distributor sample labels of supplier-barcodes.md §3 that the demo dataset answers to
 * (exact strings, control characters included). Used for the "barcodes to try" summary.
 */
export const DIGIKEY_LABEL =
  '[)>\x1e06\x1dP296-LM358BIDDFRCT-ND\x1d1PLM358BIDDFR\x1dK\x1d1K72991337\x1d10K85781337\x1d11K1\x1d4LPH\x1dQ10\x1d11ZPICK\x1d12Z15221337\x1d13Z361337\x1d20Z' +
  '0'.repeat(175);
export const MOUSER_LABEL = '[)>\x1e06\x1dKP0-1337\x1d14K011\x1d1PMC34063ADR\x1dQ3\x1d11K073121337\x1d4LMX\x1d1VTI\x1e\x04';
export const LCSC_LABEL = '{pbn:PICK2009291337,on:SO2009291337,pc:C312270,pm:ST-1-102-A01-T000-RS,qty:2,mc:,cc:1,pdi:34421807}';
export const TME_LABEL = 'QTY:1 PN:WBP-302 PO:19361337/1 CPO:PO-2023-06-08-001337 MFR:WISHERENTERPRISE MPN:WBP-302 RoHS https://www.tme.eu/details/WBP-302';

/** A label as a JSON string literal (control characters as \u escapes), for curl bodies. */
export function jsonLiteral(text: string): string {
  return JSON.stringify(text).replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
