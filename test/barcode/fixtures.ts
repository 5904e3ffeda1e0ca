/**
 * The objects barcode-api.md §9 assumes: stock items 1, 521, 522 (not 5); locations 1, 2, 5,
 * 7; parts 1, 2, 5, 10004; supplier part 1; one object linked to `blbla=10004`.
 */
import type { Harness } from '../helpers/app.js';

export interface BarcodeFixtures {
  parts: number[];
  locations: number[];
  items: number[];
  supplierPart: number;
  linkedPart: number;
}

export async function barcodeFixtures(h: Harness): Promise<BarcodeFixtures> {
  const fx = h.fx;
  const loc1 = await fx.location({ id: 1, name: 'Warehouse' });
  await fx.location({ id: 2, name: 'Shelf A', parent_id: loc1 });
  await fx.location({ id: 5, name: 'Shelf B', parent_id: loc1 });
  await fx.location({ id: 7, name: 'Bin 7', parent_id: loc1 });
  const cat = await fx.category({ name: 'Electronics' });
  for (const id of [1, 2, 5, 10004]) await fx.part({ id, name: `Part ${id}`, category_id: cat, salable: true });
  for (const id of [1, 521, 522]) await fx.stockItem({ id, part_id: 1, quantity: 10, location_id: 1 });
  const supplier = await fx.company({ name: 'Supplier Co', is_supplier: true });
  await fx.supplierPart({ id: 1, part_id: 1, supplier_id: supplier, sku: 'SKU-1' });
  await fx.link('part', 2, 'blbla=10004');
  return { parts: [1, 2, 5, 10004], locations: [1, 2, 5, 7], items: [1, 521, 522], supplierPart: 1, linkedPart: 2 };
}
