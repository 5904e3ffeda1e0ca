/**
 * The plugin registry: the barcode plugins in their fixed order (decision D19: the internal
 * plugin, then DigiKey, Mouser, LCSC, TME, then any others), built once at start-up, with
 * each plugin's activation and settings kept in the database. Values are cached in this
 * process under the data generation (db/generation.ts), so a write by any process reaches the
 * next request; a read through an open transaction uses the cache only while the transaction
 * sees the generation it was loaded under.
 */
import { CachedUnderGeneration, type DataGeneration } from '../../db/generation.js';
import type { Executor } from '../../db/transaction.js';
import { findByHash } from '../links.js';
import { objectExists } from '../objects.js';
import type { ActivePluginInfo } from '../../http/context.js';
import type { SettingDefinition } from '../../settings/definitions.js';
import type { SettingsService, SettingView } from '../../settings/service.js';
import { ValidationError } from '../../http/errors.js';
import type { BarcodePlugin, PluginContext } from './types.js';

interface PluginState {
  active: Map<string, boolean>;
  settings: Map<string, string>;
}

const settingKey = (slug: string, key: string) => `${slug}\u0000${key}`;

export class PluginRegistry {
  private readonly state: CachedUnderGeneration<PluginState>;
  private readonly bySlugMap: Map<string, BarcodePlugin>;

  constructor(
    readonly plugins: readonly BarcodePlugin[],
    private readonly db: Executor,
    private readonly settingsService: SettingsService,
    /** The data generation the cache is kept under; no cache without it. */
    generation?: DataGeneration,
  ) {
    this.state = new CachedUnderGeneration(generation, (db) => this.read(db));
    this.bySlugMap = new Map(plugins.map((p) => [p.slug, p]));
    settingsService.registerChoiceSource('barcodeGenerationPlugins', () =>
      this.plugins.filter((p) => p.generate !== undefined).map((p) => ({ value: p.slug, display_name: p.title })),
    );
  }

  bySlug(slug: string): BarcodePlugin | undefined {
    return this.bySlugMap.get(slug);
  }

  invalidate(): void {
    this.state.clear();
  }

  /** Loads activation and settings, through `db` when given (e.g. an open transaction). */
  private load(db: Executor = this.db): Promise<PluginState> {
    return this.state.get(db);
  }

  private async read(db: Executor): Promise<PluginState> {
    const [configs, settings] = await Promise.all([
      db.selectFrom('plugin_config').select(['key', 'active']).execute(),
      db.selectFrom('plugin_setting').select(['plugin_key', 'key', 'value']).execute(),
    ]);
    const state: PluginState = {
      active: new Map(configs.map((c) => [c.key, Boolean(c.active)])),
      settings: new Map(settings.map((s) => [settingKey(s.plugin_key, s.key), s.value])),
    };
    return state;
  }

  async isActive(plugin: BarcodePlugin): Promise<boolean> {
    if (plugin.mandatory) return true;
    return (await this.load()).active.get(plugin.slug) ?? plugin.activeByDefault;
  }

  /** The active plugins, in registry order. */
  async active(): Promise<BarcodePlugin[]> {
    const state = await this.load();
    return this.plugins.filter((p) => p.mandatory || (state.active.get(p.slug) ?? p.activeByDefault));
  }

  async activeInfo(): Promise<ActivePluginInfo[]> {
    return (await this.active()).map((p) => ({ name: p.name, slug: p.slug, version: p.version }));
  }

  async setActive(plugin: BarcodePlugin, active: boolean): Promise<void> {
    const value = plugin.mandatory ? true : active;
    await this.db
      .insertInto('plugin_config')
      .values({ key: plugin.slug, active: value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ active: value }))
      .execute();
    this.invalidate();
  }

  definition(plugin: BarcodePlugin, key: string): SettingDefinition | undefined {
    return plugin.settings.find((s) => s.key === key);
  }

  async setting(plugin: BarcodePlugin, key: string, db?: Executor): Promise<string> {
    const def = this.definition(plugin, key);
    if (def === undefined) throw new Error(`plugin ${plugin.slug} has no setting ${key}`);
    return (await this.load(db)).settings.get(settingKey(plugin.slug, key)) ?? def.default;
  }

  /** Validates and stores a plugin setting; throws a 400 `{"value": [...]}` when invalid. */
  async setSetting(plugin: BarcodePlugin, key: string, raw: unknown, db: Executor = this.db): Promise<string> {
    const def = this.definition(plugin, key);
    if (def === undefined) throw new Error(`plugin ${plugin.slug} has no setting ${key}`);
    const value = this.settingsService.validate(def, raw);
    if (def.type === 'related' && value !== '') {
      const company = await db.selectFrom('company').select('is_supplier').where('id', '=', Number(value)).executeTakeFirst();
      if (company === undefined || !company.is_supplier) {
        throw new ValidationError({ value: [`Invalid pk "${value}" - object does not exist.`] });
      }
    }
    await db
      .insertInto('plugin_setting')
      .values({ plugin_key: plugin.slug, key, value })
      .onConflict((oc) => oc.columns(['plugin_key', 'key']).doUpdateSet({ value }))
      .execute();
    this.invalidate();
    return value;
  }

  /** A plugin's settings in the shape of the settings API, plus `plugin`. */
  async settingViews(plugin: BarcodePlugin): Promise<(SettingView & { plugin: string; required: boolean })[]> {
    const out = [];
    for (const [i, def] of plugin.settings.entries()) {
      out.push({
        pk: i + 1,
        key: def.key,
        value: await this.setting(plugin, def.key),
        name: def.name,
        description: def.description,
        type: def.type,
        units: def.units ?? '',
        choices: def.choices === undefined ? [] : [...def.choices],
        model_name: def.type === 'related' ? 'company.company' : null,
        api_url: def.type === 'related' ? '/api/company/' : null,
        typ: def.type,
        required: false,
        plugin: plugin.slug,
      });
    }
    return out;
  }

  /**
   * The context a plugin gets for one request (reading through `db`, e.g. a transaction).
   * `lookups.linkOf` replaces the link look-up for a caller that already knows the answer;
   * `lookups.objectOf` the existence check (by default a primary-key look-up, no instance).
   */
  context(plugin: BarcodePlugin, db: Executor = this.db, lookups: Partial<Pick<PluginContext, 'linkOf' | 'objectOf'>> = {}): PluginContext {
    return {
      db,
      setting: (key) => this.setting(plugin, key, db),
      setSetting: async (key, value) => {
        await this.setSetting(plugin, key, value, db);
      },
      linkOf: lookups.linkOf ?? ((hash) => findByHash(db, hash)),
      objectOf: lookups.objectOf ?? (async (model, pk) => ((await objectExists(db, model, pk)) ? {} : undefined)),
    };
  }
}
