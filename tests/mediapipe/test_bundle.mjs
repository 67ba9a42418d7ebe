#!/usr/bin/env node
// ctest mediapipe_bundle: the .task bundle writer (task_bundle.mjs) and the
// metadata header (tflite_metadata.mjs), read back independently: the zip's
// directory and CRC-32s (node's zlib.crc32), each entry ending with the model
// file unchanged, and the new root table seen through a FlatBuffers reader
// written here.  The models' part skips, saying so, when scripts/setup-models.sh
// has not installed them.
import { crc32 as zlibCrc32 } from 'node:zlib';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, storedZip, writePoseTask, modelsDir, DETECTOR_ENTRY, LANDMARKS_ENTRY } from './task_bundle.mjs';
import { imageInputMetadata } from './tflite_metadata.mjs';

let passed = 0, failed = 0;
function check(name, ok, detail = '') {
  if (ok) passed++; else failed++;
  process.stdout.write(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? ': ' + detail : ''}\n`);
}

// --- CRC-32 -----------------------------------------------------------------
check('crc32("123456789") is the check value cbf43926', crc32(Buffer.from('123456789')) === 0xCBF43926);
check('crc32 of nothing is 0', crc32(Buffer.alloc(0)) === 0);
const noise = Buffer.alloc(100003);
for (let i = 0, s = 12345; i < noise.length; i++) { s = (s * 1103515245 + 12345) >>> 0; noise[i] = s >>> 24; }
check('crc32 agrees with zlib on 100003 bytes', crc32(noise) === zlibCrc32(noise));

// --- The zip, read back from its central directory --------------------------
function readZip(zip) {
  const end = zip.length - 22;
  if (zip.readUInt32LE(end) !== 0x06054b50) throw new Error('no end of central directory');
  const count = zip.readUInt16LE(end + 10);
  let p = zip.readUInt32LE(end + 16);
  const entries = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(p) !== 0x02014b50) throw new Error('bad central directory entry');
    const method = zip.readUInt16LE(p + 10);
    const crc = zip.readUInt32LE(p + 16);
    const csize = zip.readUInt32LE(p + 20), usize = zip.readUInt32LE(p + 24);
    const nlen = zip.readUInt16LE(p + 28), xlen = zip.readUInt16LE(p + 30), clen = zip.readUInt16LE(p + 32);
    const local = zip.readUInt32LE(p + 42);
    const name = zip.toString('utf8', p + 46, p + 46 + nlen);
    if (zip.readUInt32LE(local) !== 0x04034b50) throw new Error('bad local header');
    const lname = zip.toString('utf8', local + 30, local + 30 + zip.readUInt16LE(local + 26));
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    entries.push({ name, lname, method, crc, csize, usize, data: zip.subarray(start, start + csize),
      localCrc: zip.readUInt32LE(local + 14) });
    p += 46 + nlen + xlen + clen;
  }
  return entries;
}

const a = Buffer.from('first entry\n'), b = noise.subarray(0, 777);
const entries = readZip(storedZip([{ name: 'a.txt', data: a }, { name: 'dir/b.bin', data: b }]));
check('zip: two entries, named', entries.length === 2 && entries[0].name === 'a.txt' &&
  entries[1].name === 'dir/b.bin' && entries.every((e) => e.name === e.lname));
check('zip: stored, sizes equal', entries.every((e) => e.method === 0 && e.csize === e.usize));
check('zip: data back unchanged', entries[0].data.equals(a) && entries[1].data.equals(b));
check('zip: CRC-32s right in both headers', entries.every((e) => e.crc === zlibCrc32(e.data) && e.localCrc === e.crc));
check('zip: reproducible', storedZip([{ name: 'a', data: a }]).equals(storedZip([{ name: 'a', data: a }])));

// --- FlatBuffers, read back -------------------------------------------------
function table(buf, t) {
  const vt = t - buf.readInt32LE(t);
  const vtSize = buf.readUInt16LE(vt);
  const at = (id) => { const o = 4 + 2 * id; return o + 2 <= vtSize ? buf.readUInt16LE(vt + o) : 0; };
  return {
    has: (id) => at(id) !== 0,
    u8: (id) => (at(id) ? buf.readUInt8(t + at(id)) : 0),
    u32: (id) => (at(id) ? buf.readUInt32LE(t + at(id)) : 0),
    ref: (id) => { const p = t + at(id); return p + buf.readUInt32LE(p); },
  };
}
const vec = (buf, v) => Array.from({ length: buf.readUInt32LE(v) }, (_, i) => {
  const e = v + 4 + 4 * i; return e + buf.readUInt32LE(e);
});
const str = (buf, s) => buf.toString('utf8', s + 4, s + 4 + buf.readUInt32LE(s));
const floats = (buf, v) => Array.from({ length: buf.readUInt32LE(v) }, (_, i) => buf.readFloatLE(v + 4 + 4 * i));

function checkMetadata(meta, label, mean, std) {
  check(`${label}: metadata identifier M001`, meta.toString('latin1', 4, 8) === 'M001');
  const root = table(meta, meta.readUInt32LE(0));
  const sub = vec(meta, root.ref(3));
  const inputs = sub.length === 1 ? vec(meta, table(meta, sub[0]).ref(2)) : [];
  check(`${label}: one subgraph, one input`, sub.length === 1 && inputs.length === 1);
  if (inputs.length !== 1) return;
  const tensor = table(meta, inputs[0]);
  const content = table(meta, tensor.ref(3));
  const image = table(meta, content.ref(1));
  check(`${label}: ImageProperties, RGB`, content.u8(0) === 2 && image.u8(0) === 1);
  const units = vec(meta, tensor.ref(4));
  const unit = table(meta, units[0]);
  const norm = table(meta, unit.ref(1));
  check(`${label}: NormalizationOptions mean ${mean} std ${std}`, units.length === 1 && unit.u8(0) === 1 &&
    floats(meta, norm.ref(0)).join() === String(mean) && floats(meta, norm.ref(1)).join() === String(std));
}

checkMetadata(imageInputMetadata('x', { mean: 127.5, std: 127.5 }), 'detector metadata', 127.5, 127.5);

const dir = modelsDir();
if (!existsSync(join(dir, 'pose_landmark_lite.tflite'))) {
  process.stdout.write(`skipped the models: ${dir} not found (scripts/setup-models.sh installs them)\n`);
} else {
  const tmp = mkdtempSync(join(tmpdir(), 'gk-mp-bundle-'));
  try {
    const task = join(tmp, 'lite.task');
    writePoseTask('lite', task);
    const zip = readFileSync(task);
    const got = readZip(zip);
    check('task: pose_detector.tflite then pose_landmarks_detector.tflite',
      got.length === 2 && got[0].name === DETECTOR_ENTRY && got[1].name === LANDMARKS_ENTRY);
    check('task: CRC-32s right', got.every((e) => e.crc === zlibCrc32(e.data)));
    const originals = [readFileSync(join(dir, 'pose_solution_packed_assets.data')),
      readFileSync(join(dir, 'pose_landmark_lite.tflite'))];
    const norms = [[127.5, 127.5], [0, 255]];
    got.forEach((e, i) => {
      const orig = originals[i], m = e.data;
      const header = m.length - orig.length;
      check(`${e.name}: ends with the model file unchanged`, header > 0 && m.subarray(header).equals(orig));
      check(`${e.name}: header a multiple of 64 bytes, TFL3`, header % 64 === 0 && m.toString('latin1', 4, 8) === 'TFL3');
      const nroot = table(m, m.readUInt32LE(0));
      const oroot = table(orig, orig.readUInt32LE(0));
      // Every field but buffers and metadata points at the original's own.
      const same = [0, 1, 2, 3, 5, 7].every((id) => nroot.has(id) === oroot.has(id) &&
        (!oroot.has(id) || (id === 0 ? nroot.u32(0) === oroot.u32(0) : nroot.ref(id) === header + oroot.ref(id))));
      check(`${e.name}: version, operator codes, subgraphs, description, signatures the original's`, same);
      const nb = vec(m, nroot.ref(4)), ob = vec(orig, oroot.ref(4));
      check(`${e.name}: the original's ${ob.length} buffers, then one more`, nb.length === ob.length + 1 &&
        ob.every((p, k) => nb[k] === header + p));
      const metas = vec(m, nroot.ref(6));
      const tfm = metas.map((p) => table(m, p)).find((t) => str(m, t.ref(0)) === 'TFLITE_METADATA');
      check(`${e.name}: TFLITE_METADATA names the new buffer`, tfm !== undefined && tfm.u32(1) === ob.length);
      if (tfm) {
        const data = table(m, nb[ob.length]).ref(0);
        check(`${e.name}: metadata buffer 16-byte aligned`, (data + 4) % 16 === 0);
        const meta = m.subarray(data + 4, data + 4 + m.readUInt32LE(data));
        checkMetadata(meta, e.name, norms[i][0], norms[i][1]);
      }
    });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exit(failed ? 1 : 0);
