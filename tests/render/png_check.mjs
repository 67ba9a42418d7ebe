// png_check.mjs -- read a PNG screenshot (8-bit RGB or RGBA, not interlaced,
// as Chromium writes them) with Node's zlib, and check it: its width, a
// minimum height, and that it is not blank (enough distinct colours and
// non-white pixels).  Prints one line of figures; exits 1 when a check
// fails.
//   node png_check.mjs FILE.png --width W [--min-height H]
//        [--min-colours N] [--min-ink FRACTION]
import { readFileSync } from "node:fs";
import { inflateSync } from "node:zlib";

const args = process.argv.slice(2);
const file = args[0];
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const wantWidth = opt("--width", NaN);
const minHeight = opt("--min-height", 1);
const minColours = opt("--min-colours", 16);
const minInk = opt("--min-ink", 0.02);

function fail(msg) {
  console.error(`png_check: ${file}: ${msg}`);
  process.exit(1);
}

const buf = readFileSync(file);
const SIG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
if (buf.length < 8 || !buf.subarray(0, 8).equals(SIG)) fail("not a PNG");
let off = 8, width = 0, height = 0, depth = 0, ctype = 0, interlace = 0;
const idat = [];
while (off + 8 <= buf.length) {
  const len = buf.readUInt32BE(off);
  const type = buf.toString("latin1", off + 4, off + 8);
  const data = buf.subarray(off + 8, off + 8 + len);
  if (type === "IHDR") {
    width = data.readUInt32BE(0);
    height = data.readUInt32BE(4);
    depth = data[8];
    ctype = data[9];
    interlace = data[12];
  } else if (type === "IDAT") {
    idat.push(data);
  } else if (type === "IEND") {
    break;
  }
  off += 12 + len;
}
if (depth !== 8 || (ctype !== 2 && ctype !== 6) || interlace !== 0)
  fail(`unsupported PNG (depth ${depth}, colour type ${ctype}, interlace ${interlace})`);
const bpp = ctype === 6 ? 4 : 3;
const raw = inflateSync(Buffer.concat(idat));
const stride = width * bpp;
if (raw.length < height * (stride + 1)) fail("image data too short");
const cur = Buffer.alloc(stride), prev = Buffer.alloc(stride);
const colours = new Set();
let ink = 0;
for (let y = 0; y < height; y++) {
  const f = raw[y * (stride + 1)];
  const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
  for (let x = 0; x < stride; x++) {
    const a = x >= bpp ? cur[x - bpp] : 0, b = prev[x], c = x >= bpp ? prev[x - bpp] : 0;
    let v = line[x];
    if (f === 1) v += a;
    else if (f === 2) v += b;
    else if (f === 3) v += (a + b) >> 1;
    else if (f === 4) {
      const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
      v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    } else if (f !== 0) fail(`bad filter ${f} on row ${y}`);
    cur[x] = v & 0xff;
  }
  for (let x = 0; x < stride; x += bpp) {
    const r = cur[x], g = cur[x + 1], bl = cur[x + 2];
    colours.add((r << 16) | (g << 8) | bl);
    if (r < 240 || g < 240 || bl < 240) ink++;
  }
  cur.copy(prev);
}
const inkFrac = ink / (width * height);
console.log(`${file}: ${width}x${height}, ${colours.size} colours, ` +
            `${(100 * inkFrac).toFixed(1)}% non-white`);
if (!Number.isNaN(wantWidth) && width !== wantWidth) fail(`width ${width}, expected ${wantWidth}`);
if (height < minHeight) fail(`height ${height} < ${minHeight}`);
if (colours.size < minColours) fail(`only ${colours.size} colours: blank?`);
if (inkFrac < minInk) fail(`only ${(100 * inkFrac).toFixed(2)}% non-white pixels: blank?`);
