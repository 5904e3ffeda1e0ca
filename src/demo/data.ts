/**
 * The demo dataset: a small electronics workshop, as plain typed constants. The loader
 * (loader.ts) creates these objects through the domain services, in this order: locations,
 * categories, companies, parts, manufacturer parts, supplier parts, stock, purchase orders,
 * sales orders, the build order, linked barcodes.
 *
 * Objects refer to each other by key: locations and categories by `key`, parts by IPN,
 * companies by `key`, manufacturer parts by MPN, supplier parts by SKU. The supplier parts,
 * manufacturer parts and purchase-order supplier references of the four sample labels of
 * supplier-barcodes.md §3 are exact, so those labels scan and receive once the supplier plugins
 * are active (see SAMPLE_LABELS in labels.ts).
 */

export interface DemoLocation {
  key: string;
  name: string;
  description: string;
  parent?: string;
  structural?: boolean;
}

export interface DemoCategory {
  key: string;
  name: string;
  description: string;
  parent?: string;
  structural?: boolean;
  /** Location key: where parts of this category are stored by default. */
  defaultLocation?: string;
}

export type CompanyRole = 'supplier' | 'manufacturer' | 'customer';

export interface DemoCompany {
  key: string;
  /** Suppliers are named exactly as the supplier plugins' default names (DigiKey, Mouser, LCSC, TME). */
  name: string;
  description: string;
  website: string;
  currency: string;
  roles: readonly CompanyRole[];
}

export interface DemoPart {
  ipn: string;
  name: string;
  description: string;
  category: string;
  keywords?: string;
  /** Template parts have variants; variants name their template's IPN. */
  template?: boolean;
  variantOf?: string;
  trackable?: boolean;
  salable?: boolean;
  assembly?: boolean;
  /** Default true. */
  purchaseable?: boolean;
  /** Default true. */
  component?: boolean;
  minimumStock?: number;
  defaultLocation?: string;
}

export interface DemoManufacturerPart {
  part: string;
  /** Company key; null when the manufacturer is not known. */
  manufacturer: string | null;
  mpn: string;
  description?: string;
}

export interface DemoSupplierPart {
  part: string;
  supplier: string;
  sku: string;
  /** The MPN of the linked manufacturer part. */
  mpn?: string;
  packaging?: string;
  packQuantity?: string;
  description?: string;
  link?: string;
  primary?: boolean;
}

export interface DemoStockItem {
  part: string;
  location: string;
  /** Batched stock: one item of this quantity. Ignored with `serials`. */
  quantity?: number;
  /** Serialized stock: one item of quantity 1 per serial number. */
  serials?: readonly string[];
  batch?: string;
  /** SKU of the supplier part the stock came from. */
  supplierPart?: string;
  notes?: string;
}

export interface DemoPurchaseOrderLine {
  sku: string;
  quantity: number;
  /** Location key; the order's destination applies when omitted. */
  destination?: string;
  price?: number;
}

export interface DemoPurchaseOrder {
  /** Supplier company key. */
  supplier: string;
  /** The supplier's own order number, which its labels carry (`1K`, LCSC `on`, TME `PO`). */
  supplierReference: string;
  description: string;
  destination: string;
  currency: string;
  lines: readonly DemoPurchaseOrderLine[];
}

export interface DemoSalesOrderLine {
  part: string;
  quantity: number;
  price: number;
  /** Serial numbers of stock items allocated to this line in the order's shipment. */
  allocateSerials?: readonly string[];
}

export interface DemoSalesOrder {
  customer: string;
  customerReference: string;
  description: string;
  /** Issued orders are IN_PROGRESS; the others stay PENDING. */
  issued: boolean;
  /** Days from today. */
  targetInDays: number;
  lines: readonly DemoSalesOrderLine[];
  /** Reference of the order's shipment (the order's default shipment when that setting made one). */
  shipment: string;
}

export interface DemoBuild {
  part: string;
  quantity: number;
  title: string;
  destination: string;
  takeFrom: string;
  /** Days from today. */
  targetInDays: number;
}

export type DemoLinkTarget = { kind: 'location'; key: string } | { kind: 'stockitem'; part: string; serial: string } | { kind: 'part'; ipn: string };

export interface DemoBarcodeLink {
  /** The label text (a custom barcode, linked as the object's primary barcode). */
  barcode: string;
  target: DemoLinkTarget;
  note: string;
}

// --- locations -------------------------------------------------------------------------------

export const LOCATIONS: readonly DemoLocation[] = [
  { key: 'warehouse', name: 'Warehouse', description: 'Main parts store', structural: true },
  { key: 'shelf-a', name: 'Shelf A', description: 'Small parts: passives and semiconductors', parent: 'warehouse', structural: true },
  { key: 'bin-a1', name: 'Bin A1', description: 'Resistors', parent: 'shelf-a' },
  { key: 'bin-a2', name: 'Bin A2', description: 'Capacitors', parent: 'shelf-a' },
  { key: 'bin-a3', name: 'Bin A3', description: 'Integrated circuits', parent: 'shelf-a' },
  { key: 'bin-a4', name: 'Bin A4', description: 'Transistors and diodes', parent: 'shelf-a' },
  { key: 'shelf-b', name: 'Shelf B', description: 'Connectors, LEDs and hardware', parent: 'warehouse', structural: true },
  { key: 'bin-b1', name: 'Bin B1', description: 'Connectors', parent: 'shelf-b' },
  { key: 'bin-b2', name: 'Bin B2', description: 'LEDs', parent: 'shelf-b' },
  { key: 'bin-b3', name: 'Bin B3', description: 'Screws, nuts and standoffs', parent: 'shelf-b' },
  { key: 'bin-b4', name: 'Bin B4', description: 'Miscellaneous parts', parent: 'shelf-b' },
  { key: 'shelf-c', name: 'Shelf C', description: 'Enclosures, cables, boards and consumables', parent: 'warehouse' },
  { key: 'goods-in', name: 'Goods In', description: 'Deliveries waiting to be put away', parent: 'warehouse' },
  { key: 'workshop', name: 'Workshop', description: 'Assembly and test area', structural: true },
  { key: 'bench', name: 'Assembly Bench', description: 'Work in progress and finished assemblies', parent: 'workshop' },
  { key: 'tools', name: 'Tool Cabinet', description: 'Tools and instruments', parent: 'workshop' },
  { key: 'dispatch', name: 'Dispatch', description: 'Packed orders waiting for pick-up' },
];

// --- part categories -------------------------------------------------------------------------

export const CATEGORIES: readonly DemoCategory[] = [
  { key: 'electronics', name: 'Electronics', description: 'Electronic components', structural: true },
  { key: 'passives', name: 'Passives', description: 'Passive components', parent: 'electronics', structural: true },
  { key: 'resistors', name: 'Resistors', description: 'Chip resistors', parent: 'passives', defaultLocation: 'bin-a1' },
  { key: 'capacitors', name: 'Capacitors', description: 'Ceramic and electrolytic capacitors', parent: 'passives', defaultLocation: 'bin-a2' },
  { key: 'semiconductors', name: 'Semiconductors', description: 'Active components', parent: 'electronics', structural: true },
  { key: 'ics', name: 'ICs', description: 'Integrated circuits', parent: 'semiconductors', defaultLocation: 'bin-a3' },
  { key: 'transistors', name: 'Transistors', description: 'Bipolar transistors and MOSFETs', parent: 'semiconductors', defaultLocation: 'bin-a4' },
  { key: 'diodes', name: 'Diodes', description: 'Signal, Schottky and light-emitting diodes', parent: 'semiconductors', defaultLocation: 'bin-a4' },
  { key: 'connectors', name: 'Connectors', description: 'Headers, sockets and terminal blocks', parent: 'electronics', defaultLocation: 'bin-b1' },
  { key: 'misc', name: 'Miscellaneous', description: 'Parts bought from distributor sample labels', parent: 'electronics', defaultLocation: 'bin-b4' },
  { key: 'boards', name: 'Boards', description: 'Bare PCBs and development boards', parent: 'electronics', defaultLocation: 'shelf-c' },
  { key: 'mechanical', name: 'Mechanical', description: 'Mechanical parts', structural: true },
  { key: 'fasteners', name: 'Fasteners', description: 'Screws, nuts and standoffs', parent: 'mechanical', defaultLocation: 'bin-b3' },
  { key: 'enclosures', name: 'Enclosures', description: 'Cases and knobs', parent: 'mechanical', defaultLocation: 'shelf-c' },
  { key: 'cables', name: 'Cables', description: 'Ready-made cables', defaultLocation: 'shelf-c' },
  { key: 'consumables', name: 'Consumables', description: 'Solder, flux and other workshop supplies', defaultLocation: 'shelf-c' },
  { key: 'tools', name: 'Tools', description: 'Workshop tools and instruments', defaultLocation: 'tools' },
  { key: 'assemblies', name: 'Assemblies', description: 'Products built in the workshop', defaultLocation: 'bench' },
];

// --- companies -------------------------------------------------------------------------------

export const COMPANIES: readonly DemoCompany[] = [
  { key: 'digikey', name: 'DigiKey', description: 'Electronic components distributor', website: 'https://www.digikey.com', currency: 'USD', roles: ['supplier'] },
  { key: 'mouser', name: 'Mouser', description: 'Electronic components distributor', website: 'https://www.mouser.com', currency: 'USD', roles: ['supplier'] },
  { key: 'lcsc', name: 'LCSC', description: 'Electronic components distributor', website: 'https://www.lcsc.com', currency: 'USD', roles: ['supplier'] },
  { key: 'tme', name: 'TME', description: 'Electronic components distributor', website: 'https://www.tme.eu', currency: 'EUR', roles: ['supplier'] },
  { key: 'ti', name: 'Texas Instruments', description: 'Semiconductor manufacturer', website: 'https://www.ti.com', currency: 'USD', roles: ['manufacturer'] },
  { key: 'st', name: 'STMicroelectronics', description: 'Semiconductor manufacturer', website: 'https://www.st.com', currency: 'EUR', roles: ['manufacturer'] },
  { key: 'jst', name: 'JST', description: 'Connector manufacturer', website: 'https://www.jst.com', currency: 'USD', roles: ['manufacturer'] },
  { key: 'microchip', name: 'Microchip Technology', description: 'Semiconductor manufacturer', website: 'https://www.microchip.com', currency: 'USD', roles: ['manufacturer'] },
  { key: 'yageo', name: 'Yageo', description: 'Passive component manufacturer', website: 'https://www.yageo.com', currency: 'USD', roles: ['manufacturer'] },
  { key: 'wisher', name: 'Wisher Enterprise', description: 'Connector manufacturer', website: '', currency: 'USD', roles: ['manufacturer'] },
  { key: 'northwind', name: 'Northwind Robotics', description: 'Customer: buys sensor nodes and development kits', website: 'https://northwind.example', currency: 'USD', roles: ['customer'] },
];

// --- parts (50) ------------------------------------------------------------------------------

const resistor = (value: string, ohms: string): DemoPart => ({
  ipn: `RES-0603-${value}`,
  name: `Resistor ${ohms} 0603`,
  description: `Chip resistor ${ohms}, 1%, 0.1 W, 0603`,
  category: 'resistors',
  keywords: 'resistor smd 0603',
});

const capacitor = (ipn: string, name: string, description: string): DemoPart => ({ ipn, name, description, category: 'capacitors', keywords: 'capacitor' });

export const PARTS: readonly DemoPart[] = [
  resistor('100R', '100R'),
  resistor('1K', '1k'),
  resistor('4K7', '4k7'),
  resistor('10K', '10k'),
  resistor('47K', '47k'),
  resistor('100K', '100k'),
  capacitor('CAP-0603-22P', 'Capacitor 22pF 0603', 'Ceramic capacitor 22 pF, 50 V, C0G, 0603'),
  capacitor('CAP-0603-100N', 'Capacitor 100nF 0603', 'Ceramic capacitor 100 nF, 50 V, X7R, 0603'),
  capacitor('CAP-0603-1U', 'Capacitor 1uF 0603', 'Ceramic capacitor 1 µF, 25 V, X5R, 0603'),
  capacitor('CAP-0805-10U', 'Capacitor 10uF 0805', 'Ceramic capacitor 10 µF, 16 V, X5R, 0805'),
  capacitor('CAP-ELEC-100U', 'Capacitor 100uF electrolytic', 'Aluminium electrolytic capacitor 100 µF, 25 V, 6.3 mm'),
  { ipn: 'IC-LM358', name: 'LM358B', description: 'Dual operational amplifier, SOT-23-8', category: 'ics', keywords: 'opamp amplifier', minimumStock: 10 },
  { ipn: 'IC-MC34063', name: 'MC34063A', description: 'DC/DC switching regulator controller, SOIC-8', category: 'ics', keywords: 'regulator buck boost' },
  { ipn: 'IC-LDK320-33', name: 'LDK320 3.3V', description: 'Low-dropout regulator 3.3 V, 200 mA, DFN-6', category: 'ics', keywords: 'ldo regulator' },
  { ipn: 'IC-ATMEGA328P', name: 'ATmega328P', description: '8-bit AVR microcontroller, 32 KB flash, TQFP-32', category: 'ics', keywords: 'mcu avr', minimumStock: 5 },
  { ipn: 'IC-NE555', name: 'NE555', description: 'Precision timer, SOIC-8', category: 'ics', keywords: 'timer' },
  { ipn: 'IC-74HC595', name: '74HC595', description: '8-bit shift register with output latches, SOIC-16', category: 'ics', keywords: 'logic shift register' },
  { ipn: 'TR-2N7002', name: '2N7002', description: 'N-channel MOSFET 60 V, 300 mA, SOT-23', category: 'transistors', keywords: 'mosfet' },
  { ipn: 'TR-BC847', name: 'BC847B', description: 'NPN transistor 45 V, 100 mA, SOT-23', category: 'transistors', keywords: 'bjt npn' },
  { ipn: 'TR-AO3401', name: 'AO3401', description: 'P-channel MOSFET -30 V, -4 A, SOT-23', category: 'transistors', keywords: 'mosfet' },
  { ipn: 'D-1N4148W', name: '1N4148W', description: 'Small-signal switching diode, SOD-123', category: 'diodes', keywords: 'diode' },
  { ipn: 'D-SS14', name: 'SS14', description: 'Schottky rectifier 40 V, 1 A, SMA', category: 'diodes', keywords: 'diode schottky' },
  { ipn: 'LED-3MM', name: 'LED 3mm', description: 'Through-hole LED, 3 mm (template: pick a colour)', category: 'diodes', keywords: 'led', template: true, defaultLocation: 'bin-b2' },
  { ipn: 'LED-3MM-RED', name: 'LED 3mm red', description: 'Through-hole LED, 3 mm, red', category: 'diodes', variantOf: 'LED-3MM', defaultLocation: 'bin-b2' },
  { ipn: 'LED-3MM-GRN', name: 'LED 3mm green', description: 'Through-hole LED, 3 mm, green', category: 'diodes', variantOf: 'LED-3MM', defaultLocation: 'bin-b2' },
  { ipn: 'LED-3MM-YEL', name: 'LED 3mm yellow', description: 'Through-hole LED, 3 mm, yellow', category: 'diodes', variantOf: 'LED-3MM', defaultLocation: 'bin-b2' },
  { ipn: 'LED-3MM-BLU', name: 'LED 3mm blue', description: 'Through-hole LED, 3 mm, blue', category: 'diodes', variantOf: 'LED-3MM', defaultLocation: 'bin-b2' },
  { ipn: 'CON-JST-PH3', name: 'JST PH 3-pin header', description: 'Wire-to-board header, 2.0 mm pitch, 3 pins, side entry', category: 'connectors', keywords: 'jst ph header' },
  { ipn: 'CON-HDR-1X40', name: 'Pin header 1x40', description: 'Breakable pin header, 2.54 mm pitch, 40 pins', category: 'connectors', keywords: 'header' },
  { ipn: 'CON-USBC', name: 'USB-C receptacle', description: 'USB Type-C receptacle, 16 pins, SMD', category: 'connectors', keywords: 'usb' },
  { ipn: 'CON-TB-2P', name: 'Terminal block 2-pin', description: 'PCB screw terminal block, 5.08 mm pitch, 2 poles', category: 'connectors', keywords: 'terminal' },
  { ipn: 'MISC-C312270', name: 'ST-1-102-A01-T000-RS', description: 'The part on the LCSC sample label (LCSC C312270)', category: 'misc' },
  { ipn: 'MISC-WBP-302', name: 'WBP-302', description: 'The part on the TME sample label (Wisher Enterprise)', category: 'misc' },
  { ipn: 'PCB-SENSOR-R2', name: 'Sensor node PCB rev 2', description: 'Bare printed circuit board of the sensor node', category: 'boards' },
  { ipn: 'DEV-ESP32', name: 'ESP32 development board', description: 'ESP32-WROOM development board with USB', category: 'boards', keywords: 'esp32 wifi', trackable: true, salable: true },
  { ipn: 'MECH-M3', name: 'Screw M3 pan head', description: 'Pan head machine screw M3, A2 stainless (template: pick a length)', category: 'fasteners', template: true },
  { ipn: 'MECH-M3-6', name: 'Screw M3x6 pan head', description: 'Pan head machine screw M3 x 6 mm, A2 stainless', category: 'fasteners', variantOf: 'MECH-M3' },
  { ipn: 'MECH-M3-10', name: 'Screw M3x10 pan head', description: 'Pan head machine screw M3 x 10 mm, A2 stainless', category: 'fasteners', variantOf: 'MECH-M3' },
  { ipn: 'MECH-M3-16', name: 'Screw M3x16 pan head', description: 'Pan head machine screw M3 x 16 mm, A2 stainless', category: 'fasteners', variantOf: 'MECH-M3' },
  { ipn: 'MECH-NUT-M3', name: 'Hex nut M3', description: 'Hexagon nut M3, A2 stainless', category: 'fasteners' },
  { ipn: 'MECH-STANDOFF-M3', name: 'Standoff M3x10', description: 'Brass standoff M3 x 10 mm, female-female', category: 'fasteners' },
  { ipn: 'MECH-ENC-100', name: 'Enclosure 100x60x25', description: 'ABS enclosure 100 x 60 x 25 mm, grey', category: 'enclosures' },
  { ipn: 'MECH-KNOB-6', name: 'Knob 6mm', description: 'Knob for 6 mm knurled shaft, black', category: 'enclosures' },
  { ipn: 'CBL-USBC-1M', name: 'USB-C cable 1m', description: 'USB-C to USB-A cable, 1 m', category: 'cables', salable: true },
  { ipn: 'CONS-SOLDER', name: 'Solder wire 0.8mm', description: 'Lead-free solder wire Sn99.3Cu0.7, 0.8 mm, 250 g reel', category: 'consumables', component: false },
  { ipn: 'CONS-FLUX', name: 'Flux pen', description: 'No-clean flux pen, 10 ml', category: 'consumables', component: false },
  { ipn: 'TOOL-DMM', name: 'Digital multimeter', description: 'Handheld true-RMS multimeter', category: 'tools', trackable: true, component: false },
  { ipn: 'TOOL-IRON', name: 'Soldering station', description: 'Temperature-controlled soldering station, 80 W', category: 'tools', trackable: true, component: false },
  {
    ipn: 'ASM-SENSOR',
    name: 'Sensor node',
    description: 'Battery-powered environmental sensor node in an enclosure',
    category: 'assemblies',
    keywords: 'product sensor',
    assembly: true,
    trackable: true,
    salable: true,
    purchaseable: false,
    component: false,
  },
  { ipn: 'KIT-LED', name: 'LED starter kit', description: 'Bag of 3 mm LEDs in four colours with resistors', category: 'assemblies', salable: true, purchaseable: false, component: false },
];

// --- manufacturer and supplier parts ---------------------------------------------------------

export const MANUFACTURER_PARTS: readonly DemoManufacturerPart[] = [
  // The MPNs of the sample labels (supplier-barcodes.md §3).
  { part: 'IC-LM358', manufacturer: 'ti', mpn: 'LM358BIDDFR', description: 'LM358B, SOT-23-8, tape and reel' },
  { part: 'CON-JST-PH3', manufacturer: 'jst', mpn: 'S3B-PH-K-S', description: 'PH connector header, side entry, 3 circuits' },
  { part: 'IC-MC34063', manufacturer: 'ti', mpn: 'MC34063ADR', description: 'MC34063A, SOIC-8, tape and reel' },
  { part: 'IC-LDK320-33', manufacturer: 'st', mpn: 'LDK320ADU33R', description: 'LDK320 3.3 V, DFN-6, tape and reel' },
  { part: 'MISC-C312270', manufacturer: null, mpn: 'ST-1-102-A01-T000-RS' },
  { part: 'MISC-WBP-302', manufacturer: 'wisher', mpn: 'WBP-302' },
  // Further parts.
  { part: 'IC-ATMEGA328P', manufacturer: 'microchip', mpn: 'ATMEGA328P-AU' },
  { part: 'IC-NE555', manufacturer: 'ti', mpn: 'NE555DR' },
  { part: 'RES-0603-10K', manufacturer: 'yageo', mpn: 'RC0603FR-0710KL' },
  { part: 'RES-0603-1K', manufacturer: 'yageo', mpn: 'RC0603FR-071KL' },
  { part: 'RES-0603-4K7', manufacturer: 'yageo', mpn: 'RC0603FR-074K7L' },
];

export const SUPPLIER_PARTS: readonly DemoSupplierPart[] = [
  // DigiKey: the two DigiKey sample labels.
  { part: 'IC-LM358', supplier: 'digikey', sku: '296-LM358BIDDFRCT-ND', mpn: 'LM358BIDDFR', packaging: 'Cut Tape', primary: true },
  { part: 'CON-JST-PH3', supplier: 'digikey', sku: '455-1720-ND', mpn: 'S3B-PH-K-S', packaging: 'Bulk', primary: true },
  { part: 'IC-ATMEGA328P', supplier: 'digikey', sku: 'ATMEGA328P-AUR-DEMO', mpn: 'ATMEGA328P-AU', packaging: 'Cut Tape', primary: true },
  { part: 'IC-NE555', supplier: 'digikey', sku: '296-NE555DR-DEMO', mpn: 'NE555DR', packaging: 'Cut Tape' },
  // Mouser: its labels carry no SKU; they match by MPN within Mouser's supplier parts.
  { part: 'IC-MC34063', supplier: 'mouser', sku: '595-MC34063ADR', mpn: 'MC34063ADR', packaging: 'Cut Tape', primary: true },
  { part: 'IC-LDK320-33', supplier: 'mouser', sku: '511-LDK320ADU33R', mpn: 'LDK320ADU33R', packaging: 'Cut Tape', primary: true },
  { part: 'TR-2N7002', supplier: 'mouser', sku: '2N7002-MOUSER-DEMO', packaging: 'Cut Tape', primary: true },
  // LCSC: the LCSC sample label, plus reels of passives.
  { part: 'MISC-C312270', supplier: 'lcsc', sku: 'C312270', mpn: 'ST-1-102-A01-T000-RS', primary: true },
  { part: 'RES-0603-10K', supplier: 'lcsc', sku: 'C-DEMO-10K', mpn: 'RC0603FR-0710KL', packaging: 'Reel', packQuantity: '100', primary: true },
  { part: 'RES-0603-1K', supplier: 'lcsc', sku: 'C-DEMO-1K', mpn: 'RC0603FR-071KL', packaging: 'Reel', packQuantity: '100', primary: true },
  { part: 'RES-0603-4K7', supplier: 'lcsc', sku: 'C-DEMO-4K7', mpn: 'RC0603FR-074K7L', packaging: 'Reel', packQuantity: '100', primary: true },
  { part: 'CAP-0603-100N', supplier: 'lcsc', sku: 'C-DEMO-100N', packaging: 'Reel', packQuantity: '100', primary: true },
  // TME: the TME sample labels, plus hardware.
  { part: 'MISC-WBP-302', supplier: 'tme', sku: 'WBP-302', mpn: 'WBP-302', primary: true },
  { part: 'MECH-M3-10', supplier: 'tme', sku: 'TME-DEMO-M3X10', packaging: 'Bag', packQuantity: '100', primary: true },
  { part: 'MECH-NUT-M3', supplier: 'tme', sku: 'TME-DEMO-NUT-M3', packaging: 'Bag', packQuantity: '100', primary: true },
];

// --- stock -----------------------------------------------------------------------------------

export const STOCK: readonly DemoStockItem[] = [
  { part: 'RES-0603-100R', location: 'bin-a1', quantity: 480, batch: 'R2403' },
  { part: 'RES-0603-1K', location: 'bin-a1', quantity: 1200, batch: 'R2403', supplierPart: 'C-DEMO-1K' },
  { part: 'RES-0603-4K7', location: 'bin-a1', quantity: 850, batch: 'R2311', supplierPart: 'C-DEMO-4K7' },
  { part: 'RES-0603-10K', location: 'bin-a1', quantity: 2000, batch: 'R2403', supplierPart: 'C-DEMO-10K' },
  { part: 'RES-0603-10K', location: 'bin-a1', quantity: 350, batch: 'R2309', supplierPart: 'C-DEMO-10K' },
  { part: 'RES-0603-47K', location: 'bin-a1', quantity: 300, batch: 'R2311' },
  { part: 'RES-0603-100K', location: 'bin-a1', quantity: 640, batch: 'R2403' },
  { part: 'CAP-0603-22P', location: 'bin-a2', quantity: 400, batch: 'C2402' },
  { part: 'CAP-0603-100N', location: 'bin-a2', quantity: 3000, batch: 'C2402', supplierPart: 'C-DEMO-100N' },
  { part: 'CAP-0603-1U', location: 'bin-a2', quantity: 500, batch: 'C2312' },
  { part: 'CAP-0805-10U', location: 'bin-a2', quantity: 250, batch: 'C2312' },
  { part: 'CAP-ELEC-100U', location: 'bin-a2', quantity: 60, batch: 'E2401' },
  { part: 'IC-LM358', location: 'bin-a3', quantity: 4, batch: 'TI-2347', supplierPart: '296-LM358BIDDFRCT-ND', notes: 'Running low: 10 more are on order from DigiKey' },
  { part: 'IC-ATMEGA328P', location: 'bin-a3', quantity: 12, batch: 'MC-2338', supplierPart: 'ATMEGA328P-AUR-DEMO' },
  { part: 'IC-NE555', location: 'bin-a3', quantity: 25, batch: 'TI-2321', supplierPart: '296-NE555DR-DEMO' },
  { part: 'IC-74HC595', location: 'bin-a3', quantity: 30 },
  { part: 'TR-2N7002', location: 'bin-a4', quantity: 150, batch: 'N2350', supplierPart: '2N7002-MOUSER-DEMO' },
  { part: 'TR-BC847', location: 'bin-a4', quantity: 200, batch: 'N2340' },
  { part: 'TR-AO3401', location: 'bin-a4', quantity: 80 },
  { part: 'D-1N4148W', location: 'bin-a4', quantity: 300 },
  { part: 'D-SS14', location: 'bin-a4', quantity: 120 },
  { part: 'LED-3MM-RED', location: 'bin-b2', quantity: 200 },
  { part: 'LED-3MM-GRN', location: 'bin-b2', quantity: 150 },
  { part: 'LED-3MM-YEL', location: 'bin-b2', quantity: 100 },
  { part: 'LED-3MM-BLU', location: 'bin-b2', quantity: 75 },
  { part: 'CON-JST-PH3', location: 'bin-b1', quantity: 40, supplierPart: '455-1720-ND' },
  { part: 'CON-HDR-1X40', location: 'bin-b1', quantity: 25 },
  { part: 'CON-USBC', location: 'bin-b1', quantity: 50 },
  { part: 'CON-TB-2P', location: 'bin-b1', quantity: 60 },
  { part: 'MECH-M3-6', location: 'bin-b3', quantity: 400 },
  { part: 'MECH-M3-10', location: 'bin-b3', quantity: 350, supplierPart: 'TME-DEMO-M3X10' },
  { part: 'MECH-M3-16', location: 'bin-b3', quantity: 200 },
  { part: 'MECH-NUT-M3', location: 'bin-b3', quantity: 600, supplierPart: 'TME-DEMO-NUT-M3' },
  { part: 'MECH-STANDOFF-M3', location: 'bin-b3', quantity: 120 },
  { part: 'MECH-ENC-100', location: 'shelf-c', quantity: 18 },
  { part: 'MECH-KNOB-6', location: 'shelf-c', quantity: 30 },
  { part: 'PCB-SENSOR-R2', location: 'shelf-c', quantity: 20, batch: 'PCB-2402' },
  { part: 'CBL-USBC-1M', location: 'shelf-c', quantity: 45 },
  { part: 'CONS-SOLDER', location: 'shelf-c', quantity: 3, batch: 'LOT-2311' },
  { part: 'CONS-FLUX', location: 'shelf-c', quantity: 6 },
  { part: 'DEV-ESP32', location: 'shelf-c', serials: ['3001', '3002', '3003', '3004', '3005', '3006'] },
  { part: 'TOOL-DMM', location: 'tools', serials: ['1'] },
  { part: 'TOOL-IRON', location: 'tools', serials: ['1', '2'] },
  { part: 'ASM-SENSOR', location: 'bench', serials: ['1001', '1002', '1003', '1004'] },
  { part: 'KIT-LED', location: 'dispatch', quantity: 10 },
];

// --- purchase orders (all PLACED) --------------------------------------------------------------

export const PURCHASE_ORDERS: readonly DemoPurchaseOrder[] = [
  {
    // DIGIKEY_BARCODE carries `K` empty and `1K72991337`: the order is found by its supplier reference.
    supplier: 'digikey',
    supplierReference: '72991337',
    description: 'Op-amps, connectors and microcontrollers',
    destination: 'goods-in',
    currency: 'USD',
    lines: [
      { sku: '296-LM358BIDDFRCT-ND', quantity: 10, destination: 'bin-a3', price: 0.42 },
      { sku: '455-1720-ND', quantity: 20, destination: 'bin-b1', price: 0.19 },
      { sku: 'ATMEGA328P-AUR-DEMO', quantity: 10, price: 2.65 },
    ],
  },
  {
    // MOUSER_BARCODE carries `KP0-1337`; Mouser copies K into the supplier order number and the
    // look-up falls back from K (the order reference) to the supplier reference (D14).
    supplier: 'mouser',
    supplierReference: 'P0-1337',
    description: 'Regulators for the sensor node',
    destination: 'goods-in',
    currency: 'USD',
    lines: [
      { sku: '595-MC34063ADR', quantity: 3, destination: 'bin-a3', price: 0.55 },
      { sku: '511-LDK320ADU33R', quantity: 32, destination: 'bin-a3', price: 0.31 },
    ],
  },
  {
    // LCSC_BARCODE carries `on:SO2009291337`, LCSC's order number.
    supplier: 'lcsc',
    supplierReference: 'SO2009291337',
    description: 'Passives restock',
    destination: 'goods-in',
    currency: 'USD',
    lines: [
      { sku: 'C312270', quantity: 2, price: 0.08 },
      { sku: 'C-DEMO-10K', quantity: 20, destination: 'bin-a1', price: 0.35 },
    ],
  },
  {
    // TME_QRCODE carries `PO:19361337/1` (TME's order 19361337) and our own `CPO`.
    supplier: 'tme',
    supplierReference: '19361337',
    description: 'Hardware and sample parts',
    destination: 'goods-in',
    currency: 'EUR',
    lines: [
      { sku: 'WBP-302', quantity: 1, price: 0.6 },
      { sku: 'TME-DEMO-M3X10', quantity: 2, destination: 'bin-b3', price: 3.2 },
    ],
  },
];

// --- sales orders and the build order ----------------------------------------------------------

export const SALES_ORDERS: readonly DemoSalesOrder[] = [
  {
    customer: 'northwind',
    customerReference: 'NW-4711',
    description: 'Sensor nodes for the greenhouse pilot',
    issued: true,
    targetInDays: 14,
    shipment: '1',
    lines: [
      { part: 'ASM-SENSOR', quantity: 2, price: 89, allocateSerials: ['1001'] },
      { part: 'CBL-USBC-1M', quantity: 2, price: 4.5 },
    ],
  },
  {
    customer: 'northwind',
    customerReference: 'NW-4730',
    description: 'Development kits for the firmware team',
    issued: false,
    targetInDays: 30,
    shipment: '1',
    lines: [
      { part: 'DEV-ESP32', quantity: 3, price: 12 },
      { part: 'KIT-LED', quantity: 5, price: 6 },
    ],
  },
];

export const BUILDS: readonly DemoBuild[] = [
  { part: 'ASM-SENSOR', quantity: 5, title: 'Sensor nodes for stock', destination: 'bench', takeFrom: 'warehouse', targetInDays: 21 },
];

// --- custom barcodes (labels already stuck on things) -------------------------------------------

export const BARCODE_LINKS: readonly DemoBarcodeLink[] = [
  { barcode: 'BIN-A1', target: { kind: 'location', key: 'bin-a1' }, note: 'Bin label' },
  { barcode: 'BIN-B2', target: { kind: 'location', key: 'bin-b2' }, note: 'Bin label' },
  { barcode: 'ASSET-0042', target: { kind: 'stockitem', part: 'TOOL-DMM', serial: '1' }, note: 'Asset tag' },
];

/** The supplier plugins the demo activates, with the supplier company each one acts for. */
export const SUPPLIER_PLUGINS: readonly { slug: string; company: string }[] = [
  { slug: 'digikeyplugin', company: 'digikey' },
  { slug: 'mouserplugin', company: 'mouser' },
  { slug: 'lcscplugin', company: 'lcsc' },
  { slug: 'tmeplugin', company: 'tme' },
];
