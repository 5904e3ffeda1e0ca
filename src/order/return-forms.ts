/**
 * Request bodies of the return order endpoints (DRF rules and messages, http/fields.ts).
 * Read-only keys (`status`, `created_by`, totals, details…) are ignored when sent.
 */
import * as f from '../http/fields.js';
import { customerExists } from '../company/service.js';
import { referenceField, returnOrderExists, stockItemExists } from './order-fields.js';

/** `create`: reference optional (auto-numbered); `put`: customer and reference required; `patch`: all optional. */
function returnOrderForm(mode: 'create' | 'put' | 'patch') {
  return f.object({
    reference: referenceField({ required: mode === 'put' }),
    description: f.string({ maxLength: 250, allowBlank: true, required: false }),
    link: f.string({ maxLength: 2000, allowBlank: true, required: false }),
    customer: f.pk({ exists: customerExists, nullable: true, required: mode !== 'patch', description: 'Company from which items are being returned' }),
    customer_reference: f.string({ maxLength: 64, allowBlank: true, required: false }),
    order_currency: f.currency({ nullable: true }),
    start_date: f.date({ nullable: true, required: false }),
    target_date: f.date({ nullable: true, required: false }),
    creation_date: f.date({ nullable: true, required: false }),
    issue_date: f.date({ nullable: true, required: false }),
    complete_date: f.date({ nullable: true, required: false }),
    notes: f.string({ maxLength: 50000, allowBlank: true, required: false, nullable: true, trim: false }),
  });
}

export const ReturnOrderCreateForm = returnOrderForm('create');
export const ReturnOrderPutForm = returnOrderForm('put');
export const ReturnOrderPatchForm = returnOrderForm('patch');

/** ReturnOrderLineStatus keys (core-api.md §5). */
export const OUTCOMES = [10, 20, 30, 40, 50, 60] as const;

function roLineForm(mode: 'create' | 'put' | 'patch') {
  return f.object({
    order: f.pk({ exists: returnOrderExists, required: mode !== 'patch' }),
    item: f.pk({ exists: stockItemExists, required: mode !== 'patch', description: 'Select item to return from customer' }),
    quantity: mode === 'create' ? f.decimal({ default: 1 }) : f.decimal({ required: mode === 'put' }),
    received_date: f.date({ nullable: true, required: false }),
    outcome: f.choice(OUTCOMES, mode === 'create' ? { default: 10 } : { required: false }),
    price: f.decimal({ nullable: true, required: false }),
    price_currency: f.currency(),
    reference: f.string({ maxLength: 100, allowBlank: true, required: false }),
    notes: f.string({ maxLength: 500, allowBlank: true, required: false }),
    link: f.string({ maxLength: 2000, allowBlank: true, required: false }),
    target_date: f.date({ nullable: true, required: false }),
  });
}

export const RoLineCreateForm = roLineForm('create');
export const RoLinePutForm = roLineForm('put');
export const RoLinePatchForm = roLineForm('patch');
