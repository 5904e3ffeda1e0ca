/**
 * Request bodies of the sales-order endpoints (http/fields.ts forms with DRF's rules). Keys a
 * client sends back from a read (e.g. `status`, `customer_detail`) are ignored.
 */
import type { Executor } from '../db/transaction.js';
import * as f from '../http/fields.js';
import { rowExists } from '../db/exists.js';


/**
 * A decimal kept in a `numeric(maxDigits, places)` column: rounded to its places, and
 * refused with Django's DecimalValidator messages when it has too many digits (instead of a
 * database error).
 */
export function storedDecimal(opts: f.NumberOptions, maxDigits = 15, places = 5): f.Field<number> {
  const base = f.decimal(opts);
  return {
    ...base,
    parse(value, ctx) {
      const n = base.parse(value, ctx) as number;
      const scale = 10 ** places;
      const rounded = Math.round(n * scale) / scale;
      const whole = Math.trunc(Math.abs(rounded));
      const wholeDigits = whole === 0 ? 0 : String(whole).length;
      const decimals = (String(Math.abs(rounded)).split('.')[1] ?? '').length;
      if (!Number.isSafeInteger(whole) || wholeDigits + decimals > maxDigits) {
        throw new f.FieldError([`Ensure that there are no more than ${maxDigits} digits in total.`]);
      }
      if (wholeDigits > maxDigits - places) throw new f.FieldError([`Ensure that there are no more than ${maxDigits - places} digits before the decimal point.`]);
      return rounded;
    },
  };
}

/** A relation to a model Stockscan does not keep (project codes, contacts, addresses, owners): only null passes. */
export function nullOnly(description: string): f.Field<number> {
  return f.pk({ exists: async () => false, nullable: true, required: false, description });
}

const isCustomer = rowExists('company', { is_customer: true });

/** A stock item that may be allocated: salable, not virtual, not installed, not sent to a customer. */
export const allocatableItem = async (db: Executor, id: number) =>
  (await db
    .selectFrom('stock_item as i')
    .innerJoin('part as p', 'p.id', 'i.part_id')
    .select('i.id')
    .where('i.id', '=', id)
    .where('p.salable', '=', true)
    .where('p.virtual', '=', false)
    .where('i.belongs_to_id', 'is', null)
    .where('i.sales_order_id', 'is', null)
    .executeTakeFirst()) !== undefined;

const text = (maxLength: number, description?: string) => f.string({ maxLength, allowBlank: true, required: false, ...(description ? { description } : {}) });
const optionalDate = (description: string) => f.date({ nullable: true, required: false, description });

export const SalesOrderForm = f.object({
  reference: f.string({ maxLength: 64, required: false, description: 'Order reference (the next free one when omitted)' }),
  customer: f.pk({ exists: isCustomer, nullable: true, required: false, description: 'Customer (a company with is_customer)' }),
  customer_reference: text(64, 'Customer order reference code'),
  description: text(250),
  link: text(2000),
  creation_date: optionalDate('Creation date'),
  start_date: optionalDate('Start date'),
  target_date: optionalDate('Target date'),
  notes: f.string({ maxLength: 50000, allowBlank: true, required: false, trim: false }),
  order_currency: f.currency({ nullable: true }),
  project_code: nullOnly('Project code'),
  contact: nullOnly('Point of contact'),
  address: nullOnly('Company address'),
  responsible: nullOnly('Responsible owner'),
});

export function salesOrderLineForm(partial: boolean) {
  return f.object({
    order: f.pk({ exists: rowExists('sales_order'), required: !partial, description: 'Sales order' }),
    part: f.pk({ exists: rowExists('part'), nullable: true, required: false, description: 'Part (salable)' }),
    quantity: storedDecimal({ min: 0, required: !partial }),
    reference: text(100),
    notes: text(500),
    link: text(2000),
    target_date: optionalDate('Target date'),
    sale_price: storedDecimal({ nullable: true, required: false }, 19, 6),
    sale_price_currency: f.currency(),
    project_code: nullOnly('Project code'),
  });
}

export function shipmentForm(partial: boolean) {
  return f.object({
    order: f.pk({ exists: rowExists('sales_order'), required: !partial, description: 'Sales order' }),
    reference: f.string({ maxLength: 100, required: false, description: 'Shipment number (default "1")' }),
    shipment_date: optionalDate('Date the shipment was sent'),
    delivery_date: optionalDate('Date the shipment was delivered'),
    checked_by: f.pk({ exists: rowExists('auth_user'), nullable: true, required: false, description: 'User who checked the shipment' }),
    shipment_address: nullOnly('Shipping address'),
    tracking_number: text(100),
    invoice_number: text(100),
    link: text(2000),
    notes: f.string({ maxLength: 50000, allowBlank: true, required: false, trim: false }),
  });
}

export function allocationForm(partial: boolean) {
  return f.object({
    item: f.pk({ exists: allocatableItem, required: !partial, description: 'Stock item' }),
    quantity: storedDecimal({ required: !partial }),
    shipment: f.pk({ exists: rowExists('sales_order_shipment'), nullable: true, required: false, description: 'Shipment' }),
  });
}

export const CompleteForm = f.object({
  accept_incomplete: f.boolean({ default: false, description: 'Allow the order to be closed with incomplete line items' }),
});

export const EmptyForm = f.object({});
