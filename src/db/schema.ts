import type { ColumnType, Generated, SqlBool } from 'kysely';

/**
 * Column conventions, identical on SQLite and PostgreSQL:
 * - integer primary keys `id`, generated from 1;
 * - booleans are `boolean` columns; SQLite returns 1/0, PostgreSQL true/false, so reads are
 *   typed `SqlBool` and must go through `Boolean()` (serialisers do);
 * - timestamps are ISO-8601 UTC text (`2026-11-28T01:02:03.456Z`), dates `YYYY-MM-DD` text:
 *   both sort correctly as text and read back the same on both databases;
 * - decimals are `numeric` and read as JavaScript numbers;
 * - JSON documents are text.
 */
export type Bool = ColumnType<SqlBool, boolean | undefined, boolean>;
export type Id = Generated<number>;

export interface UserTable {
  id: Id;
  username: string;
  /** scrypt hash (see users/passwords.ts); "" = no usable password. */
  password: string;
  email: string;
  first_name: string;
  last_name: string;
  is_staff: Bool;
  is_superuser: Bool;
  is_active: Bool;
  date_joined: string;
  last_login: string | null;
}

export interface GroupTable {
  id: Id;
  name: string;
}

export interface UserGroupTable {
  user_id: number;
  group_id: number;
}

export interface RulesetTable {
  id: Id;
  group_id: number;
  name: string;
  can_view: Bool;
  can_add: Bool;
  can_change: Bool;
  can_delete: Bool;
}

export interface ApiTokenTable {
  id: Id;
  user_id: number;
  name: string;
  /** HMAC-SHA256 of the key under the server secret: the look-up value (decision D18). */
  key_lookup: string;
  /** The key itself, AES-256-GCM encrypted under the server secret (decision D18). */
  key_encrypted: string;
  created: string;
  /** YYYY-MM-DD; the token is valid through this day. */
  expiry: string;
  last_seen: string | null;
  revoked: Bool;
  /** JSON: request details at creation. */
  metadata: string;
}

export interface SessionTable {
  id: Id;
  /** HMAC-SHA256 of the session cookie value. */
  key_lookup: string;
  user_id: number;
  /** The CSRF token bound to this session; the X-CSRFToken header must equal it. */
  csrf_token: string;
  created: string;
  expires: string;
}

export interface GlobalSettingTable {
  key: string;
  value: string;
}

export interface UserSettingTable {
  user_id: number;
  key: string;
  value: string;
}

type Text = ColumnType<string, string | undefined, string>;
type Num = ColumnType<number, number | undefined, number>;
type Meta = ColumnType<string, string | undefined, string>;
type Ref = ColumnType<number | null, number | null | undefined, number | null>;
type NullText = ColumnType<string | null, string | null | undefined, string | null>;
type NullNum = ColumnType<number | null, number | null | undefined, number | null>;

export interface CompanyTable {
  id: Id;
  name: string;
  description: Text;
  website: Text;
  phone: Text;
  email: NullText;
  contact: Text;
  link: Text;
  active: Bool;
  is_customer: Bool;
  is_supplier: Bool;
  is_manufacturer: Bool;
  currency: Text;
  tax_id: Text;
  notes: Text;
  metadata: Meta;
}

/** Shared columns of the two trees (part categories, stock locations). */
export interface TreeColumns {
  parent_id: Ref;
  /** Names from the root, joined with "/". */
  pathstring: Text;
  /** 0 for a root. */
  level: Num;
  /** Ids from the root down to this node, e.g. "/1/4/9/". */
  tree_path: Text;
}

export interface StockLocationTable extends TreeColumns {
  id: Id;
  name: string;
  description: Text;
  structural: Bool;
  external: Bool;
  custom_icon: Text;
  metadata: Meta;
}

export interface PartCategoryTable extends TreeColumns {
  id: Id;
  name: string;
  description: Text;
  default_location_id: Ref;
  default_keywords: Text;
  structural: Bool;
  icon: Text;
  metadata: Meta;
}

export interface PartTable {
  id: Id;
  name: string;
  ipn: NullText;
  revision: NullText;
  description: Text;
  keywords: Text;
  category_id: Ref;
  active: Bool;
  assembly: Bool;
  component: Bool;
  trackable: Bool;
  testable: Bool;
  purchaseable: Bool;
  salable: Bool;
  virtual: Bool;
  is_template: Bool;
  locked: Bool;
  variant_of_id: Ref;
  revision_of_id: Ref;
  /** Ids of the template chain down to this part, e.g. "/3/12/". */
  tree_path: Text;
  default_location_id: Ref;
  default_expiry: Num;
  minimum_stock: Num;
  units: Text;
  link: Text;
  notes: Text;
  metadata: Meta;
  creation_date: NullText;
  creation_user_id: Ref;
}

export interface ManufacturerPartTable {
  id: Id;
  part_id: number;
  manufacturer_id: Ref;
  mpn: NullText;
  description: Text;
  link: Text;
  notes: Text;
  metadata: Meta;
}

export interface SupplierPartTable {
  id: Id;
  part_id: number;
  supplier_id: number;
  sku: string;
  manufacturer_part_id: Ref;
  active: Bool;
  /** API field `primary`. */
  is_primary: Bool;
  description: Text;
  link: Text;
  note: Text;
  base_cost: Num;
  packaging: Text;
  pack_quantity: Text;
  pack_quantity_native: Num;
  multiple: Num;
  available: Num;
  availability_updated: NullText;
  updated: NullText;
  notes: Text;
  metadata: Meta;
}

/** Columns shared by purchase, sales and return orders. */
export interface OrderColumns {
  id: Id;
  reference: string;
  /** The number inside the reference, for auto-numbering and ordering. */
  reference_int: Num;
  description: Text;
  link: Text;
  status: Num;
  creation_date: NullText;
  issue_date: NullText;
  start_date: NullText;
  target_date: NullText;
  created_by_id: Ref;
  order_currency: NullText;
  notes: Text;
  metadata: Meta;
  updated_at: NullText;
}

export interface PurchaseOrderTable extends OrderColumns {
  supplier_id: number;
  supplier_reference: Text;
  complete_date: NullText;
  received_by_id: Ref;
  destination_id: Ref;
}

export interface SalesOrderTable extends OrderColumns {
  customer_id: Ref;
  customer_reference: Text;
  shipment_date: NullText;
  shipped_by_id: Ref;
}

export interface ReturnOrderTable extends OrderColumns {
  customer_id: Ref;
  customer_reference: Text;
  complete_date: NullText;
}

export interface BuildTable {
  id: Id;
  reference: string;
  reference_int: Num;
  title: Text;
  part_id: number;
  quantity: Num;
  completed: Num;
  status: Num;
  parent_id: Ref;
  sales_order_id: Ref;
  take_from_id: Ref;
  destination_id: Ref;
  batch: NullText;
  external: Bool;
  creation_date: NullText;
  start_date: NullText;
  target_date: NullText;
  completion_date: NullText;
  completed_by_id: Ref;
  issued_by_id: Ref;
  priority: Num;
  link: Text;
  notes: Text;
  metadata: Meta;
}

export interface StockItemTable {
  id: Id;
  part_id: number;
  quantity: Num;
  serial: NullText;
  serial_int: Num;
  batch: NullText;
  location_id: Ref;
  supplier_part_id: Ref;
  purchase_order_id: Ref;
  sales_order_id: Ref;
  customer_id: Ref;
  belongs_to_id: Ref;
  parent_id: Ref;
  build_id: Ref;
  consumed_by_id: Ref;
  is_building: Bool;
  status: Num;
  expiry_date: NullText;
  stocktake_date: NullText;
  packaging: Text;
  link: Text;
  notes: Text;
  purchase_price: NullNum;
  purchase_price_currency: Text;
  delete_on_deplete: Bool;
  updated: NullText;
  creation_date: NullText;
  metadata: Meta;
}

export interface StockTrackingTable {
  id: Id;
  item_id: number;
  date: NullText;
  tracking_type: number;
  notes: Text;
  user_id: Ref;
  /** JSON object of what changed, e.g. {"location": 3, "quantity": 10}. */
  deltas: Meta;
}

export interface PurchaseOrderLineTable {
  id: Id;
  order_id: number;
  /** The supplier part. */
  part_id: Ref;
  quantity: Num;
  received: Num;
  purchase_price: NullNum;
  purchase_price_currency: Text;
  destination_id: Ref;
  build_order_id: Ref;
  reference: Text;
  notes: Text;
  link: Text;
  target_date: NullText;
  metadata: Meta;
}

export interface SalesOrderLineTable {
  id: Id;
  order_id: number;
  part_id: Ref;
  quantity: Num;
  shipped: Num;
  sale_price: NullNum;
  sale_price_currency: Text;
  reference: Text;
  notes: Text;
  link: Text;
  target_date: NullText;
  metadata: Meta;
}

export interface SalesOrderShipmentTable {
  id: Id;
  order_id: number;
  reference: Text;
  shipment_date: NullText;
  delivery_date: NullText;
  checked_by_id: Ref;
  tracking_number: Text;
  invoice_number: Text;
  link: Text;
  notes: Text;
  metadata: Meta;
}

export interface SalesOrderAllocationTable {
  id: Id;
  line_id: number;
  shipment_id: Ref;
  item_id: number;
  quantity: Num;
}

export interface ReturnOrderLineTable {
  id: Id;
  order_id: number;
  item_id: number;
  quantity: Num;
  received_date: NullText;
  outcome: Num;
  price: NullNum;
  price_currency: Text;
  reference: Text;
  notes: Text;
  link: Text;
  target_date: NullText;
  metadata: Meta;
}

export interface BarcodeLinkTable {
  id: Id;
  /** md5 of the normalised data (decision D10); unique across every model (D13). */
  hash: string;
  /** The barcode text as linked (up to 4095 characters, decision D20). */
  data: string;
  /** One of the ten barcodable model types (barcode/model-types.ts). */
  model_type: string;
  object_id: number;
  /** The link the object's `barcode_hash` shows; at most one per object. */
  is_primary: Bool;
  kind: Text;
  note: Text;
  created: NullText;
  created_by_id: Ref;
}

export interface BarcodeScanTable {
  id: Id;
  /** The raw barcode as sent (full length, decision D6). */
  data: Text;
  user_id: Ref;
  timestamp: string;
  endpoint: NullText;
  /** JSON: the request parameters other than `barcode`. */
  context: NullText;
  /** JSON: the response body. */
  response: NullText;
  result: Bool;
  /** The name of the plugin that answered, or null (a real column, decision D6). */
  plugin: NullText;
  /** The barcode after scan repair (what the plugins read); null when the request was invalid. */
  normalized: ColumnType<string | null, string | null | undefined, string | null>;
  /** The barcode hash of `normalized`: groups failed scans in the unmatched inbox. */
  normalized_hash: ColumnType<string | null, string | null | undefined, string | null>;
}

/** A completed request of a writing barcode endpoint, replayed for the same Idempotency-Key. */
export interface BarcodeIdempotencyTable {
  id: Id;
  user_id: number;
  key: string;
  /** sha256 of the method, path and canonical body: a different request under one key is refused. */
  fingerprint: string;
  status: number;
  /** JSON: the response body. */
  response: string;
  created: string;
}

/** A group of the unmatched inbox dismissed by a staff user: its scans up to `dismissed_at` are hidden. */
export interface BarcodeUnmatchedDismissalTable {
  id: Id;
  normalized_hash: string;
  normalized: string;
  dismissed_at: string;
  dismissed_by_id: Ref;
}

/** A supplier company whose ISO/IEC 15434 labels the generic ECIA plugin reads. */
export interface BarcodeEciaSupplierTable {
  id: Id;
  company_id: number;
  created: string;
  created_by_id: Ref;
}

export interface PluginConfigTable {
  key: string;
  active: Bool;
}

export interface PluginSettingTable {
  plugin_key: string;
  key: string;
  value: string;
}

/** One row (id 1): raised by triggers on every write to cached data (migration 0005, db/generation.ts). */
export interface DataGenerationTable {
  id: number;
  value: number;
}

/** Row counts kept by triggers (migration 0005): `barcode_scan`. */
export interface RowCountTable {
  name: string;
  n: number;
}

export interface DB {
  data_generation: DataGenerationTable;
  row_count: RowCountTable;
  barcode_scan: BarcodeScanTable;
  barcode_idempotency: BarcodeIdempotencyTable;
  barcode_unmatched_dismissal: BarcodeUnmatchedDismissalTable;
  barcode_ecia_supplier: BarcodeEciaSupplierTable;
  plugin_config: PluginConfigTable;
  plugin_setting: PluginSettingTable;
  company: CompanyTable;
  stock_location: StockLocationTable;
  part_category: PartCategoryTable;
  part: PartTable;
  manufacturer_part: ManufacturerPartTable;
  supplier_part: SupplierPartTable;
  purchase_order: PurchaseOrderTable;
  sales_order: SalesOrderTable;
  return_order: ReturnOrderTable;
  build: BuildTable;
  stock_item: StockItemTable;
  stock_tracking: StockTrackingTable;
  purchase_order_line: PurchaseOrderLineTable;
  sales_order_line: SalesOrderLineTable;
  sales_order_shipment: SalesOrderShipmentTable;
  sales_order_allocation: SalesOrderAllocationTable;
  return_order_line: ReturnOrderLineTable;
  barcode_link: BarcodeLinkTable;
  auth_user: UserTable;
  auth_group: GroupTable;
  auth_user_group: UserGroupTable;
  ruleset: RulesetTable;
  api_token: ApiTokenTable;
  session: SessionTable;
  setting_global: GlobalSettingTable;
  setting_user: UserSettingTable;
}
