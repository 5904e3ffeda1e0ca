/** Every barcode plugin, in registry order (decision D19). */
import { internalBarcodePlugin } from './internal.js';
import type { BarcodePlugin } from './types.js';

export const BARCODE_PLUGINS: readonly BarcodePlugin[] = [internalBarcodePlugin];
