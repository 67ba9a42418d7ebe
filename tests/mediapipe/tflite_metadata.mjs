// The BlazePose .tflite files from npm @mediapipe/pose carry no TFLite
// metadata, and tasks-vision's image preprocessing refuses a float input
// without it ("Input tensor has type float32: it requires specifying
// NormalizationOptions metadata").  withInputNormalization() gives the task the
// same model with that one fact added, without changing a byte of the original:
//
//   [new header: root offset, "TFL3", a new Model root table, a new buffers
//    vector and metadata vector, one new Buffer holding a ModelMetadata
//    flatbuffer ("M001")]  [padding to 64 bytes]  [the original file, unchanged]
//
// FlatBuffers offsets point forwards only, so a header in front can refer to
// everything in the original (its operator codes, subgraphs, buffers, ...); the
// new root copies every field of the old one and appends one Buffer and one
// Metadata {name: "TFLITE_METADATA"} entry.  The padding keeps the original's
// alignment.  Files whose buffers use external offset/size (>2 GB models) are
// refused, since those offsets count from the start of the file.
//
// The normalisation given is the one MediaPipe's own pose graphs use for these
// models (and gaitkeeper's BlazePose too): the detector's input in [-1, 1]
// (mean 127.5, std 127.5), the landmark models' in [0, 1] (mean 0, std 255).

export const DETECTOR_NORM = { mean: 127.5, std: 127.5 };
export const LANDMARKS_NORM = { mean: 0, std: 255 };
const HEADER_ALIGN = 64;

// --- Reading the original (only the root table and its vectors) -------------

function u32(b, p) { return b.readUInt32LE(p); }

function rootTable(buf) {
  if (buf.length < 8 || buf.toString('latin1', 4, 8) !== 'TFL3') throw new Error('not a TFLite flatbuffer (no TFL3)');
  const t = u32(buf, 0);
  if (t + 4 > buf.length) throw new Error('TFLite root offset out of range');
  const vt = t - buf.readInt32LE(t);
  if (vt < 0 || vt + 4 > buf.length) throw new Error('TFLite root vtable out of range');
  const vtSize = buf.readUInt16LE(vt);
  // Absolute position of field id's value, or 0 when absent.
  const field = (id) => {
    const o = 4 + 2 * id;
    if (o + 2 > vtSize) return 0;
    const rel = buf.readUInt16LE(vt + o);
    return rel ? t + rel : 0;
  };
  const deref = (p) => {
    const q = p + u32(buf, p);
    if (q + 4 > buf.length) throw new Error('TFLite offset out of range');
    return q;
  };
  return { field, deref };
}

// Positions (absolute) of the tables an offset vector refers to.
function vectorTargets(buf, vecPos) {
  const n = u32(buf, vecPos);
  if (vecPos + 4 + 4 * n > buf.length) throw new Error('TFLite vector out of range');
  const out = [];
  for (let i = 0; i < n; i++) {
    const e = vecPos + 4 + 4 * i;
    out.push(e + u32(buf, e));
  }
  return out;
}

function tableHasField(buf, t, id) {
  const vt = t - buf.readInt32LE(t);
  const vtSize = buf.readUInt16LE(vt);
  const o = 4 + 2 * id;
  return o + 2 <= vtSize && buf.readUInt16LE(vt + o) !== 0;
}

function stringAt(buf, p) {
  const n = u32(buf, p);
  return buf.toString('utf8', p + 4, p + 4 + n);
}

// --- A small front-to-back FlatBuffers writer -------------------------------
// Every reference is written as a placeholder and patched when its target is
// placed (always later, so offsets are positive as the format requires).
// Targets: {abs: n} for a position in the original file (resolved once the
// header's length is known), or a node: {table: [[id, kind, value], ...]},
// {vec: [nodes]}, {str: s}, {floats: [..]}, {bytes: Buffer, align}.

class Writer {
  constructor() { this.buf = Buffer.alloc(1 << 12); this.pos = 0; this.abs = []; }
  ensure(n) {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const b = Buffer.alloc(size);
    this.buf.copy(b, 0, 0, this.pos);
    this.buf = b;
  }
  align(a) { while (this.pos % a) { this.ensure(1); this.buf[this.pos++] = 0; } }
  put(n, fn) { this.ensure(n); fn(this.buf, this.pos); const p = this.pos; this.pos += n; return p; }
  ref() { return this.put(4, (b, p) => b.writeUInt32LE(0, p)); }
  patch(at, target) { this.buf.writeUInt32LE(target - at, at); }

  // Writes node and returns its position; deferred children are written after.
  node(n) {
    if (n.str !== undefined) {
      const s = Buffer.from(n.str, 'utf8');
      this.align(4);
      const p = this.put(4, (b, q) => b.writeUInt32LE(s.length, q));
      this.put(s.length + 1, (b, q) => { s.copy(b, q); b[q + s.length] = 0; });
      return p;
    }
    if (n.floats) {
      this.align(4);
      const p = this.put(4, (b, q) => b.writeUInt32LE(n.floats.length, q));
      for (const f of n.floats) this.put(4, (b, q) => b.writeFloatLE(f, q));
      return p;
    }
    if (n.bytes) {
      // The length sits just before the data, so align the data itself.
      const a = n.align || 4;
      while ((this.pos + 4) % a) { this.ensure(1); this.buf[this.pos++] = 0; }
      const p = this.put(4, (b, q) => b.writeUInt32LE(n.bytes.length, q));
      this.put(n.bytes.length, (b, q) => n.bytes.copy(b, q));
      return p;
    }
    if (n.vec) {
      this.align(4);
      const p = this.put(4, (b, q) => b.writeUInt32LE(n.vec.length, q));
      const slots = n.vec.map(() => this.ref());
      n.vec.forEach((c, i) => this.link(slots[i], c));
      return p;
    }
    if (n.table) return this.table(n.table);
    throw new Error('unknown flatbuffer node');
  }

  link(slot, target) {
    if (target.abs !== undefined) this.abs.push([slot, target.abs]);
    else this.patch(slot, this.node(target));
  }

  table(fields) {
    const size = { u8: 1, u16: 2, u32: 4, ref: 4 };
    // Inline layout: the vtable offset, then 4-byte fields, then 2, then 1.
    const sorted = [...fields].sort((a, b) => size[b[1]] - size[a[1]]);
    let off = 4;
    const at = new Map();
    for (const f of sorted) { at.set(f[0], off); off += size[f[1]]; }
    const inline = off;
    const maxId = Math.max(-1, ...fields.map((f) => f[0]));
    const vtSize = 4 + 2 * (maxId + 1);
    this.align(2);
    const vt = this.put(vtSize, (b, q) => {
      b.writeUInt16LE(vtSize, q);
      b.writeUInt16LE(inline, q + 2);
      for (let id = 0; id <= maxId; id++) b.writeUInt16LE(at.get(id) || 0, q + 4 + 2 * id);
    });
    this.align(4);
    const t = this.put(inline, (b, q) => { b.fill(0, q, q + inline); b.writeInt32LE(q - vt, q); });
    const deferred = [];
    for (const [id, kind, value] of fields) {
      const p = t + at.get(id);
      if (kind === 'u8') this.buf.writeUInt8(value, p);
      else if (kind === 'u16') this.buf.writeUInt16LE(value, p);
      else if (kind === 'u32') this.buf.writeUInt32LE(value, p);
      else deferred.push([p, value]);
    }
    for (const [p, value] of deferred) this.link(p, value);
    return t;
  }
}

// The ModelMetadata flatbuffer (metadata_schema.fbs, identifier "M001"): one
// subgraph, one RGB image input with NormalizationOptions {mean, std}.
export function imageInputMetadata(name, { mean, std }) {
  const w = new Writer();
  const root = w.ref();
  w.put(4, (b, q) => b.write('M001', q, 'latin1'));
  const normalization = { table: [[0, 'ref', { floats: [mean] }], [1, 'ref', { floats: [std] }]] };
  const tensor = { table: [
    [0, 'ref', { str: 'image' }],
    // Content.content_properties: union ImageProperties (2), color_space RGB (1).
    [3, 'ref', { table: [[0, 'u8', 2], [1, 'ref', { table: [[0, 'u8', 1]] }]] }],
    // process_units: [ProcessUnit {options: NormalizationOptions (1)}]
    [4, 'ref', { vec: [{ table: [[0, 'u8', 1], [1, 'ref', normalization]] }] }],
  ] };
  const subgraph = { table: [[2, 'ref', { vec: [tensor] }]] };
  w.patch(root, w.table([
    [0, 'ref', { str: name }],
    [1, 'ref', { str: 'input normalisation for tasks-vision; the model itself is unchanged' }],
    [3, 'ref', { vec: [subgraph] }],
    [7, 'ref', { str: '1.0.0' }],
  ]));
  return w.buf.subarray(0, w.pos);
}

// Model (schema.fbs) field ids.
const M_VERSION = 0, M_OPCODES = 1, M_SUBGRAPHS = 2, M_DESCRIPTION = 3, M_BUFFERS = 4,
  M_METADATA_BUFFER = 5, M_METADATA = 6, M_SIGNATURES = 7;
const BUFFER_OFFSET = 1; // Buffer.offset: data outside the flatbuffer

export function withInputNormalization(original, name, norm) {
  const { field, deref } = rootTable(original);
  const buffersAt = field(M_BUFFERS);
  if (!buffersAt) throw new Error('TFLite model without buffers');
  const buffers = vectorTargets(original, deref(buffersAt));
  for (const b of buffers) {
    if (tableHasField(original, b, BUFFER_OFFSET)) throw new Error('TFLite buffers stored outside the flatbuffer are not supported');
  }
  const metaAt = field(M_METADATA);
  const metas = metaAt ? vectorTargets(original, deref(metaAt)) : [];
  for (const m of metas) {
    const { field: mf, deref: md } = tableAt(original, m);
    const nameAt = mf(0);
    if (nameAt && stringAt(original, md(nameAt)) === 'TFLITE_METADATA') throw new Error('model already has TFLITE_METADATA');
  }
  const copy = (id) => {
    const at = field(id);
    return at ? [[id, 'ref', { abs: deref(at) }]] : [];
  };
  const w = new Writer();
  const root = w.ref();
  w.put(4, (b, q) => b.write('TFL3', q, 'latin1'));
  const fields = [
    ...(field(M_VERSION) ? [[M_VERSION, 'u32', u32(original, field(M_VERSION))]] : []),
    ...copy(M_OPCODES), ...copy(M_SUBGRAPHS), ...copy(M_DESCRIPTION),
    [M_BUFFERS, 'ref', { vec: [...buffers.map((b) => ({ abs: b })),
      { table: [[0, 'ref', { bytes: imageInputMetadata(name, norm), align: 16 }]] }] }],
    ...copy(M_METADATA_BUFFER),
    [M_METADATA, 'ref', { vec: [...metas.map((m) => ({ abs: m })),
      { table: [[0, 'ref', { str: 'TFLITE_METADATA' }], [1, 'u32', buffers.length]] }] }],
    ...copy(M_SIGNATURES),
  ];
  w.patch(root, w.table(fields));
  w.align(HEADER_ALIGN);
  const headerLen = w.pos;
  for (const [slot, abs] of w.abs) w.patch(slot, headerLen + abs);
  return Buffer.concat([w.buf.subarray(0, headerLen), original]);
}

function tableAt(buf, t) {
  const vt = t - buf.readInt32LE(t);
  const vtSize = buf.readUInt16LE(vt);
  const field = (id) => {
    const o = 4 + 2 * id;
    if (o + 2 > vtSize) return 0;
    const rel = buf.readUInt16LE(vt + o);
    return rel ? t + rel : 0;
  };
  return { field, deref: (p) => p + u32(buf, p) };
}
