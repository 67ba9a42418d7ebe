// tflite_ref.mjs -- an independent reference for gaitkeeper's nn reader and
// reference kernels.  It parses each .tflite itself (its own flatbuffer
// walk; DENSIFY and DEQUANTIZE evaluated as operators, not folded),
// evaluates the graph on the same deterministic input as tools/nn_run.c
// (uniform pseudo-random in [-1, 1]), runs `nn_run MODEL -o FILE` and
// compares every output element c (gaitkeeper) with r (this reference).
//
// float64 (default): per output tensor, normwise
//     max_k |c_k - r_k| <= 1e-4 * max(1, max_k |r_k|)
//   except the segmentation logits (Identity_2 of the landmark models):
//   5e-3.  On noise input those logits reach |r| ~ 1000 and the float32
//   rounding of any float32 evaluation is amplified through the decoder
//   (rounding only each operator's output already moves them by ~4e-4).
//   The elementwise |c - r| / max(1, |r|) is printed too.
// --f32: evaluate in float32 (Math.fround after every product and sum, in
//   the C kernels' order); then every element must agree elementwise,
//   |c - r| <= 1e-6 * max(1, |r|): the kernels compute the same thing.
// Exits 1 when an output is outside.  No npm package is needed.
//   node tflite_ref.mjs [--f32] --nn-run BIN --models DIR [NAME ...]
// Debugging: --upto K compares the output of gaitkeeper's operator K-1 (the
// file's operators less DEQUANTIZE and DENSIFY; nn_run --upto K);
// --list MODEL prints the operators.
import { spawnSync } from 'node:child_process';
import { readFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

const TOL = 1e-4, TOL_SEG = 5e-3, TOL_F32 = 1e-6;
// --f32: evaluate in float32 instead (Math.fround after every product and
// sum, in the order the C kernels use): the two evaluations should then agree
// to the last bit or two, which tells a kernel difference from float32
// rounding that the models amplify.
let F32 = false;

// ---- flatbuffers --------------------------------------------------------
class FB {
  constructor(buf) {
    this.b = buf;
    this.dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  u8(p) { return this.dv.getUint8(p); }
  i8(p) { return this.dv.getInt8(p); }
  u16(p) { return this.dv.getUint16(p, true); }
  i32(p) { return this.dv.getInt32(p, true); }
  u32(p) { return this.dv.getUint32(p, true); }
  table(p) { return { p, vt: p - this.i32(p) }; }
  field(t, id) {
    const vl = this.u16(t.vt);
    const e = 4 + 2 * id;
    if (e + 2 > vl) return 0;
    const o = this.u16(t.vt + e);
    return o ? t.p + o : 0;
  }
  scalar(t, id, kind, def) {
    const p = this.field(t, id);
    if (!p) return def;
    return kind === 'u8' ? this.u8(p) : kind === 'i8' ? this.i8(p)
      : kind === 'u32' ? this.u32(p) : this.i32(p);
  }
  ref(t, id) { const p = this.field(t, id); return p ? p + this.u32(p) : 0; }
  sub(t, id) { const p = this.ref(t, id); return p ? this.table(p) : null; }
  vecInfo(t, id) { const p = this.ref(t, id); return p ? { s: p + 4, n: this.u32(p) } : { s: 0, n: 0 }; }
  i32s(t, id) { const v = this.vecInfo(t, id); const a = []; for (let k = 0; k < v.n; k++) a.push(this.i32(v.s + 4 * k)); return a; }
  tables(t, id) { const v = this.vecInfo(t, id); const a = []; for (let k = 0; k < v.n; k++) { const e = v.s + 4 * k; a.push(this.table(e + this.u32(e))); } return a; }
  str(t, id) { const v = this.vecInfo(t, id); return Buffer.from(this.b.subarray(v.s, v.s + v.n)).toString('latin1'); }
  bytes(t, id) { const v = this.vecInfo(t, id); return this.b.subarray(v.s, v.s + v.n); }
}

function f16(h) {
  const s = h >> 15 ? -1 : 1, e = (h >> 10) & 31, f = h & 1023;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f ? NaN : s * Infinity;
  return s * (1024 + f) * 2 ** (e - 25);
}

function parse(buf) {
  const fb = new FB(buf);
  const model = fb.table(fb.u32(0));
  const codes = fb.tables(model, 1).map((t) => Math.max(fb.scalar(t, 0, 'i8', 0), fb.scalar(t, 3, 'i32', 0)));
  const buffers = fb.tables(model, 4).map((t) => fb.bytes(t, 0));
  const sg = fb.tables(model, 2)[0];
  const tensors = fb.tables(sg, 0).map((t) => ({
    shape: fb.i32s(t, 0), type: fb.scalar(t, 1, 'u8', 0), data: buffers[fb.scalar(t, 2, 'u32', 0)],
    name: fb.str(t, 3), sparsity: fb.sub(t, 6),
  }));
  const ops = fb.tables(sg, 3).map((t) => ({
    code: codes[fb.scalar(t, 0, 'u32', 0)], inputs: fb.i32s(t, 1), outputs: fb.i32s(t, 2), opt: fb.sub(t, 4),
  }));
  return { fb, tensors, ops, inputs: fb.i32s(sg, 1), outputs: fb.i32s(sg, 2) };
}

const count = (s) => s.reduce((a, b) => a * b, 1);

// Raw stored values of a tensor, as numbers.
function rawValues(g, t) {
  const d = t.data, dv = new DataView(d.buffer, d.byteOffset, d.byteLength);
  const n = d.byteLength / (t.type === 1 ? 2 : 4), a = new Float64Array(n);
  for (let k = 0; k < n; k++) a[k] = t.type === 1 ? f16(dv.getUint16(2 * k, true)) : t.type === 2 ? dv.getInt32(4 * k, true) : dv.getFloat32(4 * k, true);
  return a;
}

// DENSIFY, following the schema's SparsityParameters description.
function densify(g, t) {
  const fb = g.fb, sp = t.sparsity, vals = rawValues(g, t);
  const order = fb.i32s(sp, 0), bmap = fb.i32s(sp, 1), dm = fb.tables(sp, 2);
  const rank = t.shape.length, n = order.length;
  const meta = dm.map((m) => {
    const fmt = fb.scalar(m, 0, 'u8', 0);
    if (fmt === 0) return { dense: fb.scalar(m, 1, 'i32', 0) };
    const vec = (tid) => {
      const ty = fb.scalar(m, tid, 'u8', 0), vt = fb.sub(m, tid + 1), v = fb.vecInfo(vt, 0);
      const a = [];
      for (let k = 0; k < v.n; k++) a.push(ty === 1 ? fb.u32(v.s + 4 * k) : ty === 2 ? fb.u16(v.s + 2 * k) : fb.u8(v.s + k));
      return a;
    };
    return { seg: vec(2), idx: vec(4) };
  });
  const bsize = bmap.map((d, i) => meta[order.indexOf(rank + i)].dense);
  const out = new Float64Array(count(t.shape));
  const idx = new Array(n).fill(0);
  let next = 0;
  const walk = (level, prev) => {
    if (level === n) {
      let off = 0;
      for (let d = 0; d < rank; d++) {
        let v = idx[d];
        const b = bmap.indexOf(d);
        if (b >= 0) v = v * bsize[b] + idx[rank + b];
        off = off * t.shape[d] + v;
      }
      out[off] = vals[next++];
      return;
    }
    const m = meta[level], dim = order[level];
    if (m.dense !== undefined) {
      for (let i = 0; i < m.dense; i++) { idx[dim] = i; walk(level + 1, prev * m.dense + i); }
    } else {
      for (let i = m.seg[prev]; i < m.seg[prev + 1]; i++) { idx[dim] = m.idx[i]; walk(level + 1, i); }
    }
  };
  walk(0, 0);
  return out;
}

// ---- float64 kernels -------------------------------------------------
const act = (a, v) => a === 1 ? Math.max(0, v) : a === 2 ? Math.min(1, Math.max(-1, v)) : a === 3 ? Math.min(6, Math.max(0, v)) : v;
const d4 = (s) => [...Array(4 - s.length).fill(1), ...s];
function samePad(inp, out, k, st, dil) { const tot = (out - 1) * st + (k - 1) * dil + 1 - inp; return tot > 0 ? Math.floor(tot / 2) : 0; }

function evaluate(g, input) {
  const { fb } = g;
  const val = new Map();
  const lastUse = new Map();
  g.ops.forEach((op, i) => op.inputs.forEach((x) => lastUse.set(x, i)));
  const get = (i) => {
    if (val.has(i)) return val.get(i);
    const t = g.tensors[i];
    if (t.data && t.data.length) { const v = t.sparsity ? null : rawValues(g, t); val.set(i, v); return v; }
    throw new Error(`tensor ${i} has no value`);
  };
  val.set(g.inputs[0], input);
  g.ops.forEach((op, i) => {
    const T = g.tensors, out = T[op.outputs[0]], os = d4(out.shape), o = op.opt;
    const xs = op.inputs[0] >= 0 ? d4(T[op.inputs[0]].shape) : null;
    let y;
    switch (op.code) {
      case 124: y = densify(g, T[op.inputs[0]]); break; // DENSIFY
      case 6: y = get(op.inputs[0]) ?? densify(g, T[op.inputs[0]]); break; // DEQUANTIZE
      case 34: { // PAD
        const x = get(op.inputs[0]), p = get(op.inputs[1]), r = T[op.inputs[0]].shape.length, b = [0, 0, 0, 0];
        for (let k = 0; k < r; k++) b[4 - r + k] = p[2 * k];
        y = new Float64Array(count(os));
        for (let n = 0; n < xs[0]; n++) for (let h = 0; h < xs[1]; h++) for (let w = 0; w < xs[2]; w++) for (let c = 0; c < xs[3]; c++)
          y[(((n + b[0]) * os[1] + h + b[1]) * os[2] + w + b[2]) * os[3] + c + b[3]] = x[((n * xs[1] + h) * xs[2] + w) * xs[3] + c];
        break;
      }
      case 3: case 4: { // CONV_2D, DEPTHWISE_CONV_2D
        const dw = op.code === 4, x = get(op.inputs[0]), wt = T[op.inputs[1]], w = get(op.inputs[1]);
        const bias = op.inputs.length > 2 && op.inputs[2] >= 0 ? get(op.inputs[2]) : null;
        const same = fb.scalar(o, 0, 'u8', 0) === 0, sw = fb.scalar(o, 1, 'i32', 0), sh = fb.scalar(o, 2, 'i32', 0);
        const a = fb.scalar(o, dw ? 4 : 3, 'i8', 0), dlw = fb.scalar(o, dw ? 5 : 4, 'i32', 1), dlh = fb.scalar(o, dw ? 6 : 5, 'i32', 1);
        const [, KH, KW] = wt.shape, C = xs[3], O = os[3], M = O / C;
        const pt = same ? samePad(xs[1], os[1], KH, sh, dlh) : 0, pl = same ? samePad(xs[2], os[2], KW, sw, dlw) : 0;
        y = new Float64Array(count(os));
        for (let oy = 0; oy < os[1]; oy++) for (let ox = 0; ox < os[2]; ox++) {
          const yb = (oy * os[2] + ox) * O;
          for (let oc = 0; oc < O; oc++) {
            let acc = bias ? bias[oc] : 0;
            for (let ky = 0; ky < KH; ky++) {
              const iy = oy * sh - pt + ky * dlh;
              if (iy < 0 || iy >= xs[1]) continue;
              for (let kx = 0; kx < KW; kx++) {
                const ix = ox * sw - pl + kx * dlw;
                if (ix < 0 || ix >= xs[2]) continue;
                const xb = (iy * xs[2] + ix) * C;
                if (F32) {
                  if (dw) acc = Math.fround(acc + Math.fround(x[xb + Math.floor(oc / M)] * w[(ky * KW + kx) * O + oc]));
                  else { const wb = ((oc * KH + ky) * KW + kx) * C; for (let c = 0; c < C; c++) acc = Math.fround(acc + Math.fround(x[xb + c] * w[wb + c])); }
                } else if (dw) acc += x[xb + Math.floor(oc / M)] * w[(ky * KW + kx) * O + oc];
                else { const wb = ((oc * KH + ky) * KW + kx) * C; for (let c = 0; c < C; c++) acc += x[xb + c] * w[wb + c]; }
              }
            }
            y[yb + oc] = act(a, acc);
          }
        }
        break;
      }
      case 17: { // MAX_POOL_2D
        const x = get(op.inputs[0]);
        const same = fb.scalar(o, 0, 'u8', 0) === 0, sw = fb.scalar(o, 1, 'i32', 0), sh = fb.scalar(o, 2, 'i32', 0);
        const fw = fb.scalar(o, 3, 'i32', 0), fh = fb.scalar(o, 4, 'i32', 0), a = fb.scalar(o, 5, 'i8', 0);
        const pt = same ? samePad(xs[1], os[1], fh, sh, 1) : 0, pl = same ? samePad(xs[2], os[2], fw, sw, 1) : 0, C = xs[3];
        y = new Float64Array(count(os));
        for (let oy = 0; oy < os[1]; oy++) for (let ox = 0; ox < os[2]; ox++) for (let c = 0; c < C; c++) {
          let m = -Infinity;
          for (let ky = 0; ky < fh; ky++) for (let kx = 0; kx < fw; kx++) {
            const iy = oy * sh - pt + ky, ix = ox * sw - pl + kx;
            if (iy >= 0 && iy < xs[1] && ix >= 0 && ix < xs[2]) m = Math.max(m, x[(iy * xs[2] + ix) * C + c]);
          }
          y[(oy * os[2] + ox) * C + c] = act(a, m);
        }
        break;
      }
      case 0: { // ADD, broadcasting
        const a = get(op.inputs[0]), b = get(op.inputs[1]), as = d4(T[op.inputs[0]].shape), bs = d4(T[op.inputs[1]].shape);
        const f = o ? fb.scalar(o, 0, 'i8', 0) : 0;
        const st = (s) => { const r = [0, 0, 0, 0]; let m = 1; for (let k = 3; k >= 0; k--) { r[k] = s[k] === 1 ? 0 : m; m *= s[k]; } return r; };
        const sa = st(as), sb = st(bs);
        y = new Float64Array(count(os));
        let i2 = 0;
        for (let n = 0; n < os[0]; n++) for (let h = 0; h < os[1]; h++) for (let w = 0; w < os[2]; w++) for (let c = 0; c < os[3]; c++)
          y[i2++] = act(f, a[n * sa[0] + h * sa[1] + w * sa[2] + c * sa[3]] + b[n * sb[0] + h * sb[1] + w * sb[2] + c * sb[3]]);
        break;
      }
      case 5: { // DEPTH_TO_SPACE (DCR)
        const x = get(op.inputs[0]), bs = fb.scalar(o, 0, 'i32', 0), C = os[3];
        y = new Float64Array(count(os));
        for (let iy = 0; iy < xs[1]; iy++) for (let ix = 0; ix < xs[2]; ix++) for (let ic = 0; ic < xs[3]; ic++) {
          const dy = Math.floor(ic / (bs * C)), dx = Math.floor(ic / C) % bs, c = ic % C;
          y[((iy * bs + dy) * os[2] + ix * bs + dx) * C + c] = x[(iy * xs[2] + ix) * xs[3] + ic];
        }
        break;
      }
      case 23: { // RESIZE_BILINEAR
        const x = get(op.inputs[0]), ac = o ? fb.scalar(o, 2, 'u8', 0) : 0, hp = o ? fb.scalar(o, 3, 'u8', 0) : 0, C = xs[3];
        const f = F32 ? Math.fround : (v) => v;
        const sc = (i, oo) => f(ac && oo > 1 ? f(i - 1) / f(oo - 1) : i / oo);
        const hs = sc(xs[1], os[1]), ws = sc(xs[2], os[2]);
        const pos = (v, s, n) => { const p = hp ? f(f(f(v + 0.5) * s) - 0.5) : f(v * s); return [p, Math.max(Math.floor(p), 0), Math.min(Math.ceil(p), n - 1)]; };
        y = new Float64Array(count(os));
        for (let oy = 0; oy < os[1]; oy++) {
          const [py, y0, y1] = pos(oy, hs, xs[1]), fy = f(py - y0), gy = f(1 - fy);
          for (let ox = 0; ox < os[2]; ox++) {
            const [px, x0, x1] = pos(ox, ws, xs[2]), fx = f(px - x0), gx = f(1 - fx);
            for (let c = 0; c < C; c++) {
              const v = (yy, xx) => x[(yy * xs[2] + xx) * C + c];
              const t1 = f(f(v(y0, x0) * gy) * gx), t2 = f(f(v(y1, x0) * fy) * gx);
              const t3 = f(f(v(y0, x1) * gy) * fx), t4 = f(f(v(y1, x1) * fy) * fx);
              y[(oy * os[2] + ox) * C + c] = f(f(f(t1 + t2) + t3) + t4);
            }
          }
        }
        break;
      }
      case 22: y = get(op.inputs[0]); break; // RESHAPE
      case 2: { // CONCATENATION
        let axis = fb.scalar(o, 0, 'i32', 0); const a = fb.scalar(o, 1, 'i8', 0), s = out.shape;
        if (axis < 0) axis += s.length;
        const outer = count(s.slice(0, axis)), inner = count(s.slice(axis + 1));
        y = new Float64Array(count(s));
        let k = 0;
        for (let q = 0; q < outer; q++) for (const xi of op.inputs) {
          const x = get(xi), n = T[xi].shape[axis] * inner;
          for (let j = 0; j < n; j++) y[k++] = act(a, x[q * n + j]);
        }
        break;
      }
      case 14: { const x = get(op.inputs[0]); y = x.map((v) => 1 / (1 + Math.exp(-v))); break; } // LOGISTIC
      default: throw new Error(`op ${i}: builtin code ${op.code} not in the oracle`);
    }
    if (F32 && op.code !== 6 && op.code !== 124) y = Float64Array.from(y, Math.fround);
    val.set(op.outputs[0], y);
    for (const x of op.inputs) if (lastUse.get(x) === i && !g.outputs.includes(x)) val.delete(x);
  });
  return g.outputs.map((i) => ({ name: g.tensors[i].name, v: val.get(i) }));
}

function input(n) {
  const a = new Float64Array(n);
  let s = 12345;
  for (let k = 0; k < n; k++) { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; a[k] = (s >>> 8) / 8388608 - 1; }
  return a;
}

// ---- main ----------------------------------------------------------------
const args = process.argv.slice(2);
let nnRun = null, dir = null, upto = 0; const names = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--nn-run') nnRun = args[++i];
  else if (args[i] === '--models') dir = args[++i];
  else if (args[i] === '--upto') upto = Number(args[++i]);
  else if (args[i] === '--f32') F32 = true;
  else if (args[i] === '--list') {
    // The operators of one model: code, output, shape, options' fields.
    const g = parse(readFileSync(args[++i]));
    g.ops.forEach((op, k) => {
      const o = op.opt, f = [];
      if (o) for (let id = 0; id < 8; id++) { const p = g.fb.field(o, id); if (p) f.push(`${id}:${g.fb.u8(p)}`); }
      const t = g.tensors[op.outputs[0]];
      console.log(`${k} code ${op.code} in ${op.inputs.map((x) => x >= 0 ? g.tensors[x].shape.join('x') : '-').join(' ')} -> ${t.name} ${t.shape.join('x')} opt ${f.join(' ')}`);
    });
    process.exit(0);
  }
  else names.push(args[i]);
}
if (!names.length) names.push('pose_solution_packed_assets.data', 'pose_landmark_lite.tflite', 'pose_landmark_full.tflite', 'pose_landmark_heavy.tflite');
if (!dir || !existsSync(join(dir, names[0]))) {
  console.log(`tflite_ref: models not found in ${dir} (run scripts/setup-models.sh); skipped`);
  process.exit(0);
}
const tmp = mkdtempSync(join(tmpdir(), 'tflite-ref-'));
let bad = 0;
try {
  for (const name of names) {
    const path = join(dir, name), g = parse(readFileSync(path));
    const t0 = Date.now();
    if (upto) {
      // Compare operator upto-1 of gaitkeeper's (folded) list: the raw
      // operators without DEQUANTIZE and DENSIFY.
      const kept = g.ops.filter((op) => op.code !== 6 && op.code !== 124);
      const last = g.ops.indexOf(kept[upto - 1]);
      g.ops = g.ops.slice(0, last + 1);
      g.outputs = [kept[upto - 1].outputs[0]];
    }
    const ref = evaluate(g, input(count(g.tensors[g.inputs[0]].shape)));
    const tref = Date.now() - t0;
    const outf = join(tmp, 'out.bin');
    const r = spawnSync(nnRun, [path, '-o', outf, ...(upto ? ['--upto', String(upto)] : [])], { encoding: 'utf8' });
    if (r.status !== 0) { console.log(`${name}: nn_run failed: ${r.stderr}`); bad++; continue; }
    const got = readFileSync(outf), dv = new DataView(got.buffer, got.byteOffset, got.byteLength);
    let off = 0, worst = 0, where = '', n = 0, outside = 0;
    const per = [];
    for (const o of ref) {
      let w1 = 0, amax = 0, emax = 0;
      for (let k = 0; k < o.v.length; k++) amax = Math.max(amax, Math.abs(o.v[k]));
      for (let k = 0; k < o.v.length; k++, off += 4) {
        const c = dv.getFloat32(off, true), d = Math.abs(c - o.v[k]), e = d / Math.max(1, Math.abs(o.v[k]));
        n++;
        if (F32 && !(e <= TOL_F32)) outside++;
        if (!(e <= worst)) { worst = e; where = `${o.name}[${k}] ${c} vs ${o.v[k]}`; }
        if (!(e <= w1)) w1 = e;
        if (!(d <= emax)) emax = d;
      }
      const nw = emax / Math.max(1, amax), tol = o.name === 'Identity_2' && ref.length === 5 ? TOL_SEG : TOL;
      if (!F32 && !(nw <= tol)) outside++;
      per.push(`${o.name}: normwise ${nw.toExponential(2)}${F32 ? '' : ` (tol ${tol})`}, elementwise ${w1.toExponential(2)}, max|r| ${amax.toPrecision(3)}`);
    }
    if (off !== got.byteLength) { console.log(`${name}: ${got.byteLength} bytes of output, expected ${off}`); bad++; continue; }
    console.log(`${name} (${F32 ? 'float32' : 'float64'} reference, ${tref} ms): ${n} values, worst elementwise ${worst.toExponential(3)} at ${where}; ${outside} outside\n  ${per.join('\n  ')}`);
    if (outside) bad++;
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
process.exit(bad ? 1 : 0);
