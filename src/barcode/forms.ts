/** Request bodies of the barcode endpoints, matching the published API 435 schema. */
import { Type } from '@sinclair/typebox';
import type { Executor } from '../db/transaction.js';
import * as f from '../http/fields.js';
import { BARCODE_MODELS, BARCODE_MODEL_TYPES, type BarcodeModel } from './model-types.js';
import { objectExists } from './objects.js';

export const BARCODE_MAX_LENGTH = 4095;

/** The `barcode` field (§1.2): required text up to 4095 characters after Python trimming. */
export const barcodeField = () => f.string({ maxLength: BARCODE_MAX_LENGTH, description: 'Scanned barcode data' });

export const ScanForm = f.object({ barcode: barcodeField() }, { description: 'Generic serializer for receiving barcode data.' });

const TITLES: Record<string, string> = {
  build: 'Build Order',
  manufacturerpart: 'Manufacturer Part',
  supplierpart: 'Supplier Part',
  purchaseorder: 'Purchase Order',
  salesorder: 'Sales Order',
  salesordershipment: 'Sales Order Shipment',
  returnorder: 'Return Order',
  stocklocation: 'Stock Location',
  stockitem: 'Stock Item',
};

/** A nullable primary-key field for one barcodable model. */
export function modelPkField(model: BarcodeModel) {
  const field = f.pk({ required: false, nullable: true, exists: (db: Executor, pk: number) => objectExists(db, model, pk) });
  const title = TITLES[model.type];
  return title === undefined ? field : { ...field, schema: { ...field.schema, title } };
}

function modelFields() {
  return Object.fromEntries(BARCODE_MODELS.map((m) => [m.type, modelPkField(m)])) as Record<string, f.Field<number>>;
}

export const LinkForm = f.object({ barcode: barcodeField(), ...modelFields() }, { description: 'Serializer class for linking a barcode to an internal model.' });

export const UnlinkForm = f.object(modelFields(), { description: 'Serializer class for unlinking a barcode from an internal model.' });

/** `model` must be one of the model types; InvenTree's own message otherwise. */
export const modelTypeField: f.Field<string> = {
  ...f.string({ description: 'Model name to generate barcode for' }),
  parse(value, ctx) {
    const text = f.string().parse(value, ctx) as string;
    if (!BARCODE_MODEL_TYPES.includes(text as never)) throw new f.FieldError(['Model is not supported']);
    return text;
  },
};

export const GenerateForm = f.object(
  {
    model: modelTypeField,
    pk: f.integer({ description: 'Primary key of model object to generate barcode for' }),
  },
  { description: 'Serializer for generating a barcode.' },
);

export const BarcodeBody = Type.Object({ barcode: Type.String({ maxLength: BARCODE_MAX_LENGTH, description: 'Scanned barcode data' }) }, { description: 'Generic serializer for receiving barcode data.' });
