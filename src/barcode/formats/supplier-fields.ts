/**
 * The standard field names supplier-label parsers produce (supplier-barcodes.md §2.4). Every
 * value is text; an unrecognised label gives an empty map.
 */
export type SupplierField =
  | 'customer_order_number'
  | 'supplier_order_number'
  | 'packing_list_number'
  | 'ship_date'
  | 'customer_part_number'
  | 'supplier_part_number'
  | 'purchase_order_line'
  | 'quantity'
  | 'date_code'
  | 'lot_code'
  | 'country_of_origin'
  | 'manufacturer'
  | 'manufacturer_part_number';

export type SupplierFields = Partial<Record<SupplierField, string>>;
