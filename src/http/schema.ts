/** Small TypeBox helpers shared by response schemas (OpenAPI 3.0 style, as InvenTree's). */
import { Type, type Static, type TSchema, type TUnsafe } from '@sinclair/typebox';

/** A value that may be null, written as OpenAPI 3.0's `nullable: true`. */
export function Nullable<T extends TSchema>(schema: T): TUnsafe<Static<T> | null> {
  return Type.Unsafe<Static<T> | null>({ ...schema, nullable: true });
}

/** `{"detail": "..."}`, DRF's error body. */
export const DetailBody = Type.Object({ detail: Type.String() }, { additionalProperties: true });

/** A field → messages error body (DRF validation errors). */
export const ValidationBody = Type.Object({}, { additionalProperties: true, description: 'Field name → list of error messages' });
