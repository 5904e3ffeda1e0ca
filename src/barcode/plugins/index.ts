/** Every barcode plugin, in registry order (decision D19: the internal plugin, DigiKey, Mouser, LCSC, TME, then the further plugins). */
import { eciaPlugin } from './ecia.js';
import { gs1Plugin } from './gs1.js';
import { internalBarcodePlugin } from './internal.js';
import { digikeyPlugin, lcscPlugin, mouserPlugin, tmePlugin } from './suppliers.js';
import type { BarcodePlugin } from './types.js';

export const BARCODE_PLUGINS: readonly BarcodePlugin[] = [internalBarcodePlugin, digikeyPlugin, mouserPlugin, lcscPlugin, tmePlugin, eciaPlugin, gs1Plugin];
