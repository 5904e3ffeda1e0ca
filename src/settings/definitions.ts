/**
 * Every setting Stockscan knows, with its type, default and rules. Keys, names and defaults
 * follow InvenTree (barcode-api.md §5, core-api.md §7) except where the decision table says
 * otherwise (D6: scan history on by default, capped at 100000 rows).
 *
 * Order matters only for display; a setting's `pk` in the API is its position here, so new
 * settings are appended at the end of their list.
 */
export type SettingType = 'boolean' | 'integer' | 'string' | 'choice' | 'related';

export interface SettingChoice {
  value: string;
  display_name: string;
}

export interface SettingDefinition {
  key: string;
  name: string;
  description: string;
  type: SettingType;
  /** Default in its stored (text) form. */
  default: string;
  units?: string;
  min?: number;
  max?: number;
  /** Static choices; dynamic ones come from `choicesFrom`. */
  choices?: readonly SettingChoice[];
  /** Name of a dynamic choice source, resolved by the settings service (e.g. barcode plugins). */
  choicesFrom?: 'barcodeGenerationPlugins';
  /** For `related` settings: the model the value is a primary key of. */
  model?: 'company';
  /** A regular expression the value must match (string settings). */
  pattern?: { regex: RegExp; message: string };
}

const bool = (key: string, name: string, description: string, value: boolean): SettingDefinition => ({
  key,
  name,
  description,
  type: 'boolean',
  default: value ? 'True' : 'False',
});

const int = (key: string, name: string, description: string, value: number, min?: number, units?: string): SettingDefinition => ({
  key,
  name,
  description,
  type: 'integer',
  default: String(value),
  ...(min !== undefined ? { min } : {}),
  ...(units !== undefined ? { units } : {}),
});

const text = (key: string, name: string, description: string, value: string, pattern?: SettingDefinition['pattern']): SettingDefinition => ({
  key,
  name,
  description,
  type: 'string',
  default: value,
  ...(pattern !== undefined ? { pattern } : {}),
});

const REFERENCE_PATTERN = {
  regex: /\{ref(:0?\d+d)?\}/,
  message: 'Reference pattern must contain a {ref} placeholder',
};

export const GLOBAL_SETTINGS: readonly SettingDefinition[] = [
  text('INVENTREE_INSTANCE', 'Server Instance Name', 'String descriptor for the server instance', 'InvenTree'),
  text('INVENTREE_DEFAULT_CURRENCY', 'Default Currency', 'Select base currency for pricing calculations', 'USD', {
    regex: /^[A-Z]{3}$/,
    message: 'Currency must be a three-letter ISO 4217 code',
  }),
  bool('BARCODE_ENABLE', 'Barcode Support', 'Enable barcode scanner support in the web interface', true),
  bool('BARCODE_STORE_RESULTS', 'Store Barcode Results', 'Store barcode scan results in the database', true),
  int('BARCODE_RESULTS_MAX_NUM', 'Barcode Scans Maximum Count', 'Maximum number of barcode scan results to store', 100000, 1),
  int('BARCODE_INPUT_DELAY', 'Barcode Input Delay', 'Barcode input processing delay time', 50, 1, 'ms'),
  bool('BARCODE_WEBCAM_SUPPORT', 'Barcode Webcam Support', 'Allow barcode scanning via webcam in browser', true),
  bool('BARCODE_SHOW_TEXT', 'Barcode Show Data', 'Display barcode data in browser as text', false),
  {
    key: 'BARCODE_GENERATION_PLUGIN',
    name: 'Barcode Generation Plugin',
    description: 'Plugin to use for internal barcode data generation',
    type: 'choice',
    default: 'inventreebarcode',
    choicesFrom: 'barcodeGenerationPlugins',
  },
  bool('PART_ALLOW_DUPLICATE_IPN', 'Allow Duplicate IPN', 'Allow multiple parts to share the same IPN', true),
  text('PART_IPN_REGEX', 'IPN Regex', 'Regular expression pattern for matching Part IPN', ''),
  bool('PART_TEMPLATE', 'Template', 'Parts are templates by default', false),
  bool('PART_ASSEMBLY', 'Assembly', 'Parts can be assembled from other components by default', false),
  bool('PART_COMPONENT', 'Component', 'Parts can be used as sub-components by default', true),
  bool('PART_PURCHASEABLE', 'Purchasable', 'Parts are purchasable by default', true),
  bool('PART_SALABLE', 'Salable', 'Parts are salable by default', false),
  bool('PART_TRACKABLE', 'Trackable', 'Parts are trackable by default', false),
  bool('PART_VIRTUAL', 'Virtual', 'Parts are virtual by default', false),
  bool('SERIAL_NUMBER_GLOBALLY_UNIQUE', 'Globally Unique Serials', 'Serial numbers for stock items must be globally unique', false),
  bool('STOCK_DELETE_DEPLETED_DEFAULT', 'Delete Depleted Stock', 'Determines default behavior when a stock item is depleted', true),
  bool('STOCK_ENABLE_EXPIRY', 'Stock Expiry', 'Enable stock expiry functionality', false),
  bool('PROJECT_CODES_ENABLED', 'Enable project codes', 'Enable project codes for tracking projects', false),
  text('BUILDORDER_REFERENCE_PATTERN', 'Build Order Reference Pattern', 'Required pattern for generating Build Order reference field', 'BO-{ref:04d}', REFERENCE_PATTERN),
  text('PURCHASEORDER_REFERENCE_PATTERN', 'Purchase Order Reference Pattern', 'Required pattern for generating Purchase Order reference field', 'PO-{ref:04d}', REFERENCE_PATTERN),
  bool('PURCHASEORDER_EDIT_COMPLETED_ORDERS', 'Edit Completed Purchase Orders', 'Allow editing of purchase orders after they have been shipped or completed', false),
  bool('PURCHASEORDER_CONVERT_CURRENCY', 'Convert Currency', 'Convert item value to base currency when receiving stock', false),
  bool('PURCHASEORDER_AUTO_COMPLETE', 'Auto Complete Purchase Orders', 'Automatically mark purchase orders as complete when all line items are received', true),
  text('SALESORDER_REFERENCE_PATTERN', 'Sales Order Reference Pattern', 'Required pattern for generating Sales Order reference field', 'SO-{ref:04d}', REFERENCE_PATTERN),
  bool('SALESORDER_DEFAULT_SHIPMENT', 'Sales Order Default Shipment', 'Enable creation of default shipment with sales orders', false),
  bool('SALESORDER_EDIT_COMPLETED_ORDERS', 'Edit Completed Sales Orders', 'Allow editing of sales orders after they have been shipped or completed', false),
  bool('SALESORDER_SHIPMENT_REQUIRES_CHECK', 'Shipment Requires Checking', 'Prevent completion of shipments until items have been checked', false),
  bool('SALESORDER_SHIP_COMPLETE', 'Mark Shipped Orders as Complete', 'Sales orders marked as shipped will automatically be completed, bypassing the "shipped" status', false),
  bool('RETURNORDER_ENABLED', 'Enable Return Orders', 'Enable return order functionality in the user interface', true),
  text('RETURNORDER_REFERENCE_PATTERN', 'Return Order Reference Pattern', 'Required pattern for generating Return Order reference field', 'RMA-{ref:04d}', REFERENCE_PATTERN),
  bool('RETURNORDER_EDIT_COMPLETED_ORDERS', 'Edit Completed Return Orders', 'Allow editing of return orders after they have been completed', false),
  // Stockscan's scan repair (docs/barcodes.md "Scan repair"): one switch per family of repairs.
  bool('BARCODE_REPAIR_SYMBOLOGY', 'Barcode Repair: Symbology Identifiers', 'Remove and report an AIM symbology identifier (]d2, ]C1, ]Q3 ...) at the start of scanned data', true),
  bool(
    'BARCODE_REPAIR_CONTROL_PICTURES',
    'Barcode Repair: Control Characters',
    'Map the control pictures ␝ ␞ ␄ to GS, RS and EOT, restore the RS of an ISO/IEC 15434 header ([)>06 without RS) and remove a trailing EOT terminator',
    true,
  ),
  bool(
    'BARCODE_REPAIR_KEYBOARD',
    'Barcode Repair: Keyboard Layouts',
    'Undo keyboard-layout damage (UK @ for ", typographic quotes, German ß for -) when the repaired data is an internal barcode',
    true,
  ),
  bool('BARCODE_REPAIR_BURST', 'Barcode Repair: Several Codes', 'When one scan holds several codes separated by line breaks, use the first and report the rest', true),
];

export const USER_SETTINGS: readonly SettingDefinition[] = [
  bool('BARCODE_IN_FORM_FIELDS', 'Barcode Scanner in Form Fields', 'Allow barcode scanner input in form fields', false),
  bool('SEARCH_PREVIEW_SHOW_PARTS', 'Search Parts', 'Display parts in search preview window', true),
  bool('SEARCH_PREVIEW_SHOW_STOCK', 'Search Stock', 'Display stock items in search preview window', true),
  int('SEARCH_PREVIEW_RESULTS', 'Search Preview Results', 'Number of results to show in each section of the search preview window', 10, 1),
  text('DATE_DISPLAY_FORMAT', 'Date Format', 'Preferred format for displaying dates', 'YYYY-MM-DD'),
];
