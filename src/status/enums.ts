/**
 * InvenTree's status codes (core-api.md §5) as of API 435. Keys are stable integers; `name`
 * is the constant, `label` the text shown to people, `color` a Bootstrap colour name.
 */
export interface StatusValue {
  key: number;
  name: string;
  label: string;
  color: string;
}

export interface StatusClass {
  className: string;
  values: readonly StatusValue[];
}

const v = (key: number, name: string, label: string, color: string): StatusValue => ({ key, name, label, color });

export const StockStatus: StatusClass = {
  className: 'StockStatus',
  values: [
    v(10, 'OK', 'OK', 'success'),
    v(50, 'ATTENTION', 'Attention needed', 'warning'),
    v(55, 'DAMAGED', 'Damaged', 'warning'),
    v(60, 'DESTROYED', 'Destroyed', 'danger'),
    v(65, 'REJECTED', 'Rejected', 'danger'),
    v(70, 'LOST', 'Lost', 'dark'),
    v(75, 'QUARANTINED', 'Quarantined', 'info'),
    v(85, 'RETURNED', 'Returned', 'warning'),
  ],
};

/** Stock statuses that count as available ("in stock"). */
export const STOCK_AVAILABLE_CODES: readonly number[] = [10, 50, 55, 85];

export const StockHistoryCode: StatusClass = {
  className: 'StockHistoryCode',
  values: [
    v(0, 'LEGACY', 'Legacy stock tracking entry', 'secondary'),
    v(1, 'CREATED', 'Stock item created', 'secondary'),
    v(5, 'EDITED', 'Edited stock item', 'secondary'),
    v(6, 'ASSIGNED_SERIAL', 'Assigned serial number', 'secondary'),
    v(10, 'STOCK_COUNT', 'Stock counted', 'secondary'),
    v(11, 'STOCK_ADD', 'Stock manually added', 'secondary'),
    v(12, 'STOCK_REMOVE', 'Stock manually removed', 'secondary'),
    v(15, 'RETURNED_TO_STOCK', 'Returned to stock', 'secondary'),
    v(20, 'STOCK_MOVE', 'Location changed', 'secondary'),
    v(25, 'STOCK_UPDATE', 'Stock updated', 'secondary'),
    v(30, 'INSTALLED_INTO_ASSEMBLY', 'Installed into assembly', 'secondary'),
    v(31, 'REMOVED_FROM_ASSEMBLY', 'Removed from assembly', 'secondary'),
    v(35, 'INSTALLED_CHILD_ITEM', 'Installed component item', 'secondary'),
    v(36, 'REMOVED_CHILD_ITEM', 'Removed component item', 'secondary'),
    v(40, 'SPLIT_FROM_PARENT', 'Split from parent item', 'secondary'),
    v(42, 'SPLIT_CHILD_ITEM', 'Split child item', 'secondary'),
    v(45, 'MERGED_STOCK_ITEMS', 'Merged stock items', 'secondary'),
    v(48, 'CONVERTED_TO_VARIANT', 'Converted to variant', 'secondary'),
    v(50, 'BUILD_OUTPUT_CREATED', 'Build order output created', 'secondary'),
    v(55, 'BUILD_OUTPUT_COMPLETED', 'Build order output completed', 'secondary'),
    v(56, 'BUILD_OUTPUT_REJECTED', 'Build order output rejected', 'secondary'),
    v(57, 'BUILD_CONSUMED', 'Consumed by build order', 'secondary'),
    v(60, 'SHIPPED_AGAINST_SALES_ORDER', 'Shipped against Sales Order', 'secondary'),
    v(70, 'RECEIVED_AGAINST_PURCHASE_ORDER', 'Received against Purchase Order', 'secondary'),
    v(80, 'RETURNED_AGAINST_RETURN_ORDER', 'Returned against Return Order', 'secondary'),
    v(100, 'SENT_TO_CUSTOMER', 'Sent to customer', 'secondary'),
    v(105, 'RETURNED_FROM_CUSTOMER', 'Returned from customer', 'secondary'),
  ],
};

export const PurchaseOrderStatus: StatusClass = {
  className: 'PurchaseOrderStatus',
  values: [
    v(10, 'PENDING', 'Pending', 'secondary'),
    v(20, 'PLACED', 'Placed', 'primary'),
    v(25, 'ON_HOLD', 'On Hold', 'warning'),
    v(30, 'COMPLETE', 'Complete', 'success'),
    v(40, 'CANCELLED', 'Cancelled', 'danger'),
    v(50, 'LOST', 'Lost', 'warning'),
    v(60, 'RETURNED', 'Returned', 'warning'),
  ],
};

export const SalesOrderStatus: StatusClass = {
  className: 'SalesOrderStatus',
  values: [
    v(10, 'PENDING', 'Pending', 'secondary'),
    v(15, 'IN_PROGRESS', 'In Progress', 'primary'),
    v(20, 'SHIPPED', 'Shipped', 'success'),
    v(25, 'ON_HOLD', 'On Hold', 'warning'),
    v(30, 'COMPLETE', 'Complete', 'success'),
    v(40, 'CANCELLED', 'Cancelled', 'danger'),
    v(50, 'LOST', 'Lost', 'warning'),
    v(60, 'RETURNED', 'Returned', 'warning'),
  ],
};

export const ReturnOrderStatus: StatusClass = {
  className: 'ReturnOrderStatus',
  values: [
    v(10, 'PENDING', 'Pending', 'secondary'),
    v(20, 'IN_PROGRESS', 'In Progress', 'primary'),
    v(25, 'ON_HOLD', 'On Hold', 'warning'),
    v(30, 'COMPLETE', 'Complete', 'success'),
    v(40, 'CANCELLED', 'Cancelled', 'danger'),
  ],
};

export const ReturnOrderLineStatus: StatusClass = {
  className: 'ReturnOrderLineStatus',
  values: [
    v(10, 'PENDING', 'Pending', 'secondary'),
    v(20, 'RETURN', 'Return', 'success'),
    v(30, 'REPAIR', 'Repair', 'primary'),
    v(40, 'REPLACE', 'Replace', 'warning'),
    v(50, 'REFUND', 'Refund', 'info'),
    v(60, 'REJECT', 'Reject', 'danger'),
  ],
};

export const BuildStatus: StatusClass = {
  className: 'BuildStatus',
  values: [
    v(10, 'PENDING', 'Pending', 'secondary'),
    v(20, 'PRODUCTION', 'Production', 'primary'),
    v(25, 'ON_HOLD', 'On Hold', 'warning'),
    v(30, 'CANCELLED', 'Cancelled', 'danger'),
    v(40, 'COMPLETE', 'Complete', 'success'),
  ],
};

export const ALL_STATUS_CLASSES: readonly StatusClass[] = [
  BuildStatus,
  PurchaseOrderStatus,
  ReturnOrderLineStatus,
  ReturnOrderStatus,
  SalesOrderStatus,
  StockHistoryCode,
  StockStatus,
];

/** Status groups at API 435 (≤ v479: SHIPPED counts as complete for sales orders). */
export const PO_OPEN: readonly number[] = [10, 25, 20];
export const PO_COMPLETE: readonly number[] = [30];
export const SO_OPEN: readonly number[] = [10, 25, 15];
export const SO_COMPLETE: readonly number[] = [20, 30];
export const RO_OPEN: readonly number[] = [10, 25, 20];
export const RO_COMPLETE: readonly number[] = [30];
export const BUILD_ACTIVE: readonly number[] = [10, 25, 20];
export const BUILD_COMPLETE: readonly number[] = [40];

/** The label of a status key, or "" when the key is unknown. */
export function statusLabel(cls: StatusClass, key: number): string {
  return cls.values.find((s) => s.key === key)?.label ?? '';
}

/** The API body of a status class: `{status_class, values: {NAME: {key, name, label, color}}}`. */
export function statusBody(cls: StatusClass): { status_class: string; values: Record<string, StatusValue> } {
  return { status_class: cls.className, values: Object.fromEntries(cls.values.map((s) => [s.name, s])) };
}
