/** The objects on the label sheet, kept in the browser ("<model>:<pk>", e.g. "stockitem:5"). */
import { post, get, type JsonObject } from './api';
import { modelInfo, type ModelType } from './models';

const KEY = 'stockscan-label-sheet';

export interface LabelRef {
  type: ModelType;
  pk: number;
}

export function parseRefs(text: string | null): LabelRef[] {
  if (text === null || text === '') return [];
  const out: LabelRef[] = [];
  for (const part of text.split(',')) {
    const m = /^([a-z]+):(\d+)$/.exec(part.trim());
    if (m !== null && modelInfo(m[1] as string) !== undefined && !out.some((r) => r.type === m[1] && r.pk === Number(m[2]))) {
      out.push({ type: m[1] as ModelType, pk: Number(m[2]) });
    }
  }
  return out;
}

export const formatRefs = (refs: LabelRef[]) => refs.map((r) => `${r.type}:${r.pk}`).join(',');

export function sheetRefs(): LabelRef[] {
  return parseRefs(localStorage.getItem(KEY));
}

export function saveSheet(refs: LabelRef[]): void {
  localStorage.setItem(KEY, formatRefs(refs));
}

export function addToSheet(refs: LabelRef[]): LabelRef[] {
  const all = sheetRefs();
  for (const r of refs) if (!all.some((x) => x.type === r.type && x.pk === r.pk)) all.push(r);
  saveSheet(all);
  return all;
}

export interface LabelData extends LabelRef {
  title: string;
  subtitle: string;
  /** Stockscan's own barcode of the object (POST /api/barcode/generate/). */
  barcode: string;
}

export async function loadLabel(ref: LabelRef): Promise<LabelData> {
  const model = modelInfo(ref.type);
  if (model === undefined) throw new Error(`unknown model ${ref.type}`);
  const [object, generated] = await Promise.all([
    get<JsonObject>(`${model.apiList}${ref.pk}/${model.detailQuery}`),
    post<{ barcode: string }>('/api/barcode/generate/', { model: ref.type, pk: ref.pk }),
  ]);
  return { ...ref, title: model.title(object), subtitle: model.subtitle(object), barcode: generated.barcode };
}
