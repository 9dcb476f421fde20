#!/usr/bin/env node
/**
 * Draws CertGate's app icon (build/icon.png, 1024×1024 RGBA) with no image tool: a certificate with a seal on
 * a blue rounded square, anti-aliased by 4×4 supersampling, written as a PNG with node:zlib.
 * electron-builder derives the .icns, .ico and Linux sizes from it. Run: `node build/make-icon.mjs`.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const SIZE = 1024;
const SAMPLES = 4;

const roundRect = (x0, y0, x1, y1, r) => (x, y) => {
  const dx = Math.max(x0 + r - x, 0, x - (x1 - r));
  const dy = Math.max(y0 + r - y, 0, y - (y1 - r));
  return x >= x0 && x <= x1 && y >= y0 && y <= y1 && dx * dx + dy * dy <= r * r;
};
const circle = (cx, cy, r) => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
const ring = (cx, cy, r0, r1) => (x, y) => {
  const d = (x - cx) ** 2 + (y - cy) ** 2;
  return d >= r0 * r0 && d <= r1 * r1;
};
const polygon = (points) => (x, y) => {
  let inside = false;
  for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
    const [xi, yi] = points[i];
    const [xj, yj] = points[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
};

// Painter's order: later shapes cover earlier ones. Colours are [r, g, b] or a function of y.
const background = (y) => {
  const t = y / SIZE;
  return [Math.round(0x25 + (0x0e - 0x25) * t), Math.round(0x63 + (0x2f - 0x63) * t), Math.round(0xa8 + (0x5a - 0xa8) * t)];
};
const layers = [
  [roundRect(64, 64, 960, 960, 200), background],
  [roundRect(200, 250, 824, 700, 44), [0xff, 0xff, 0xff]],
  [roundRect(270, 330, 620, 362, 16), [0x9f, 0xb3, 0xc8]],
  [roundRect(270, 410, 700, 436, 13), [0xc9, 0xd5, 0xe1]],
  [roundRect(270, 474, 560, 500, 13), [0xc9, 0xd5, 0xe1]],
  [roundRect(270, 538, 500, 564, 13), [0xc9, 0xd5, 0xe1]],
  [polygon([[640, 700], [700, 700], [690, 860], [650, 820], [600, 850]]), [0xd9, 0x8e, 0x04]],
  [polygon([[720, 700], [780, 700], [820, 850], [770, 820], [730, 860]]), [0xd9, 0x8e, 0x04]],
  [circle(710, 660, 118), [0xf5, 0xb3, 0x2a]],
  [ring(710, 660, 82, 96), [0xff, 0xe2, 0x9a]],
];

const pixels = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let py = 0; py < SIZE; py++) {
  const row = py * (SIZE * 4 + 1);
  pixels[row] = 0; // PNG filter: none
  for (let px = 0; px < SIZE; px++) {
    let r = 0;
    let g = 0;
    let b = 0;
    let a = 0;
    for (let sy = 0; sy < SAMPLES; sy++) {
      for (let sx = 0; sx < SAMPLES; sx++) {
        const x = px + (sx + 0.5) / SAMPLES;
        const y = py + (sy + 0.5) / SAMPLES;
        let colour = null;
        for (const [inside, fill] of layers) {
          if (inside(x, y)) colour = typeof fill === 'function' ? fill(y) : fill;
        }
        if (colour) {
          r += colour[0];
          g += colour[1];
          b += colour[2];
          a += 1;
        }
      }
    }
    const o = row + 1 + px * 4;
    // Straight (not premultiplied) alpha: average the colour over the covered samples only.
    pixels[o] = a ? Math.round(r / a) : 0;
    pixels[o + 1] = a ? Math.round(g / a) : 0;
    pixels[o + 2] = a ? Math.round(b / a) : 0;
    pixels[o + 3] = Math.round((255 * a) / (SAMPLES * SAMPLES));
  }
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(body) >>> 0);
  return Buffer.concat([length, body, crc]);
}

const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header[8] = 8; // bit depth
header[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', zlib.deflateSync(pixels, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
const out = path.join(path.dirname(fileURLToPath(import.meta.url)), 'icon.png');
writeFileSync(out, png);
console.log(`Wrote ${out} (${SIZE}×${SIZE}, ${png.length} bytes)`);
