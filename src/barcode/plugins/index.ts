/** Every barcode plugin, in registry order (decision D19). */
import { internalBarcodePlugin } from './internal.js';
import { digikeyPlugin, lcscPlugin, mouserPlugin, tmePlugin } from './suppliers.js';
import type { BarcodePlugin } from './types.js';

export const BARCODE_PLUGINS: readonly BarcodePlugin[] = [internalBarcodePlugin, digikeyPlugin, mouserPlugin, lcscPlugin, tmePlugin];
