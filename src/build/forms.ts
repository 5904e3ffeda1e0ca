/** Request bodies of the build-order endpoints (core-api.md §7.15). */
import type { Executor } from '../db/transaction.js';
import * as f from '../http/fields.js';
import { nullOnly, storedDecimal } from '../order/sales-forms.js';
import { rowExists } from '../db/exists.js';

/** Only assemblies can be built. */
const isAssembly = async (db: Executor, id: number) =>
  (await db.selectFrom('part').select('id').where('id', '=', id).where('assembly', '=', true).executeTakeFirst()) !== undefined;

export function buildForm(partial: boolean) {
  return f.object({
    reference: f.string({ maxLength: 64, required: false, description: 'Build order reference (the next free one when omitted)' }),
    title: f.string({ maxLength: 100, allowBlank: true, required: false, description: 'Brief description of the build' }),
    part: f.pk({ exists: isAssembly, required: !partial, description: 'Part to build (an assembly)' }),
    quantity: storedDecimal({ min: 1, required: !partial, description: 'Number of items to build' }),
    batch: f.string({ maxLength: 100, allowBlank: true, nullable: true, required: false, description: 'Batch code for the build output' }),
    destination: f.pk({ exists: rowExists('stock_location'), nullable: true, required: false, description: 'Where completed items go' }),
    take_from: f.pk({ exists: rowExists('stock_location'), nullable: true, required: false, description: 'Where stock is taken from' }),
    parent: f.pk({ exists: rowExists('build'), nullable: true, required: false, description: 'Parent build order' }),
    sales_order: f.pk({ exists: rowExists('sales_order'), nullable: true, required: false, description: 'Sales order this build is for' }),
    start_date: f.date({ nullable: true, required: false }),
    target_date: f.date({ nullable: true, required: false }),
    external: f.boolean({ required: false, description: 'Built by an external supplier' }),
    priority: f.integer({ min: 0, max: 2147483647, required: false }),
    link: f.string({ maxLength: 2000, allowBlank: true, required: false }),
    notes: f.string({ maxLength: 50000, allowBlank: true, required: false, trim: false }),
    project_code: nullOnly('Project code'),
    responsible: nullOnly('Responsible owner'),
  });
}

export type BuildInput = f.Infer<ReturnType<typeof buildForm>>;
