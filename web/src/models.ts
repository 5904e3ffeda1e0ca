/**
 * The ten barcodable models as the web app shows them: API URL, web route (InvenTree's
 * /web/... routes, decision D15), how to name an object and which fields matter.
 */
import type { Json, JsonObject } from './api';

export type ModelType =
  | 'build'
  | 'manufacturerpart'
  | 'supplierpart'
  | 'purchaseorder'
  | 'salesorder'
  | 'salesordershipment'
  | 'returnorder'
  | 'part'
  | 'stocklocation'
  | 'stockitem';

export type Field = [label: string, value: string | number | null | undefined, link?: string];

export interface ModelInfo {
  type: ModelType;
  /** Short-barcode code, e.g. PA. */
  code: string;
  label: string;
  apiList: string;
  /** Query added to the detail request (nested details). */
  detailQuery: string;
  /** The page of one object, below /web. */
  route: string;
  /** Main name of an object (label line 1). */
  title(o: JsonObject): string;
  /** Secondary identifier (label line 2): IPN, reference, serial… */
  subtitle(o: JsonObject): string;
  fields(o: JsonObject): Field[];
}

const s = (v: Json | undefined): string => (v === null || v === undefined ? '' : String(v));
const obj = (v: Json | undefined): JsonObject => (typeof v === 'object' && v !== null && !Array.isArray(v) ? v : {});
const num = (v: Json | undefined): number | null => (typeof v === 'number' ? v : v === null || v === undefined || v === '' ? null : Number(v));

export function formatQuantity(v: Json | undefined): string {
  const n = num(v);
  if (n === null || Number.isNaN(n)) return s(v);
  return Number.isInteger(n) ? String(n) : String(Math.round(n * 100000) / 100000);
}

function partName(o: JsonObject): string {
  const detail = obj(o.part_detail);
  return s(detail.name) || s(o.part_name);
}

const link = (type: ModelType, pk: Json | undefined): string | undefined => (typeof pk === 'number' ? webUrl(type, pk) : undefined);

export const MODELS: readonly ModelInfo[] = [
  {
    type: 'build',
    code: 'BO',
    label: 'Build order',
    apiList: '/api/build/',
    detailQuery: '?part_detail=true',
    route: '/manufacturing/build-order/',
    title: (o) => s(o.reference),
    subtitle: (o) => `${formatQuantity(o.quantity)} × ${partName(o)}`,
    fields: (o) => [
      ['Reference', s(o.reference)],
      ['Title', s(o.title)],
      ['Part', partName(o) || s(o.part), link('part', o.part)],
      ['Quantity', formatQuantity(o.quantity)],
      ['Completed', formatQuantity(o.completed)],
      ['Status', s(o.status_text)],
      ['Target date', s(o.target_date)],
    ],
  },
  {
    type: 'manufacturerpart',
    code: 'MP',
    label: 'Manufacturer part',
    apiList: '/api/company/part/manufacturer/',
    detailQuery: '?part_detail=true&manufacturer_detail=true',
    route: '/purchasing/manufacturer-part/',
    title: (o) => s(o.MPN),
    subtitle: (o) => [s(obj(o.manufacturer_detail).name), partName(o)].filter((x) => x !== '').join(' · '),
    fields: (o) => [
      ['MPN', s(o.MPN)],
      ['Manufacturer', s(obj(o.manufacturer_detail).name)],
      ['Part', partName(o) || s(o.part), link('part', o.part)],
      ['Description', s(o.description)],
    ],
  },
  {
    type: 'supplierpart',
    code: 'SP',
    label: 'Supplier part',
    apiList: '/api/company/part/',
    detailQuery: '?part_detail=true&supplier_detail=true&manufacturer_detail=true',
    route: '/purchasing/supplier-part/',
    title: (o) => s(o.SKU),
    subtitle: (o) => [s(obj(o.supplier_detail).name), partName(o)].filter((x) => x !== '').join(' · '),
    fields: (o) => [
      ['SKU', s(o.SKU)],
      ['Supplier', s(obj(o.supplier_detail).name)],
      ['Part', partName(o) || s(o.part), link('part', o.part)],
      ['MPN', s(o.MPN), link('manufacturerpart', o.manufacturer_part)],
      ['Packaging', s(o.packaging)],
      ['Pack quantity', s(o.pack_quantity)],
      ['In stock', formatQuantity(o.in_stock)],
      ['On order', formatQuantity(o.on_order)],
    ],
  },
  {
    type: 'purchaseorder',
    code: 'PO',
    label: 'Purchase order',
    apiList: '/api/order/po/',
    detailQuery: '',
    route: '/purchasing/purchase-order/',
    title: (o) => s(o.reference),
    subtitle: (o) => s(o.supplier_name),
    fields: (o) => [
      ['Reference', s(o.reference)],
      ['Supplier', s(o.supplier_name)],
      ['Supplier reference', s(o.supplier_reference)],
      ['Status', s(o.status_text)],
      ['Lines', `${s(o.completed_lines)} of ${s(o.line_items)} complete`],
      ['Description', s(o.description)],
      ['Target date', s(o.target_date)],
    ],
  },
  {
    type: 'salesorder',
    code: 'SO',
    label: 'Sales order',
    apiList: '/api/order/so/',
    detailQuery: '?customer_detail=true',
    route: '/sales/sales-order/',
    title: (o) => s(o.reference),
    subtitle: (o) => s(obj(o.customer_detail).name) || s(o.customer_reference),
    fields: (o) => [
      ['Reference', s(o.reference)],
      ['Customer', s(obj(o.customer_detail).name)],
      ['Customer reference', s(o.customer_reference)],
      ['Status', s(o.status_text)],
      ['Lines', `${s(o.completed_lines)} of ${s(o.line_items)} complete`],
      ['Shipments', `${s(o.completed_shipments_count)} of ${s(o.shipments_count)} sent`],
      ['Description', s(o.description)],
      ['Target date', s(o.target_date)],
    ],
  },
  {
    type: 'salesordershipment',
    code: 'SS',
    label: 'Shipment',
    apiList: '/api/order/so/shipment/',
    detailQuery: '?order_detail=true',
    route: '/sales/shipment/',
    title: (o) => `Shipment ${s(o.reference)}`,
    subtitle: (o) => s(obj(o.order_detail).reference),
    fields: (o) => [
      ['Reference', s(o.reference)],
      ['Sales order', s(obj(o.order_detail).reference), link('salesorder', o.order)],
      ['Allocated items', s(o.allocated_items)],
      ['Shipment date', s(o.shipment_date) || 'not sent'],
      ['Delivery date', s(o.delivery_date)],
      ['Tracking number', s(o.tracking_number)],
    ],
  },
  {
    type: 'returnorder',
    code: 'RO',
    label: 'Return order',
    apiList: '/api/order/ro/',
    detailQuery: '?customer_detail=true',
    route: '/sales/return-order/',
    title: (o) => s(o.reference),
    subtitle: (o) => s(obj(o.customer_detail).name) || s(o.customer_reference),
    fields: (o) => [
      ['Reference', s(o.reference)],
      ['Customer', s(obj(o.customer_detail).name)],
      ['Customer reference', s(o.customer_reference)],
      ['Status', s(o.status_text)],
      ['Description', s(o.description)],
    ],
  },
  {
    type: 'part',
    code: 'PA',
    label: 'Part',
    apiList: '/api/part/',
    detailQuery: '',
    route: '/part/',
    title: (o) => s(o.name),
    subtitle: (o) => s(o.IPN),
    fields: (o) => [
      ['Name', s(o.name)],
      ['IPN', s(o.IPN)],
      ['Description', s(o.description)],
      ['Category', s(o.category_name)],
      ['In stock', `${formatQuantity(o.in_stock)}${s(o.units) === '' ? '' : ` ${s(o.units)}`}`],
      ['Available', formatQuantity(o.unallocated_stock)],
      ['On order', formatQuantity(o.ordering)],
    ],
  },
  {
    type: 'stocklocation',
    code: 'SL',
    label: 'Stock location',
    apiList: '/api/stock/location/',
    detailQuery: '',
    route: '/stock/location/',
    title: (o) => s(o.name),
    subtitle: (o) => s(o.pathstring),
    fields: (o) => [
      ['Name', s(o.name)],
      ['Path', s(o.pathstring)],
      ['Description', s(o.description)],
      ['Stock items', s(o.items)],
      ['Sub-locations', s(o.sublocations)],
      ['Structural', o.structural === true ? 'yes (holds no stock itself)' : 'no'],
    ],
  },
  {
    type: 'stockitem',
    code: 'SI',
    label: 'Stock item',
    apiList: '/api/stock/',
    detailQuery: '?part_detail=true&location_detail=true',
    route: '/stock/item/',
    title: (o) => partName(o) || `Stock item ${s(o.pk)}`,
    subtitle: (o) =>
      s(o.serial) !== '' ? `#${s(o.serial)}` : s(o.batch) !== '' ? `Batch ${s(o.batch)} · ${formatQuantity(o.quantity)}` : `Quantity ${formatQuantity(o.quantity)}`,
    fields: (o) => [
      ['Part', partName(o) || s(o.part), link('part', o.part)],
      ['IPN', s(obj(o.part_detail).IPN)],
      ['Quantity', formatQuantity(o.quantity)],
      ['Serial number', s(o.serial)],
      ['Batch', s(o.batch)],
      ['Location', s(obj(o.location_detail).pathstring) || s(obj(o.location_detail).name) || (o.location === null ? 'not in a location' : s(o.location)), link('stocklocation', o.location)],
      ['Status', s(o.status_text)],
      ['Allocated', formatQuantity(o.allocated)],
      ['Supplier part', s(o.SKU), link('supplierpart', o.supplier_part)],
    ],
  },
];

const BY_TYPE = new Map<string, ModelInfo>(MODELS.map((m) => [m.type, m]));

export function modelInfo(type: string): ModelInfo | undefined {
  return BY_TYPE.get(type);
}

export function webUrl(type: ModelType, pk: number): string {
  return `/web${(BY_TYPE.get(type) as ModelInfo).route}${pk}`;
}

/** The model and pk of an object page path, e.g. /web/stock/item/5 (or /web/stock/item/5/details). */
export function matchObjectRoute(pathname: string): { model: ModelInfo; pk: number } | undefined {
  for (const model of MODELS) {
    const prefix = `/web${model.route}`;
    if (!pathname.startsWith(prefix)) continue;
    const m = /^(\d+)(\/.*)?$/.exec(pathname.slice(prefix.length));
    if (m !== null) return { model, pk: Number(m[1]) };
  }
  return undefined;
}

export interface MatchedObject {
  model: ModelInfo;
  pk: number;
  instance: JsonObject | undefined;
}

/** The objects a barcode answer names (`{"part": {"pk": 3, "instance": {…}}, …}`), in model order. */
export function matchedObjects(answer: JsonObject | undefined): MatchedObject[] {
  if (answer === undefined) return [];
  const out: MatchedObject[] = [];
  for (const model of MODELS) {
    const block = answer[model.type];
    if (typeof block !== 'object' || block === null || Array.isArray(block)) continue;
    if (typeof block.pk !== 'number') continue;
    const instance = block.instance;
    out.push({ model, pk: block.pk, instance: typeof instance === 'object' && instance !== null && !Array.isArray(instance) ? instance : undefined });
  }
  return out;
}

export function describeObject(m: MatchedObject): string {
  if (m.instance === undefined) return `${m.model.label} ${m.pk}`;
  const title = m.model.title(m.instance);
  const sub = m.model.subtitle(m.instance);
  return [title, sub].filter((x) => x !== '').join(' · ') || `${m.model.label} ${m.pk}`;
}
