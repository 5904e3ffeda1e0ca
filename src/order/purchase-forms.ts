/**
 * Request bodies of the purchase order endpoints (DRF rules and messages, http/fields.ts).
 * Read-only keys (`status`, `received`, `created_by`, totals, details…) are ignored when sent,
 * as the Python client's `save()` sends the whole object back.
 */
import { supplierExists, supplierPartExists } from '../company/service.js';
import * as f from '../http/fields.js';
import { locationExists } from '../part/category-service.js';
import { externalBuildExists, positiveQuantity, purchaseOrderExists, referenceField } from './order-fields.js';

const DuplicateForm = f.object(
  {
    order_id: f.integer(),
    copy_lines: f.boolean({ default: true }),
    copy_extra_lines: f.boolean({ default: true }),
  },
  { required: false },
);

/** `create`: reference optional (auto-numbered); `put`: supplier and reference required; `patch`: all optional. */
function purchaseOrderForm(mode: 'create' | 'put' | 'patch') {
  return f.object({
    reference: referenceField({ required: mode === 'put' }),
    description: f.string({ maxLength: 250, allowBlank: true, required: false }),
    link: f.string({ maxLength: 2000, allowBlank: true, required: false }),
    supplier: f.pk({ exists: supplierExists, required: mode !== 'patch', description: 'Company from which the items are being ordered' }),
    supplier_reference: f.string({ maxLength: 64, allowBlank: true, required: false }),
    destination: f.pk({ exists: locationExists, nullable: true, required: false, description: 'Destination for received items' }),
    order_currency: f.currency({ nullable: true }),
    start_date: f.date({ nullable: true, required: false }),
    target_date: f.date({ nullable: true, required: false }),
    creation_date: f.date({ nullable: true, required: false }),
    notes: f.string({ maxLength: 50000, allowBlank: true, required: false, nullable: true, trim: false }),
    ...(mode === 'create' ? { duplicate: DuplicateForm } : {}),
  });
}

export const PurchaseOrderCreateForm = purchaseOrderForm('create');
export const PurchaseOrderPutForm = purchaseOrderForm('put');
export const PurchaseOrderPatchForm = purchaseOrderForm('patch');

export const PurchaseOrderCompleteForm = f.object({
  accept_incomplete: f.boolean({ default: false, description: 'Allow order to be closed with incomplete line items' }),
});

export const EmptyForm = f.object({});

function poLineForm(partial: boolean) {
  return f.object({
    order: f.pk({ exists: purchaseOrderExists, required: !partial }),
    part: f.pk({ exists: supplierPartExists, nullable: true, required: !partial, description: 'Supplier part' }),
    quantity: positiveQuantity('Quantity must be greater than zero', { required: !partial }),
    reference: f.string({ maxLength: 100, allowBlank: true, required: false }),
    notes: f.string({ maxLength: 500, allowBlank: true, required: false }),
    link: f.string({ maxLength: 2000, allowBlank: true, required: false }),
    target_date: f.date({ nullable: true, required: false }),
    purchase_price: f.decimal({ min: 0, nullable: true, required: false }),
    purchase_price_currency: f.currency(),
    destination: f.pk({ exists: locationExists, nullable: true, required: false }),
    build_order: f.pk({ exists: externalBuildExists, nullable: true, required: false }),
    auto_pricing: f.boolean({ required: false, description: 'Accepted and ignored: Stockscan keeps no supplier price breaks' }),
    ...(partial ? {} : { merge_items: f.boolean({ default: true }) }),
  });
}

export const PoLineCreateForm = poLineForm(false);
export const PoLineUpdateForm = poLineForm(true);
export const PoLinePutForm = f.object({ ...PoLineUpdateForm.shape, order: PoLineCreateForm.shape.order, part: PoLineCreateForm.shape.part, quantity: PoLineCreateForm.shape.quantity });
