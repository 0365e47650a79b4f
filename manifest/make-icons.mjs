// Draws the Teams app icons as PNGs with Node's zlib alone: a 192 px colour icon (a white ring and
// tick on the partnership teal) and a 32 px outline icon (white on transparent, as Teams requires).
// Run once: node manifest/make-icons.mjs (the PNGs are committed).
import { Buffer } from 'node:buffer';
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
function png(size, pixel) {
  const rows = [];
  for (let y = 0; y < size; y += 1) {
    const row = Buffer.alloc(1 + size * 4);
    for (let x = 0; x < size; x += 1) row.set(pixel(x + 0.5, y + 0.5, size), 1 + x * 4);
    rows.push(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
// A ring with a tick inside, in unit coordinates.
function mark(x, y, s) {
  const u = x / s - 0.5,
    v = y / s - 0.5;
  const r = Math.hypot(u, v);
  const ring = r > 0.3 && r < 0.4;
  const onSegment = (ax, ay, bx, by, w) => {
    const t = Math.max(0, Math.min(1, ((u - ax) * (bx - ax) + (v - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
    return Math.hypot(u - (ax + t * (bx - ax)), v - (ay + t * (by - ay))) < w;
  };
  const tick = onSegment(-0.15, 0.0, -0.04, 0.12, 0.045) || onSegment(-0.04, 0.12, 0.17, -0.12, 0.045);
  return ring || tick;
}
writeFileSync(
  new URL('./color.png', import.meta.url),
  png(192, (x, y, s) => (mark(x, y, s) ? [255, 255, 255, 255] : [22, 109, 130, 255])),
);
writeFileSync(
  new URL('./outline.png', import.meta.url),
  png(32, (x, y, s) => (mark(x, y, s) ? [255, 255, 255, 255] : [0, 0, 0, 0])),
);
