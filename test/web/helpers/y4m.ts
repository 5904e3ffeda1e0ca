/**
 * A video file for Chromium's fake camera (--use-file-for-fake-video-capture): YUV4MPEG2,
 * 4:2:0, a still picture of a barcode drawn from bwip-js's module matrix, repeated for a few
 * frames (Chromium plays the file in a loop).
 */
import { writeFileSync } from 'node:fs';
import bwipjs from 'bwip-js';

export interface VideoOptions {
  width?: number;
  height?: number;
  frames?: number;
  fps?: number;
  /** Pixels per barcode module. */
  module?: number;
}

/** The 0/1 module matrix of a 2D symbol (1 = dark). */
export function moduleMatrix(bcid: 'qrcode' | 'datamatrix', text: string): boolean[][] {
  const [symbol] = bwipjs.raw(bcid, text, {}) as Array<{ pixs: number[]; pixx: number; pixy: number }>;
  if (symbol === undefined || !('pixs' in symbol)) throw new Error(`no matrix for ${bcid}`);
  const rows: boolean[][] = [];
  for (let y = 0; y < symbol.pixy; y++) rows.push(Array.from({ length: symbol.pixx }, (_v, x) => symbol.pixs[y * symbol.pixx + x] === 1));
  return rows;
}

/** Writes a Y4M file showing the matrix centred on a white background. */
export function writeBarcodeVideo(file: string, matrix: boolean[][], options: VideoOptions = {}): void {
  const width = options.width ?? 640;
  const height = options.height ?? 480;
  const frames = options.frames ?? 10;
  const fps = options.fps ?? 10;
  const size = options.module ?? 8;
  const rows = matrix.length;
  const cols = matrix[0]?.length ?? 0;
  const left = Math.floor((width - cols * size) / 2);
  const top = Math.floor((height - rows * size) / 2);
  if (left < 4 * size || top < 4 * size) throw new Error('the barcode does not fit in the frame with its quiet zone');

  const luma = Buffer.alloc(width * height, 235);
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < cols; x++) {
      if (!matrix[y]![x]) continue;
      for (let dy = 0; dy < size; dy++) luma.fill(16, (top + y * size + dy) * width + left + x * size, (top + y * size + dy) * width + left + (x + 1) * size);
    }
  }
  const chroma = Buffer.alloc((width / 2) * (height / 2), 128);
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F${fps}:1 Ip A1:1 C420jpeg\n`, 'ascii');
  const frameHeader = Buffer.from('FRAME\n', 'ascii');
  const parts: Buffer[] = [header];
  for (let i = 0; i < frames; i++) parts.push(frameHeader, luma, chroma, chroma);
  writeFileSync(file, Buffer.concat(parts));
}
