/**
 * Request bodies of `POST /api/order/so/{pk}/allocate/` and
 * `POST /api/order/so/shipment/{pk}/ship/` (core-api.md §9.1, §7.13), with Django REST
 * framework's rules: InvenTree's SalesOrderShipmentAllocationSerializer (a nested list of
 * items plus a shipment) and SalesOrderShipmentCompleteSerializer (a model serializer over the
 * shipment's date, tracking and invoice fields).
 *
 * The allocation form is built per request: its checks need the order, and they read the
 * database through the parse context, which the route points at its open transaction so
 * the availability checks see the locked rows (decision D16).
 */
import * as f from '../http/fields.js';
import { pythonStrip } from '../text/python-strip.js';
import { qty } from '../util/decimal.js';
import { rowExists } from '../db/exists.js';
import { allocationItemErrors, LINE_NOT_IN_ORDER, QUANTITY_NOT_POSITIVE, shipmentAllocationError } from './sales-allocate-service.js';
import { isPossibleKey } from '../db/keys.js';

/**
 * The digits of a decimal text as Python's `Decimal(text).as_tuple()` sees them: the number
 * of significant digits (leading zeros dropped, at least one) and the exponent.
 */
function decimalShape(text: string): { digits: number; exponent: number } {
  const unsigned = text.replace(/^[+-]/, '');
  const [mantissa = '', exp = '0'] = unsigned.toLowerCase().split('e');
  const [whole = '', fraction = ''] = mantissa.split('.');
  const digits = `${whole}${fraction}`.replace(/^0+/, '');
  return { digits: Math.max(digits.length, 1), exponent: Number.parseInt(exp, 10) - fraction.length };
}

export interface DrfDecimalOptions extends f.CommonOptions<number> {
  maxDigits: number;
  decimalPlaces: number;
  min?: number;
}

/**
 * DRF DecimalField(max_digits, decimal_places): numbers and numeric text; too many digits in
 * total, after or before the point are refused with DRF's messages (not rounded), then the
 * minimum is checked.
 */
export function drfDecimal(opts: DrfDecimalOptions): f.Field<number> {
  const base = f.decimal({ ...(opts.description !== undefined ? { description: opts.description } : {}), ...(opts.min !== undefined ? { min: opts.min } : {}) });
  const maxWhole = opts.maxDigits - opts.decimalPlaces;
  return {
    ...base,
    whenMissing: opts.required === false ? 'omit' : 'required',
    parse(value) {
      if (typeof value === 'string' && value.length > 1000) throw new f.FieldError(['String value too large.']);
      const n = f.coerceNumber(value);
      if (n === undefined) throw new f.FieldError([f.MESSAGES.invalidNumber]);
      // A JSON number reaches DRF as a Python float, whose text has the same digits as JavaScript's.
      const text = typeof value === 'number' ? String(value) : pythonStrip(String(value));
      const { digits, exponent } = decimalShape(text);
      let total: number;
      let whole: number;
      let places: number;
      if (exponent >= 0) {
        total = digits + exponent;
        whole = total;
        places = 0;
      } else if (digits > -exponent) {
        total = digits;
        whole = digits + exponent;
        places = -exponent;
      } else {
        total = -exponent;
        whole = 0;
        places = total;
      }
      if (total > opts.maxDigits) throw new f.FieldError([`Ensure that there are no more than ${opts.maxDigits} digits in total.`]);
      if (places > opts.decimalPlaces) throw new f.FieldError([`Ensure that there are no more than ${opts.decimalPlaces} decimal places.`]);
      if (whole > maxWhole) throw new f.FieldError([`Ensure that there are no more than ${maxWhole} digits before the decimal point.`]);
      if (opts.min !== undefined && n < opts.min) throw new f.FieldError([f.MESSAGES.minValue(opts.min)]);
      return qty(n);
    },
  };
}

/**
 * A nested serializer with `many=True` (DRF ListSerializer): like `f.list`, except that a
 * value which is not a list is reported as `{"non_field_errors": [...]}`.
 */
export function nestedList<T>(item: f.Field<T>, opts: f.ListOptions<T> = {}): f.Field<T[]> {
  const list = f.list(item, opts);
  return {
    ...list,
    parse(value, ctx) {
      if (!Array.isArray(value)) throw new f.FieldError({ non_field_errors: [f.MESSAGES.notAList(value)] });
      return list.parse(value, ctx);
    },
  };
}

/** The allocation body for order `orderId`: `{items: [{line_item, stock_item, quantity}], shipment}`. */
export function allocateForm(orderId: number) {
  const lineExists = rowExists('sales_order_line');
  const lineField = f.pk({ exists: lineExists, description: 'Sales order line' });
  const line: f.Field<number> = {
    ...lineField,
    async parse(value, ctx) {
      const id = await lineField.parse(value, ctx);
      const row = await ctx.db.selectFrom('sales_order_line').select('order_id').where('id', '=', id).executeTakeFirst();
      if (row?.order_id !== orderId) throw new f.FieldError([LINE_NOT_IN_ORDER]);
      return id;
    },
  };
  const quantityField = drfDecimal({ maxDigits: 15, decimalPlaces: 5, min: 0, description: 'Quantity to allocate' });
  const quantity: f.Field<number> = {
    ...quantityField,
    parse(value, ctx) {
      const n = quantityField.parse(value, ctx) as number;
      if (n <= 0) throw new f.FieldError([QUANTITY_NOT_POSITIVE]);
      return n;
    },
  };
  const item = f.object(
    {
      line_item: line,
      stock_item: f.pk({ exists: rowExists('stock_item'), description: 'Stock item to allocate' }),
      quantity,
    },
    {
      validate: async (value, ctx) => {
        const errors = await allocationItemErrors(ctx.db, { itemId: value.stock_item, quantity: value.quantity });
        if (errors !== undefined) throw new f.FieldError(errors);
      },
    },
  );
  const shipmentField = f.pk({ exists: rowExists('sales_order_shipment'), nullable: true, required: false, description: 'Shipment to allocate against' });
  const shipment: f.Field<number> = {
    ...shipmentField,
    async parse(value, ctx) {
      const id = await shipmentField.parse(value, ctx);
      const error = await shipmentAllocationError(ctx.db, orderId, id);
      if (error !== undefined) throw new f.FieldError([error]);
      return id;
    },
  };
  return f.object({
    items: nestedList(item, { description: 'Allocations to create: line item, stock item and quantity' }),
    shipment,
  });
}

export type AllocateBody = f.Infer<ReturnType<typeof allocateForm>>;

/** The stock item and shipment keys a raw allocation body names, for locking before it is parsed. */
export function allocationTargets(body: unknown): { itemIds: number[]; shipmentId: number | null } {
  const raw = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const key = (v: unknown) => {
    const n = typeof v === 'boolean' ? undefined : f.coerceInteger(v);
    return n !== undefined && isPossibleKey(n) ? n : undefined;
  };
  const items = Array.isArray(raw.items) ? raw.items : [];
  const itemIds = items
    .map((i) => (typeof i === 'object' && i !== null ? key((i as Record<string, unknown>).stock_item) : undefined))
    .filter((i): i is number => i !== undefined);
  return { itemIds, shipmentId: key(raw.shipment) ?? null };
}

const text = (maxLength: number, description: string) => f.string({ maxLength, allowBlank: true, required: false, description });

/** The ship body: every field optional (`shipment_date` defaults to today). */
export const ShipForm = f.object({
  shipment_date: f.date({ nullable: true, required: false, description: 'Date of shipment (default: today)' }),
  delivery_date: f.date({ nullable: true, required: false, description: 'Date of delivery' }),
  tracking_number: text(100, 'Shipment tracking information'),
  invoice_number: text(100, 'Reference number for associated invoice'),
  link: text(2000, 'Link to external page'),
});

export type ShipBody = f.Infer<typeof ShipForm>;
