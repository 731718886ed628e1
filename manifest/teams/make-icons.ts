/**
 * Draws the two Teams app icons (two opposed arrows: assets moving between accounts) and writes them as
 * PNG next to manifest.json. Kept as code, with node's zlib only, so the icons can be regenerated and
 * reviewed without an image editor or a new dependency.
 *
 *   node --import tsx manifest/teams/make-icons.ts
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

type Point = readonly [number, number];
type Rgba = readonly [number, number, number, number];

// Both arrows in a unit box: the upper one points right (out of the source), the lower one left.
const UPPER_ARROW: readonly Point[] = [
  [0.1, 0.25], [0.58, 0.25], [0.58, 0.15], [0.9, 0.32], [0.58, 0.49], [0.58, 0.39], [0.1, 0.39],
];
const LOWER_ARROW: readonly Point[] = UPPER_ARROW.map(([x, y]) => [1 - x, y + 0.36] as const);
const SYMBOL = [UPPER_ARROW, LOWER_ARROW];

const ACCENT: Rgba = [0x0f, 0x6c, 0xbd, 0xff]; // the manifest's accentColor
const WHITE: Rgba = [0xff, 0xff, 0xff, 0xff];
const SAMPLES = 4; // per axis: 16 samples a pixel smooth the slanted edges of the arrow heads

function inside(polygon: readonly Point[], x: number, y: number): boolean {
  let hit = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i] as Point;
    const [xj, yj] = polygon[j] as Point;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) hit = !hit;
  }
  return hit;
}

/** Fraction of a pixel covered by the symbol drawn in the square [offset, offset + span). */
function coverage(px: number, py: number, offset: number, span: number): number {
  let covered = 0;
  for (let sy = 0; sy < SAMPLES; sy++) {
    for (let sx = 0; sx < SAMPLES; sx++) {
      const u = (px + (sx + 0.5) / SAMPLES - offset) / span;
      const v = (py + (sy + 0.5) / SAMPLES - offset) / span;
      if (SYMBOL.some((polygon) => inside(polygon, u, v))) covered++;
    }
  }
  return covered / (SAMPLES * SAMPLES);
}

/** RGBA pixels: the symbol in `fg` over `bg` (a transparent bg gives an alpha-only edge). */
function draw(size: number, offset: number, span: number, fg: Rgba, bg: Rgba): Uint8Array {
  const pixels = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const a = coverage(x, y, offset, span);
      const at = (y * size + x) * 4;
      if (bg[3] === 0) {
        // Keep the colour pure and put the anti-aliasing in alpha: Teams wants white on transparent.
        pixels.set([fg[0], fg[1], fg[2], a === 0 ? 0 : Math.round(a * 255)], at);
      } else {
        pixels.set([0, 1, 2].map((c) => Math.round((fg[c] as number) * a + (bg[c] as number) * (1 - a))), at);
        pixels[at + 3] = 255;
      }
    }
  }
  return pixels;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** An 8-bit RGBA PNG, every row with filter 0. */
export function encodePng(size: number, pixels: Uint8Array): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // bit depth 8, colour type 6 (RGBA), deflate, no filter set, no interlace
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rows.set(pixels.subarray(y * size * 4, (y + 1) * size * 4), y * (size * 4 + 1) + 1);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

export function colorIcon(): Buffer {
  // Teams crops and rounds the 192 px tile itself; the symbol stays in the central 96 px safe area.
  return encodePng(192, draw(192, 48, 96, WHITE, ACCENT));
}

export function outlineIcon(): Buffer {
  return encodePng(32, draw(32, 2, 28, WHITE, [0, 0, 0, 0]));
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(new URL('./color.png', import.meta.url), colorIcon());
  writeFileSync(new URL('./outline.png', import.meta.url), outlineIcon());
  console.log('wrote manifest/teams/color.png (192×192) and manifest/teams/outline.png (32×32)');
}
