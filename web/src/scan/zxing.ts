/**
 * zxing-wasm's barcode reader, loaded on first use. Its WebAssembly module is served by
 * Stockscan itself at /web/zxing/<version>/zxing_reader.wasm (never from a CDN).
 */
import { prepareZXingModule, readBarcodes, ZXING_WASM_VERSION, type ReadResult, type ReaderOptions } from 'zxing-wasm/reader';

export const WASM_URL = `${import.meta.env.BASE_URL}zxing/${ZXING_WASM_VERSION}/zxing_reader.wasm`;

prepareZXingModule({
  overrides: {
    locateFile: (path: string, prefix: string) => (path.endsWith('.wasm') ? WASM_URL : prefix + path),
  },
  fireImmediately: false,
});

const OPTIONS: ReaderOptions = {
  tryHarder: true,
  tryRotate: true,
  tryInvert: false,
  maxNumberOfSymbols: 1,
  // Plain text keeps GS, RS and EOT as the characters they are (no ␝ pictures, no GS1 HRI).
  textMode: 'Plain',
};

export async function decode(image: ImageData): Promise<ReadResult | undefined> {
  const results = await readBarcodes(image, OPTIONS);
  return results.find((r) => r.isValid && r.text !== '');
}
