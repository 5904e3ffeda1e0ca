/**
 * Request-body fields with Django REST framework's semantics.
 *
 * One definition per form gives (1) the TypeBox/JSON schema used for the OpenAPI document,
 * (2) the TypeScript type of the parsed body (`Infer<typeof Form>`), and (3) the validator,
 * which coerces and checks values exactly as DRF does and reports every invalid field at once
 * with DRF's messages (`{"field": ["This field is required."]}`). Relation fields look their
 * target up in the database, so parsing is asynchronous and takes a context.
 */
import { Type, type TSchema } from '@sinclair/typebox';
import type { Executor } from '../db/transaction.js';
import { pythonStrip } from '../text/python-strip.js';
import { ValidationError } from './errors.js';
import { isPossibleKey } from '../db/keys.js';

/** What DRF reports for one field: a list of messages, or nested errors for nested fields. */
export type FieldErrorDetail = string[] | { [field: string]: FieldErrorDetail } | FieldErrorDetail[];

export class FieldError extends Error {
  constructor(readonly detail: FieldErrorDetail) {
    super(Array.isArray(detail) && typeof detail[0] === 'string' ? detail[0] : 'invalid');
  }
}

export interface ParseContext {
  db: Executor;
}

export interface Field<T> {
  readonly schema: TSchema;
  /** The value when the key is missing: a function, or `undefined` for "omit it". */
  readonly whenMissing: 'required' | 'omit' | (() => T);
  readonly nullable: boolean;
  /** Parses a present, non-null value (null is handled by the object around it). */
  parse(value: unknown, ctx: ParseContext): T | Promise<T>;
}

export interface CommonOptions<T> {
  description?: string;
  /** Default true, unless `default` is given. */
  required?: boolean;
  default?: T | (() => T);
}

export interface NullableOption {
  nullable?: boolean;
}

export const MESSAGES = {
  required: 'This field is required.',
  null: 'This field may not be null.',
  blank: 'This field may not be blank.',
  invalidString: 'Not a valid string.',
  invalidInteger: 'A valid integer is required.',
  invalidNumber: 'A valid number is required.',
  invalidBoolean: 'Must be a valid boolean.',
  nullCharacters: 'Null characters are not allowed.',
  maxLength: (n: number) => `Ensure this field has no more than ${n} characters.`,
  minLength: (n: number) => `Ensure this field has at least ${n} characters.`,
  maxValue: (n: number) => `Ensure this value is less than or equal to ${n}.`,
  minValue: (n: number) => `Ensure this value is greater than or equal to ${n}.`,
  invalidChoice: (v: unknown) => `"${pythonStr(v)}" is not a valid choice.`,
  invalidPk: (v: unknown) => `Invalid pk "${pythonStr(v)}" - object does not exist.`,
  incorrectPkType: (v: unknown) => `Incorrect type. Expected pk value, received ${pythonTypeName(v)}.`,
  notAList: (v: unknown) => `Expected a list of items but got type "${pythonTypeName(v)}".`,
  emptyList: 'This list may not be empty.',
  notADict: (v: unknown) => `Invalid data. Expected a dictionary, but got ${pythonTypeName(v)}.`,
  invalidDate: 'Date has wrong format. Use one of these formats instead: YYYY-MM-DD.',
  surrogate: (code: number) => `Surrogate characters are not allowed: U+${code.toString(16).toUpperCase()}.`,
} as const;

/** Python's name for the type a JSON value decodes to (DRF puts it into messages). */
export function pythonTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'NoneType';
  if (typeof value === 'string') return 'str';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (Array.isArray(value)) return 'list';
  return 'dict';
}

/** Python's `str()` of a JSON value, as DRF embeds it into messages. */
export function pythonStr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : pythonFloat(value);
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

function pythonFloat(value: number): string {
  const s = String(value);
  return /[.e]/.test(s) ? s : `${s}.0`;
}

function nullableSchema(schema: TSchema, nullable: boolean): TSchema {
  return nullable ? Type.Unsafe({ ...schema, nullable: true }) : schema;
}

function missingRule<T>(opts: CommonOptions<T>): Field<T>['whenMissing'] {
  if (opts.default !== undefined) {
    const d = opts.default;
    return typeof d === 'function' ? (d as () => T) : () => d;
  }
  return opts.required === false ? 'omit' : 'required';
}

/** The schema keywords of common options: `description`, and `default` when it is a value. */
function describe(opts: { description?: string; default?: unknown }): { description?: string; default?: unknown } {
  return {
    ...(opts.description === undefined ? {} : { description: opts.description }),
    ...(opts.default === undefined || typeof opts.default === 'function' ? {} : { default: opts.default }),
  };
}

// --- scalar fields ---------------------------------------------------------------------------

export interface StringOptions extends CommonOptions<string>, NullableOption {
  maxLength?: number;
  minLength?: number;
  allowBlank?: boolean;
  /** Strip surrounding whitespace (Python's set, decision D9). Default true, as DRF. */
  trim?: boolean;
}

/** DRF CharField. Numbers are accepted and turned into text; other non-strings are refused. */
export function string(opts: StringOptions = {}): Field<string> {
  const trim = opts.trim ?? true;
  return {
    schema: nullableSchema(
      Type.String({
        ...describe(opts),
        ...(opts.maxLength !== undefined ? { maxLength: opts.maxLength } : {}),
        ...(opts.minLength !== undefined ? { minLength: opts.minLength } : {}),
      }),
      opts.nullable ?? false,
    ),
    whenMissing: missingRule(opts),
    nullable: opts.nullable ?? false,
    parse(value) {
      return parseString(value, opts, trim);
    },
  };
}

function parseString(value: unknown, opts: StringOptions, trim: boolean): string {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number' && Number.isFinite(value)) text = Number.isInteger(value) ? String(value) : pythonFloat(value);
  else throw new FieldError([MESSAGES.invalidString]);
  if (trim) text = pythonStrip(text);
  if (text === '') {
    if (opts.allowBlank) return '';
    throw new FieldError([MESSAGES.blank]);
  }
  const errors: string[] = [];
  const length = [...text].length;
  if (opts.maxLength !== undefined && length > opts.maxLength) errors.push(MESSAGES.maxLength(opts.maxLength));
  if (opts.minLength !== undefined && length < opts.minLength) errors.push(MESSAGES.minLength(opts.minLength));
  if (text.includes('\u0000')) errors.push(MESSAGES.nullCharacters);
  const surrogate = findLoneSurrogate(text);
  if (surrogate !== undefined) errors.push(MESSAGES.surrogate(surrogate));
  if (errors.length > 0) throw new FieldError(errors);
  return text;
}

/** The first lone surrogate half in `text` (not storable as UTF-8), or undefined. */
export function findLoneSurrogate(text: string): number | undefined {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return c;
    }
    if (c >= 0xdc00 && c <= 0xdfff) return c;
  }
  return undefined;
}

export interface NumberOptions extends CommonOptions<number>, NullableOption {
  min?: number;
  max?: number;
}

const INTEGER_TEXT = /^[+-]?\d+(\.0*)?$/;
const DECIMAL_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Coerces like DRF IntegerField: ints, integral floats and integer text ("5", " 5 ", "5.0"). */
export function coerceInteger(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const text = pythonStrip(value);
  if (text.length > 1000 || !INTEGER_TEXT.test(text)) return undefined;
  const n = Number.parseInt(text, 10);
  return Number.isSafeInteger(n) ? n : undefined;
}

function checkRange(n: number, opts: NumberOptions): void {
  const errors: string[] = [];
  if (opts.max !== undefined && n > opts.max) errors.push(MESSAGES.maxValue(opts.max));
  if (opts.min !== undefined && n < opts.min) errors.push(MESSAGES.minValue(opts.min));
  if (errors.length > 0) throw new FieldError(errors);
}

export function integer(opts: NumberOptions = {}): Field<number> {
  return {
    schema: nullableSchema(
      Type.Integer({
        ...describe(opts),
        ...(opts.min !== undefined ? { minimum: opts.min } : {}),
        ...(opts.max !== undefined ? { maximum: opts.max } : {}),
      }),
      opts.nullable ?? false,
    ),
    whenMissing: missingRule(opts),
    nullable: opts.nullable ?? false,
    parse(value) {
      const n = coerceInteger(value);
      if (n === undefined) throw new FieldError([MESSAGES.invalidInteger]);
      checkRange(n, opts);
      return n;
    },
  };
}

/** Coerces like DRF DecimalField/FloatField: numbers and numeric text. */
export function coerceNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const text = pythonStrip(value);
  if (text.length > 1000 || !DECIMAL_TEXT.test(text)) return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

/** A decimal quantity (DRF DecimalField), carried as a JavaScript number. */
export function decimal(opts: NumberOptions = {}): Field<number> {
  return {
    schema: nullableSchema(
      Type.Number({
        ...describe(opts),
        ...(opts.min !== undefined ? { minimum: opts.min } : {}),
        ...(opts.max !== undefined ? { maximum: opts.max } : {}),
      }),
      opts.nullable ?? false,
    ),
    whenMissing: missingRule(opts),
    nullable: opts.nullable ?? false,
    parse(value) {
      const n = coerceNumber(value);
      if (n === undefined) throw new FieldError([MESSAGES.invalidNumber]);
      checkRange(n, opts);
      return n;
    },
  };
}

const TRUE_VALUES = new Set(['t', 'y', 'yes', 'true', 'on', '1']);
const FALSE_VALUES = new Set(['f', 'n', 'no', 'false', 'off', '0']);

/** DRF BooleanField's accepted spellings (case-insensitive text, 1/0, true/false). */
export function coerceBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 1) return true;
  if (value === 0) return false;
  if (typeof value === 'string') {
    const text = value.toLowerCase();
    if (TRUE_VALUES.has(text)) return true;
    if (FALSE_VALUES.has(text)) return false;
  }
  return undefined;
}

export function boolean(opts: CommonOptions<boolean> & NullableOption = {}): Field<boolean> {
  return {
    schema: nullableSchema(Type.Boolean(describe(opts)), opts.nullable ?? false),
    whenMissing: missingRule(opts),
    nullable: opts.nullable ?? false,
    parse(value) {
      const b = coerceBoolean(value);
      if (b === undefined) throw new FieldError([MESSAGES.invalidBoolean]);
      return b;
    },
  };
}

/**
 * A currency code (InvenTree's currency choice field): three upper-case letters, anything else
 * `"<value>" is not a valid choice.`; `""` is accepted and means "the default".
 */
export function currency(opts: { nullable?: boolean; required?: boolean; description?: string } = {}): Field<string> {
  const base = string({ allowBlank: true, required: opts.required ?? false, nullable: opts.nullable ?? false });
  return {
    ...base,
    schema: nullableSchema(Type.String({ ...describe(opts), maxLength: 3 }), opts.nullable ?? false),
    parse(value, ctx) {
      const text = base.parse(value, ctx) as string;
      if (text !== '' && !/^[A-Z]{3}$/.test(text)) throw new FieldError([MESSAGES.invalidChoice(value)]);
      return text;
    },
  };
}

export function choice<const C extends string | number>(
  choices: readonly C[],
  opts: CommonOptions<C> & NullableOption = {},
): Field<C> {
  const allNumbers = choices.every((c) => typeof c === 'number');
  const base = allNumbers
    ? Type.Integer({ ...describe(opts), enum: [...choices] })
    : Type.String({ ...describe(opts), enum: [...choices] });
  return {
    schema: nullableSchema(base, opts.nullable ?? false),
    whenMissing: missingRule(opts),
    nullable: opts.nullable ?? false,
    parse(value) {
      // DRF compares the text forms, so "10" selects 10.
      const text = typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
      const match = text === undefined ? undefined : choices.find((c) => String(c) === text);
      if (match === undefined) throw new FieldError([MESSAGES.invalidChoice(value)]);
      return match;
    },
  };
}

const DATE_TEXT = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar date `YYYY-MM-DD`. */
export function date(opts: CommonOptions<string> & NullableOption = {}): Field<string> {
  return {
    schema: nullableSchema(Type.String({ ...describe(opts), format: 'date' }), opts.nullable ?? false),
    whenMissing: missingRule(opts),
    nullable: opts.nullable ?? false,
    parse(value) {
      if (typeof value !== 'string') throw new FieldError([MESSAGES.invalidDate]);
      const text = pythonStrip(value);
      const m = DATE_TEXT.exec(text);
      if (m === null) throw new FieldError([MESSAGES.invalidDate]);
      const d = new Date(`${text}T00:00:00Z`);
      if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== text) throw new FieldError([MESSAGES.invalidDate]);
      return text;
    },
  };
}

/** Any JSON value, unchecked (e.g. metadata). */
export function json(opts: CommonOptions<unknown> & NullableOption = {}): Field<unknown> {
  return {
    schema: nullableSchema(Type.Unknown(describe(opts)), opts.nullable ?? false),
    whenMissing: missingRule(opts),
    nullable: opts.nullable ?? false,
    parse(value) {
      return value;
    },
  };
}

// --- relations -------------------------------------------------------------------------------

export interface PkOptions extends CommonOptions<number>, NullableOption {
  /**
   * Checks that the object exists (and, where InvenTree limits the choices, that it is one of
   * them). Returns false when it does not: DRF then reports "Invalid pk".
   */
  exists: (db: Executor, pk: number) => Promise<boolean>;
}

/**
 * DRF PrimaryKeyRelatedField: an integer or numeric text naming an existing object.
 * `""` counts as null, as in DRF.
 */
export function pk(opts: PkOptions): Field<number> {
  return {
    schema: nullableSchema(Type.Integer(describe(opts)), opts.nullable ?? false),
    whenMissing: missingRule(opts),
    nullable: opts.nullable ?? false,
    async parse(value, ctx) {
      if (typeof value === 'boolean' || (typeof value !== 'number' && typeof value !== 'string')) {
        throw new FieldError([MESSAGES.incorrectPkType(value)]);
      }
      const n = typeof value === 'number' ? (Number.isFinite(value) ? Math.trunc(value) : undefined) : coerceInteger(value);
      if (n === undefined) throw new FieldError([MESSAGES.incorrectPkType(value)]);
      if (!isPossibleKey(n) || !(await opts.exists(ctx.db, n))) throw new FieldError([MESSAGES.invalidPk(value)]);
      return n;
    },
  };
}

// --- composite fields ------------------------------------------------------------------------

export interface ListOptions<T> extends CommonOptions<T[]> {
  allowEmpty?: boolean;
}

/** A list of values; errors come back positionally (`[{}, {"quantity": [...]}]`). */
export function list<T>(item: Field<T>, opts: ListOptions<T> = {}): Field<T[]> {
  return {
    schema: Type.Array(item.schema, describe(opts)),
    whenMissing: missingRule(opts),
    nullable: false,
    async parse(value, ctx) {
      if (!Array.isArray(value)) throw new FieldError([MESSAGES.notAList(value)]);
      if (value.length === 0 && opts.allowEmpty === false) throw new FieldError([MESSAGES.emptyList]);
      const out: T[] = [];
      const errors: FieldErrorDetail[] = [];
      let failed = false;
      for (const element of value) {
        try {
          if (element === null && !item.nullable) throw new FieldError([MESSAGES.null]);
          out.push(await item.parse(element, ctx));
          errors.push({});
        } catch (e) {
          if (!(e instanceof FieldError)) throw e;
          failed = true;
          errors.push(e.detail);
        }
      }
      if (failed) throw new FieldError(errors);
      return out;
    },
  };
}

type Shape = Record<string, Field<any>>;

type FieldValue<F> = F extends Field<infer T> ? T : never;
type RequiredKeys<S extends Shape> = {
  [K in keyof S]: S[K]['whenMissing'] extends 'omit' ? never : K;
}[keyof S];
type OptionalKeys<S extends Shape> = Exclude<keyof S, RequiredKeys<S>>;
type NullableValue<F> = F extends { nullable: true } ? FieldValue<F> | null : FieldValue<F>;

export type ObjectValue<S extends Shape> = {
  [K in RequiredKeys<S>]: NullableValue<S[K]>;
} & {
  [K in OptionalKeys<S>]?: NullableValue<S[K]>;
};

export interface ObjectField<S extends Shape> extends Field<ObjectValue<S>> {
  readonly shape: S;
}

/** Typed shortcut: fields whose nullability is known at the type level. */
export type Infer<F> = F extends Field<infer T> ? T : never;

/**
 * A nested serializer. `validate` runs after the fields, with the parsed values, for
 * cross-field rules; it throws FieldError with a field → messages object.
 */
export function object<S extends Shape>(
  shape: S,
  opts: CommonOptions<ObjectValue<S>> & { validate?: (value: ObjectValue<S>, ctx: ParseContext) => void | Promise<void> } = {},
): ObjectField<S> {
  const properties: Record<string, TSchema> = {};
  for (const [key, field] of Object.entries(shape)) {
    properties[key] = field.whenMissing === 'required' ? field.schema : Type.Optional(field.schema);
  }
  return {
    shape,
    schema: Type.Object(properties, { ...describe(opts), additionalProperties: true }),
    whenMissing: missingRule(opts),
    nullable: false,
    async parse(value, ctx) {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw new FieldError({ non_field_errors: [MESSAGES.notADict(value)] });
      }
      const input = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      const errors: Record<string, FieldErrorDetail> = {};
      for (const [key, field] of Object.entries(shape)) {
        const raw = Object.prototype.hasOwnProperty.call(input, key) ? input[key] : undefined;
        try {
          out[key] = await parseMember(field, raw, ctx);
          if (out[key] === undefined) delete out[key];
        } catch (e) {
          if (!(e instanceof FieldError)) throw e;
          errors[key] = e.detail;
        }
      }
      if (Object.keys(errors).length > 0) throw new FieldError(errors);
      const parsed = out as ObjectValue<S>;
      if (opts.validate) await opts.validate(parsed, ctx);
      return parsed;
    },
  };
}

async function parseMember(field: Field<unknown>, raw: unknown, ctx: ParseContext): Promise<unknown> {
  if (raw === undefined) {
    if (field.whenMissing === 'required') throw new FieldError([MESSAGES.required]);
    if (field.whenMissing === 'omit') return undefined;
    return field.whenMissing();
  }
  // DRF: "" counts as null for relations and numbers that allow null.
  if (raw === null || (raw === '' && field.nullable && field.schema.type !== 'string')) {
    if (field.nullable) return null;
    throw new FieldError([MESSAGES.null]);
  }
  return field.parse(raw, ctx);
}

/**
 * Parses a request body against a form; on failure throws a 400 ValidationError whose body is
 * DRF's field → messages object.
 */
export async function parseBody<S extends Shape>(form: ObjectField<S>, body: unknown, ctx: ParseContext): Promise<ObjectValue<S>> {
  try {
    return await form.parse(body ?? {}, ctx);
  } catch (e) {
    if (e instanceof FieldError) throw new ValidationError(e.detail as Record<string, unknown>);
    throw e;
  }
}
