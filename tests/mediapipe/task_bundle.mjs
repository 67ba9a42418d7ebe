// Writes a MediaPipe .task bundle: a zip archive of stored (uncompressed)
// entries, which is what tasks-vision's PoseLandmarker reads.  The bundle holds
// the very model files gaitkeeper runs, each one whole and unchanged at the end
// of its entry, behind a header that adds the input normalisation tasks-vision
// insists on (see tflite_metadata.mjs):
//   pose_detector.tflite            <- pose_solution_packed_assets.data (the whole file)
//   pose_landmarks_detector.tflite  <- pose_landmark_{lite,full,heavy}.tflite
// The names are the ones PoseLandmarkerGraph looks up (kPoseDetectorTFLiteName,
// kPoseLandmarksDetectorTFLiteName in pose_landmarker_graph.cc).
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DETECTOR_NORM, LANDMARKS_NORM, withInputNormalization } from './tflite_metadata.mjs';

export const DETECTOR_ENTRY = 'pose_detector.tflite';
export const LANDMARKS_ENTRY = 'pose_landmarks_detector.tflite';
export const MODELS = ['lite', 'full', 'heavy'];

const here = dirname(fileURLToPath(import.meta.url));

// Where scripts/setup-models.sh installs the models (GK_MODELS_DIR overrides).
export function modelsDir() {
  return process.env.GK_MODELS_DIR ||
    resolve(here, '../../models/node_modules/@mediapipe/pose');
}

// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as zip requires.
const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = (c & 1) ? (0xEDB88320 ^ (c >>> 1)) : (c >>> 1);
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(buf) {
  let c = 0xFFFFFFFF;
  for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xFF] ^ (c >>> 8);
  return (c ^ 0xFFFFFFFF) >>> 0;
}

// A zip of stored entries [{name, data: Buffer}].  No zip64: each entry and
// the whole archive must stay under 4 GiB (the heavy model is 27 MB).
export function storedZip(entries) {
  const LIMIT = 0xFFFFFFFF;
  const DOS_TIME = 0;            // 00:00:00
  const DOS_DATE = (1 << 5) | 1; // 1980-01-01: fixed, so the bundle is reproducible
  const parts = [];
  const central = [];
  let offset = 0;
  for (const { name, data } of entries) {
    const nameBuf = Buffer.from(name, 'utf8');
    if (data.length >= LIMIT || offset >= LIMIT) throw new Error(`zip entry ${name} too large`);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(10, 4);        // version needed: 1.0 (stored)
    local.writeUInt16LE(0x0800, 6);    // flags: UTF-8 names
    local.writeUInt16LE(0, 8);         // method: stored
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18); // compressed size
    local.writeUInt32LE(data.length, 22); // uncompressed size
    local.writeUInt16LE(nameBuf.length, 26);
    local.writeUInt16LE(0, 28);        // extra length
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(0x0314, 4);       // made by: Unix, 2.0
    cd.writeUInt16LE(10, 6);
    cd.writeUInt16LE(0x0800, 8);
    cd.writeUInt16LE(0, 10);
    cd.writeUInt16LE(DOS_TIME, 12);
    cd.writeUInt16LE(DOS_DATE, 14);
    cd.writeUInt32LE(crc, 16);
    cd.writeUInt32LE(data.length, 20);
    cd.writeUInt32LE(data.length, 24);
    cd.writeUInt16LE(nameBuf.length, 28);
    cd.writeUInt16LE(0, 30);           // extra
    cd.writeUInt16LE(0, 32);           // comment
    cd.writeUInt16LE(0, 34);           // disk
    cd.writeUInt16LE(0, 36);           // internal attributes
    cd.writeUInt32LE((0o100644 << 16) >>> 0, 38); // external: regular file 0644
    cd.writeUInt32LE(offset, 42);
    parts.push(local, nameBuf, data);
    central.push(cd, nameBuf);
    offset += local.length + nameBuf.length + data.length;
  }
  const cdSize = central.reduce((s, b) => s + b.length, 0);
  if (offset + cdSize >= LIMIT) throw new Error('zip archive too large');
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(0, 4);
  end.writeUInt16LE(0, 6);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cdSize, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(0, 20);
  return Buffer.concat([...parts, ...central, end]);
}

// Writes OUT (a path) as the PoseLandmarker bundle for MODEL (lite|full|heavy).
export function writePoseTask(model, out, dir = modelsDir()) {
  if (!MODELS.includes(model)) throw new Error(`unknown model '${model}' (lite, full or heavy)`);
  const detector = readFileSync(join(dir, 'pose_solution_packed_assets.data'));
  const landmarks = readFileSync(join(dir, `pose_landmark_${model}.tflite`));
  const zip = storedZip([
    { name: DETECTOR_ENTRY, data: withInputNormalization(detector, 'BlazePose detector', DETECTOR_NORM) },
    { name: LANDMARKS_ENTRY, data: withInputNormalization(landmarks, `BlazePose GHUM ${model}`, LANDMARKS_NORM) },
  ]);
  writeFileSync(out, zip);
  return zip.length;
}
