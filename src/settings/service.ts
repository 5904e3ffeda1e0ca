/**
 * Global and per-user settings: typed definitions (definitions.ts) over a key → text table.
 * Values are stored and returned in InvenTree's text form ("True"/"False" for booleans,
 * decimal text for integers). Global values are cached in this process under the data
 * generation (db/generation.ts): any write to the settings, by any process, reaches the next
 * read. A read through an open transaction uses the cache only while the transaction sees the
 * generation it was loaded under (its own writes replace it too).
 */
import { ValidationError } from '../http/errors.js';
import { coerceBoolean, coerceInteger, findLoneSurrogate, MESSAGES } from '../http/fields.js';
import { pythonStrip } from '../text/python-strip.js';
import { CachedUnderGeneration, type DataGeneration } from '../db/generation.js';
import type { Executor } from '../db/transaction.js';
import { GLOBAL_SETTINGS, USER_SETTINGS, type SettingChoice, type SettingDefinition } from './definitions.js';
import { isPossibleKey } from '../db/keys.js';

export type ChoiceSource = () => SettingChoice[];

export interface SettingView {
  pk: number;
  key: string;
  value: string;
  name: string;
  description: string;
  type: string;
  units: string;
  choices: SettingChoice[];
  model_name: string | null;
  api_url: string | null;
  typ: string;
}

function indexByKey(defs: readonly SettingDefinition[]): Map<string, { def: SettingDefinition; pk: number }> {
  return new Map(defs.map((def, i) => [def.key, { def, pk: i + 1 }]));
}

const GLOBAL_INDEX = indexByKey(GLOBAL_SETTINGS);
const USER_INDEX = indexByKey(USER_SETTINGS);

export class SettingsService {
  private readonly choiceSources = new Map<string, ChoiceSource>();
  private readonly globals: CachedUnderGeneration<Map<string, string>>;

  constructor(
    private readonly db: Executor,
    /** The data generation the cache of global values is kept under; no cache without it. */
    generation?: DataGeneration,
  ) {
    this.globals = new CachedUnderGeneration(generation, (trx) => this.readGlobals(trx));
  }

  registerChoiceSource(name: NonNullable<SettingDefinition['choicesFrom']>, source: ChoiceSource): void {
    this.choiceSources.set(name, source);
  }

  /** Drops cached values (after a write, here or in another process). */
  invalidate(): void {
    this.globals.clear();
  }

  static isGlobalKey(key: string): boolean {
    return GLOBAL_INDEX.has(key);
  }

  static isUserKey(key: string): boolean {
    return USER_INDEX.has(key);
  }

  private async readGlobals(db: Executor): Promise<Map<string, string>> {
    const rows = await db.selectFrom('setting_global').select(['key', 'value']).execute();
    return new Map(rows.map((r) => [r.key, r.value]));
  }

  private loadGlobals(db: Executor = this.db): Promise<Map<string, string>> {
    return this.globals.get(db);
  }

  /**
   * A global value in its text form. Pass `db` to read through an open transaction (the
   * value then also sees the transaction's own writes).
   */
  async getGlobal(key: string, db?: Executor): Promise<string> {
    const entry = GLOBAL_INDEX.get(key);
    if (entry === undefined) throw new Error(`unknown global setting ${key}`);
    return (await this.loadGlobals(db)).get(key) ?? entry.def.default;
  }

  /** Several global values in their text form, with one read. */
  async getGlobals(keys: readonly string[], db?: Executor): Promise<Map<string, string>> {
    const values = await this.loadGlobals(db);
    const out = new Map<string, string>();
    for (const key of keys) {
      const entry = GLOBAL_INDEX.get(key);
      if (entry === undefined) throw new Error(`unknown global setting ${key}`);
      out.set(key, values.get(key) ?? entry.def.default);
    }
    return out;
  }

  async getGlobalBool(key: string, db?: Executor): Promise<boolean> {
    return coerceBoolean(await this.getGlobal(key, db)) ?? false;
  }

  async getGlobalInt(key: string, db?: Executor): Promise<number> {
    const entry = GLOBAL_INDEX.get(key);
    return coerceInteger(await this.getGlobal(key, db)) ?? Number(entry?.def.default ?? 0);
  }

  async listGlobal(): Promise<SettingView[]> {
    const values = await this.loadGlobals();
    return GLOBAL_SETTINGS.map((def, i) => this.view(def, i + 1, values.get(def.key) ?? def.default));
  }

  async viewGlobal(key: string): Promise<SettingView | undefined> {
    const entry = GLOBAL_INDEX.get(key);
    if (entry === undefined) return undefined;
    return this.view(entry.def, entry.pk, await this.getGlobal(key));
  }

  /** Validates and stores a global value; throws a 400 `{"value": [...]}` when invalid. */
  async setGlobal(key: string, raw: unknown, db: Executor = this.db): Promise<SettingView> {
    const entry = GLOBAL_INDEX.get(key);
    if (entry === undefined) throw new Error(`unknown global setting ${key}`);
    const value = this.validate(entry.def, raw);
    await db
      .insertInto('setting_global')
      .values({ key, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
      .execute();
    this.invalidate();
    return this.view(entry.def, entry.pk, value);
  }

  async listUser(userId: number): Promise<SettingView[]> {
    const rows = await this.db.selectFrom('setting_user').select(['key', 'value']).where('user_id', '=', userId).execute();
    const values = new Map(rows.map((r) => [r.key, r.value]));
    return USER_SETTINGS.map((def, i) => this.view(def, i + 1, values.get(def.key) ?? def.default));
  }

  async viewUser(userId: number, key: string): Promise<SettingView | undefined> {
    const entry = USER_INDEX.get(key);
    if (entry === undefined) return undefined;
    const row = await this.db
      .selectFrom('setting_user')
      .select('value')
      .where('user_id', '=', userId)
      .where('key', '=', key)
      .executeTakeFirst();
    return this.view(entry.def, entry.pk, row?.value ?? entry.def.default);
  }

  async setUser(userId: number, key: string, raw: unknown): Promise<SettingView> {
    const entry = USER_INDEX.get(key);
    if (entry === undefined) throw new Error(`unknown user setting ${key}`);
    const value = this.validate(entry.def, raw);
    await this.db
      .insertInto('setting_user')
      .values({ user_id: userId, key, value })
      .onConflict((oc) => oc.columns(['user_id', 'key']).doUpdateSet({ value }))
      .execute();
    return this.view(entry.def, entry.pk, value);
  }

  private choicesOf(def: SettingDefinition): SettingChoice[] {
    if (def.choices !== undefined) return [...def.choices];
    if (def.choicesFrom !== undefined) return this.choiceSources.get(def.choicesFrom)?.() ?? [];
    return [];
  }

  /** Checks a raw value against the definition and returns its stored text form. */
  validate(def: SettingDefinition, raw: unknown): string {
    const fail = (message: string): never => {
      throw new ValidationError({ value: [message] });
    };
    if (raw === undefined) return fail('This field is required.');
    if (raw === null) return fail('This field may not be null.');
    if (typeof raw === 'object') return fail('Not a valid string.');
    switch (def.type) {
      case 'boolean': {
        const b = coerceBoolean(typeof raw === 'string' ? raw.trim() : raw);
        if (b === undefined) return fail('Value must be a boolean');
        return b ? 'True' : 'False';
      }
      case 'integer': {
        const n = coerceInteger(raw);
        if (n === undefined) return fail('Value must be an integer value');
        if (def.min !== undefined && n < def.min) return fail(`Value must be at least ${def.min}`);
        if (def.max !== undefined && n > def.max) return fail(`Value must not exceed ${def.max}`);
        return String(n);
      }
      case 'choice': {
        const text = String(raw).trim();
        if (!this.choicesOf(def).some((c) => c.value === text)) return fail('Chosen value is not a valid option');
        return text;
      }
      case 'related': {
        // Existence is checked by the owner of the setting; here only the form of a key.
        const text = String(raw).trim();
        if (text === '') return '';
        const n = coerceInteger(text);
        if (n === undefined || !isPossibleKey(n)) return fail('Value must be a valid primary key');
        return String(n);
      }
      case 'string': {
        // Trimmed as every string field is (D9: Python's whitespace set, which includes the
        // separators GS and RS); text a database cannot store is refused, as by string fields.
        const text = pythonStrip(String(raw));
        if (text.length > 2000) return fail('Ensure this field has no more than 2000 characters.');
        if (text.includes('\u0000')) return fail(MESSAGES.nullCharacters);
        const surrogate = findLoneSurrogate(text);
        if (surrogate !== undefined) return fail(MESSAGES.surrogate(surrogate));
        if (def.pattern !== undefined && text !== '' && !def.pattern.regex.test(text)) return fail(def.pattern.message);
        return text;
      }
    }
  }

  private view(def: SettingDefinition, pk: number, value: string): SettingView {
    return {
      pk,
      key: def.key,
      value,
      name: def.name,
      description: def.description,
      type: def.type,
      units: def.units ?? '',
      choices: this.choicesOf(def),
      model_name: null,
      api_url: null,
      typ: def.type,
    };
  }
}
