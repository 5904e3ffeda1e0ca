/**
 * The ten barcodable models (decisions D11, D12, D15): model type (the JSON key and the link
 * field), the two-character short code, where each lives in the database and the API, its
 * web page, and the Django table that permission checks use. The array order is Stockscan's
 * one fixed model order (D12): look-ups, link-field priority and error-message lists use it.
 */
import type { DB } from '../db/schema.js';

export type BarcodeModelType =
  | 'build'
  | 'manufacturerpart'
  | 'supplierpart'
  | 'purchaseorder'
  | 'salesorder'
  | 'salesordershipment'
  | 'returnorder'
  | 'part'
  | 'stocklocation'
  | 'stockitem';

export interface BarcodeModel {
  type: BarcodeModelType;
  /** Short-format code, e.g. `PA` in `INV-PA12`. */
  code: string;
  table: keyof DB & string;
  /** InvenTree's model class name (404 and permission texts). */
  className: string;
  /** Python class path, as InvenTree's link/unlink permission message shows it. */
  pythonClass: string;
  /** Django table for permission checks (users/roles.ts). */
  permissionTable: string;
  /** API list URL; `api_url` of an object is this plus `<pk>/`. */
  apiList: string;
  /** Web route below `/web`, or undefined when the model has no web URL (key omitted). */
  webRoute: ((pk: number) => string) | undefined;
}

export const BARCODE_MODELS: readonly BarcodeModel[] = [
  {
    type: 'build',
    code: 'BO',
    table: 'build',
    className: 'Build',
    pythonClass: 'build.models.Build',
    permissionTable: 'build_build',
    apiList: '/api/build/',
    webRoute: (pk) => `/manufacturing/build-order/${pk}`,
  },
  {
    type: 'manufacturerpart',
    code: 'MP',
    table: 'manufacturer_part',
    className: 'ManufacturerPart',
    pythonClass: 'company.models.ManufacturerPart',
    permissionTable: 'company_manufacturerpart',
    apiList: '/api/company/part/manufacturer/',
    webRoute: undefined,
  },
  {
    type: 'supplierpart',
    code: 'SP',
    table: 'supplier_part',
    className: 'SupplierPart',
    pythonClass: 'company.models.SupplierPart',
    permissionTable: 'company_supplierpart',
    apiList: '/api/company/part/',
    webRoute: (pk) => `/purchasing/supplier-part/${pk}`,
  },
  {
    type: 'purchaseorder',
    code: 'PO',
    table: 'purchase_order',
    className: 'PurchaseOrder',
    pythonClass: 'order.models.PurchaseOrder',
    permissionTable: 'order_purchaseorder',
    apiList: '/api/order/po/',
    webRoute: (pk) => `/purchasing/purchase-order/${pk}`,
  },
  {
    type: 'salesorder',
    code: 'SO',
    table: 'sales_order',
    className: 'SalesOrder',
    pythonClass: 'order.models.SalesOrder',
    permissionTable: 'order_salesorder',
    apiList: '/api/order/so/',
    webRoute: (pk) => `/sales/sales-order/${pk}`,
  },
  {
    type: 'salesordershipment',
    code: 'SS',
    table: 'sales_order_shipment',
    className: 'SalesOrderShipment',
    pythonClass: 'order.models.SalesOrderShipment',
    permissionTable: 'order_salesordershipment',
    apiList: '/api/order/so/shipment/',
    webRoute: undefined,
  },
  {
    type: 'returnorder',
    code: 'RO',
    table: 'return_order',
    className: 'ReturnOrder',
    pythonClass: 'order.models.ReturnOrder',
    permissionTable: 'order_returnorder',
    apiList: '/api/order/ro/',
    webRoute: (pk) => `/sales/return-order/${pk}`,
  },
  {
    type: 'part',
    code: 'PA',
    table: 'part',
    className: 'Part',
    pythonClass: 'part.models.Part',
    permissionTable: 'part_part',
    apiList: '/api/part/',
    webRoute: (pk) => `/part/${pk}`,
  },
  {
    type: 'stocklocation',
    code: 'SL',
    table: 'stock_location',
    className: 'StockLocation',
    pythonClass: 'stock.models.StockLocation',
    permissionTable: 'stock_stocklocation',
    apiList: '/api/stock/location/',
    webRoute: (pk) => `/stock/location/${pk}`,
  },
  {
    type: 'stockitem',
    code: 'SI',
    table: 'stock_item',
    className: 'StockItem',
    pythonClass: 'stock.models.StockItem',
    permissionTable: 'stock_stockitem',
    apiList: '/api/stock/',
    webRoute: (pk) => `/stock/item/${pk}`,
  },
];

/** The model types in the fixed order (D12). */
export const BARCODE_MODEL_TYPES: readonly BarcodeModelType[] = BARCODE_MODELS.map((m) => m.type);

const BY_TYPE = new Map(BARCODE_MODELS.map((m) => [m.type as string, m]));
const BY_CODE = new Map(BARCODE_MODELS.map((m) => [m.code, m]));

export function barcodeModel(type: string): BarcodeModel | undefined {
  return BY_TYPE.get(type);
}

export function barcodeModelByCode(code: string): BarcodeModel | undefined {
  return BY_CODE.get(code);
}

/** The base of web URLs (InvenTree's FRONTEND_URL_BASE). */
export const WEB_BASE = '/web';

export function apiUrlOf(model: BarcodeModel, pk: number): string {
  return `${model.apiList}${pk}/`;
}

export function webUrlOf(model: BarcodeModel, pk: number): string | undefined {
  return model.webRoute === undefined ? undefined : `${WEB_BASE}${model.webRoute(pk)}`;
}
