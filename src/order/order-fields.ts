/**
 * Request fields the purchase and return order forms share: the order reference (checked
 * against its pattern setting as a field error, as InvenTree's `validate_reference`), currency
 * codes, strictly positive quantities, and the existence checks behind relation fields
 * (including InvenTree's choice limits: suppliers are `is_supplier`, customers `is_customer`).
 */
import { Type } from '@sinclair/typebox';
import { rowExists } from '../db/exists.js';
import type { Executor } from '../db/transaction.js';
import * as f from '../http/fields.js';
import { ValidationError } from '../http/errors.js';
import { DetailBody, ValidationBody } from '../http/schema.js';
import type { SettingsService } from '../settings/service.js';
import { parseReference, REFERENCE_SETTINGS, type ReferencedTable } from './reference.js';

/** A 400 is a field → messages object, or DRF's bare list when raised with a plain message. */
export const BadRequestBody = Type.Union([Type.Array(Type.String()), ValidationBody]);

/** The error answers of the order write endpoints. */
export const ORDER_ERRORS = { 400: BadRequestBody, 403: DetailBody, 404: DetailBody };

/** The parse context of the order forms: the database plus the reference pattern in force. */
export interface OrderParseContext extends f.ParseContext {
  referencePattern?: string;
}

/** The parse context for an order form of `table`, with its reference pattern setting. */
export async function orderParseContext(db: Executor, settings: SettingsService, table: ReferencedTable): Promise<OrderParseContext> {
  return { db, referencePattern: await settings.getGlobal(REFERENCE_SETTINGS[table]) };
}

/** The `reference` field: a non-blank string of at most 64 characters matching the pattern. */
export function referenceField(opts: { required: boolean }): f.Field<string> {
  const base = f.string({ maxLength: 64, required: opts.required });
  return {
    ...base,
    async parse(value, ctx) {
      const text = await base.parse(value, ctx);
      const pattern = (ctx as OrderParseContext).referencePattern;
      if (pattern !== undefined) {
        try {
          parseReference(pattern, text);
        } catch (e) {
          if (e instanceof ValidationError) throw new f.FieldError((e.fields as { reference: string[] }).reference);
          throw e;
        }
      }
      return text;
    },
  };
}

/**
 * A quantity that must be greater than zero: DRF's `min_value=0` check first, then the
 * serializer's own message (e.g. "Quantity must be greater than zero").
 */
export function positiveQuantity(message: string, opts: { required?: boolean; default?: number } = {}): f.Field<number> {
  const base = f.decimal({
    min: 0,
    ...(opts.default !== undefined ? { default: opts.default } : { required: opts.required ?? true }),
  });
  return {
    ...base,
    parse(value, ctx) {
      const n = base.parse(value, ctx) as number;
      if (n <= 0) throw new f.FieldError([message]);
      return n;
    },
  };
}

// --- existence checks of the order models (relation fields and model-choice filters) ----------

export const purchaseOrderExists = rowExists('purchase_order');
export const returnOrderExists = rowExists('return_order');
export const stockItemExists = rowExists('stock_item');
/** A purchase order line links external build orders only. */
export const externalBuildExists = rowExists('build', { external: true });
