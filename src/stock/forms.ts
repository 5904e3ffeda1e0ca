/**
 * Request bodies of the stock endpoints (http/fields.ts), with the extra checks InvenTree's
 * serializers make: decimal precision of quantities, in-stock items in stock actions,
 * non-structural destinations.
 */
import { Type } from '@sinclair/typebox';
import { rowExists, type IdTable } from '../db/exists.js';
import * as f from '../http/fields.js';
import { FieldError, MESSAGES } from '../http/fields.js';
import { StockStatus } from '../status/enums.js';
import { pythonStrip } from '../text/python-strip.js';

const exists = (table: IdTable) => rowExists(table);
const customerExists = rowExists('company', { is_customer: true });
const nonStructuralLocation = rowExists('stock_location', { structural: false });

/** Python Decimal's (digits, exponent) view of a number's text, as DRF's precision checks use. */
function decimalShape(text: string): { wholeDigits: number; decimalPlaces: number; totalDigits: number } | undefined {
  const m = /^[+-]?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (m === null) return undefined;
  const intPart = m[1] ?? '';
  const fracPart = m[2] ?? '';
  let digits = `${intPart}${fracPart}`.replace(/^0+/, '');
  if (digits === '') digits = '0';
  const exponent = Number(m[3] ?? '0') - fracPart.length;
  if (exponent >= 0) {
    const total = digits.length + exponent;
    return { wholeDigits: total, decimalPlaces: 0, totalDigits: total };
  }
  const places = -exponent;
  if (digits.length > places) return { wholeDigits: digits.length - places, decimalPlaces: places, totalDigits: digits.length };
  return { wholeDigits: 0, decimalPlaces: places, totalDigits: places };
}

/** DRF/Django decimal precision messages for max_digits 15, decimal_places 5. */
export function precisionErrors(value: unknown): string[] {
  const text = typeof value === 'string' ? pythonStrip(value) : String(value);
  const shape = decimalShape(text);
  if (shape === undefined) return [];
  if (shape.totalDigits > 15) return ['Ensure that there are no more than 15 digits in total.'];
  if (shape.decimalPlaces > 5) return ['Ensure that there are no more than 5 decimal places.'];
  if (shape.wholeDigits > 10) return ['Ensure that there are no more than 10 digits before the decimal point.'];
  return [];
}

/** A stock-action quantity: DRF DecimalField(15, 5, min 0), optionally refusing zero. */
function actionQuantity(nonZero: boolean): f.Field<number> {
  const base = f.decimal({ min: 0, description: 'Quantity' });
  return {
    ...base,
    parse(value, ctx) {
      const n = f.coerceNumber(value);
      if (n === undefined) throw new FieldError([MESSAGES.invalidNumber]);
      const precision = precisionErrors(value);
      if (precision.length > 0) throw new FieldError(precision);
      const parsed = base.parse(value, ctx) as number;
      if (nonZero && parsed <= 0) throw new FieldError(['Quantity must be greater than zero']);
      return parsed;
    },
  };
}

/** A stock item pk for an action: the item must be "in stock" apart from status and quantity. */
function actionItem(): f.Field<number> {
  const base = f.pk({ exists: exists('stock_item'), description: 'StockItem primary key value' });
  return {
    ...base,
    async parse(value, ctx) {
      const pk = await base.parse(value, ctx);
      const item = await ctx.db
        .selectFrom('stock_item')
        .select(['is_building', 'sales_order_id', 'belongs_to_id', 'customer_id', 'consumed_by_id'])
        .where('id', '=', pk)
        .executeTakeFirstOrThrow();
      if (Boolean(item.is_building) || item.sales_order_id !== null || item.belongs_to_id !== null || item.customer_id !== null || item.consumed_by_id !== null) {
        throw new FieldError(['Stock item is not in stock']);
      }
      return pk;
    },
  };
}

const STOCK_STATUS_KEYS = StockStatus.values.map((s) => s.key);

/** The optional per-row status of stock actions: a StockStatus key, or null/"" for "no change". */
function optionalStatus(): f.Field<number | null> {
  const base = f.choice(STOCK_STATUS_KEYS, { nullable: true, required: false, description: 'Stock item status code' });
  return {
    ...base,
    whenMissing: () => null,
    parse(value, ctx) {
      if (value === '') return null;
      return base.parse(value, ctx);
    },
  };
}

export type AdjustKind = 'count' | 'add' | 'remove' | 'transfer';

export function adjustForm(kind: AdjustKind) {
  const row = f.object({
    pk: actionItem(),
    quantity: actionQuantity(kind === 'transfer'),
    batch: f.string({ maxLength: 100, allowBlank: true, required: false, description: 'Batch code for this stock item' }),
    status: optionalStatus(),
    packaging: f.string({ maxLength: 50, allowBlank: true, required: false, description: 'Packaging this stock item is stored in' }),
  });
  const shape = {
    items: f.list(row, { description: 'Stock items and quantities' }),
    notes: f.string({ allowBlank: true, required: false, description: 'Stock transaction notes' }),
    ...(kind === 'transfer' ? { location: f.pk({ exists: nonStructuralLocation, description: 'Destination stock location' }) } : {}),
  };
  return f.object(shape as typeof shape & { location?: f.Field<number> }, {
    validate(value) {
      if ((value.items as unknown[]).length === 0) throw new FieldError({ non_field_errors: ['A list of stock items must be provided'] });
    },
  });
}

export type AdjustBody = {
  items: { pk: number; quantity: number; batch?: string; status: number | null; packaging?: string }[];
  notes?: string;
  location?: number;
};

// --- stock locations ------------------------------------------------------------------------------

export function locationForm(partial: boolean) {
  return f.object({
    name: f.string({ maxLength: 100, required: !partial, description: 'Name' }),
    description: f.string({ maxLength: 250, allowBlank: true, required: false, description: 'Description (optional)' }),
    parent: f.pk({ exists: exists('stock_location'), nullable: true, required: false, description: 'Parent stock location' }),
    structural: f.boolean({ required: false, description: 'Stock items may not be directly located into a structural stock location' }),
    external: f.boolean({ required: false, description: 'This is an external stock location' }),
    custom_icon: f.string({ maxLength: 100, allowBlank: true, required: false, nullable: true, description: 'Icon (optional)' }),
    owner: f.pk({ exists: async () => false, nullable: true, required: false, description: 'Owner' }),
    location_type: f.pk({ exists: async () => false, nullable: true, required: false, description: 'Stock location type of this location' }),
  });
}

// --- stock items ------------------------------------------------------------------------------------

/** InvenTree's decimal field for stock quantities: any number, else "Invalid value". */
function itemQuantity(): f.Field<number> {
  const base = f.decimal({ required: false, description: 'Stock Quantity' });
  return {
    ...base,
    parse(value) {
      const n = f.coerceNumber(value);
      if (n === undefined) throw new FieldError(['Invalid value']);
      return n;
    },
  };
}

export function itemForm(mode: 'create' | 'put' | 'patch') {
  const opt = { required: false } as const;
  return f.object({
    part: f.pk({ exists: exists('part'), required: mode === 'put', description: 'Base Part' }),
    quantity: itemQuantity(),
    serial: f.string({ maxLength: 100, allowBlank: true, nullable: true, ...opt, description: 'Serial number for this item' }),
    serial_numbers: f.string({ allowBlank: true, nullable: true, ...opt, description: 'Enter serial numbers for new items' }),
    use_pack_size: f.boolean({ nullable: true, ...opt, description: 'Use pack size when adding: the quantity defined is the number of packs' }),
    batch: f.string({ maxLength: 100, allowBlank: true, nullable: true, ...opt, description: 'Batch code for this stock item' }),
    location: f.pk({ exists: exists('stock_location'), nullable: true, ...opt, description: 'Where is this stock item located?' }),
    supplier_part: f.pk({ exists: exists('supplier_part'), nullable: true, ...opt, description: 'Select a matching supplier part for this stock item' }),
    status: f.choice(STOCK_STATUS_KEYS, { ...opt, description: 'Stock item status code' }),
    status_custom_key: f.choice(STOCK_STATUS_KEYS, { nullable: true, ...opt, description: 'Custom status key' }),
    expiry_date: f.date({ nullable: true, ...opt, description: 'Expiry date for stock item' }),
    packaging: f.string({ maxLength: 50, allowBlank: true, nullable: true, ...opt, description: 'Packaging this stock item is stored in' }),
    link: f.string({ maxLength: 2000, allowBlank: true, ...opt, description: 'Link to external URL' }),
    notes: f.string({ allowBlank: true, nullable: true, trim: false, ...opt, description: 'Markdown notes (optional)' }),
    purchase_price: f.decimal({ nullable: true, ...opt, description: 'Purchase price of this stock item, per unit or pack' }),
    purchase_price_currency: f.string({ maxLength: 3, allowBlank: true, ...opt, description: 'Purchase currency of this stock item' }),
    purchase_order: f.pk({ exists: exists('purchase_order'), nullable: true, ...opt, description: 'Purchase order for this stock item' }),
    sales_order: f.pk({ exists: exists('sales_order'), nullable: true, ...opt, description: 'Destination Sales Order' }),
    customer: f.pk({ exists: customerExists, nullable: true, ...opt, description: 'Customer' }),
    belongs_to: f.pk({ exists: exists('stock_item'), nullable: true, ...opt, description: 'Is this item installed in another item?' }),
    build: f.pk({ exists: exists('build'), nullable: true, ...opt, description: 'Build for this stock item' }),
    consumed_by: f.pk({ exists: exists('build'), nullable: true, ...opt, description: 'Build order which consumed this stock item' }),
    is_building: f.boolean({ ...opt }),
    delete_on_deplete: f.boolean({ ...opt, description: 'Delete this Stock Item when stock is depleted' }),
    owner: f.pk({ exists: async () => false, nullable: true, ...opt, description: 'Select Owner' }),
  });
}

export type ItemFormValue = f.Infer<ReturnType<typeof itemForm>>;

/** Bulk delete body: `{"items": [pk, ...]}`. */
export const BulkDeleteBody = Type.Object({ items: Type.Array(Type.Integer()) }, { additionalProperties: true });
