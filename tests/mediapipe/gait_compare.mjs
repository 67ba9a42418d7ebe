#!/usr/bin/env node
// Compares two `gaitkeeper gait --json` answers on the same clip, one from
// gaitkeeper's own pose and one from MediaPipe's keypoints: each initial
// contact of A is matched to B's nearest contact of the same side within
// --frames N (default 2); over the matched steps it prints and checks
//   - cadence from the first to the last matched contact (steps/min),
//   - the median difference of contact time per matched step (ms),
//   - the median difference of knee flexion at initial contact (deg).
//
//   node gait_compare.mjs A.json B.json [--frames N] [--cadence SPM]
//        [--contact MS] [--knee DEG] [--min-steps N] [--unmatched N]
//
// Exit status 0 when at least --min-steps (default 4) contacts match, at
// most --unmatched (default 0) contacts of A inside B's stretch have no
// match, and each difference is within
// its tolerance; 1 otherwise; 2 for bad arguments or files.
import { readFileSync } from 'node:fs';

function fail(msg) { console.error('gait_compare: ' + msg); process.exit(2); }
const args = process.argv.slice(2);
const files = [], opt = { frames: 2, cadence: 2, contact: 67, knee: 5, 'min-steps': 4, unmatched: 0 };
for (let i = 0; i < args.length; i++) {
  if (args[i].startsWith('--')) {
    const k = args[i].slice(2), v = Number(args[++i]);
    if (!(k in opt) || !(v >= 0)) fail(`bad option ${args[i - 1]} ${args[i]}`);
    opt[k] = v;
  } else files.push(args[i]);
}
if (files.length !== 2) fail('usage: gait_compare.mjs A.json B.json [--frames N] [--cadence SPM] [--contact MS] [--knee DEG] [--min-steps N] [--unmatched N]');
const read = (f) => { try { return JSON.parse(readFileSync(f, 'utf8')); } catch (e) { fail(`${f}: ${e.message}`); } };
const a = read(files[0]), b = read(files[1]);
if (!(a.fps > 0) || !(b.fps > 0) || !Array.isArray(a.steps) || !Array.isArray(b.steps)) fail('not gait answers with steps');
const fr = (r, s) => s.ic_s * r.fps;
const bFirst = Math.min(...b.steps.map((s) => fr(b, s))), bLast = Math.max(...b.steps.map((s) => fr(b, s)));
const pairs = [], unmatched = [];
for (const s of a.steps) {
  const f = fr(a, s);
  let best = null, bd = Infinity;
  for (const t of b.steps) {
    if (t.side !== s.side) continue;
    const d = Math.abs(fr(b, t) - f);
    if (d < bd) { bd = d; best = t; }
  }
  if (best && bd <= opt.frames) pairs.push([s, best]);
  else if (f >= bFirst - opt.frames && f <= bLast + opt.frames) unmatched.push(f.toFixed(1));
}
const median = (v) => { const w = v.filter(Number.isFinite).sort((x, y) => x - y); return w.length ? w[Math.floor((w.length - 1) / 2)] : NaN; };
const cad = (r, list) => {
  const f = list.map((s) => fr(r, s)).sort((x, y) => x - y);
  return f.length > 1 ? (f.length - 1) / ((f[f.length - 1] - f[0]) / r.fps) * 60 : NaN;
};
const ca = cad(a, pairs.map((p) => p[0])), cb = cad(b, pairs.map((p) => p[1]));
const dct = median(pairs.map(([s, t]) => Math.abs(s.contact_time_ms - t.contact_time_ms)));
const dk = median(pairs.map(([s, t]) => Math.abs(s.knee_flexion_ic_deg - t.knee_flexion_ic_deg)));
console.log(`contacts A ${a.steps.map((s) => fr(a, s).toFixed(1) + s.side[0]).join(' ')}`);
console.log(`contacts B ${b.steps.map((s) => fr(b, s).toFixed(1) + s.side[0]).join(' ')}`);
console.log(`matched within ${opt.frames} frames: ${pairs.length}; unmatched inside B's stretch: ${unmatched.length ? unmatched.join(' ') : 'none'}`);
console.log(`cadence over the matched contacts: A ${ca.toFixed(1)}, B ${cb.toFixed(1)} steps/min (tolerance ${opt.cadence})`);
console.log(`contact time, median difference per step: ${dct.toFixed(1)} ms (tolerance ${opt.contact})`);
console.log(`knee flexion at initial contact, median difference per step: ${dk.toFixed(1)} deg (tolerance ${opt.knee})`);
const ok = pairs.length >= opt['min-steps'] && unmatched.length <= opt.unmatched && Math.abs(ca - cb) <= opt.cadence &&
           dct <= opt.contact && dk <= opt.knee;
console.log(ok ? 'agree' : 'disagree');
process.exit(ok ? 0 : 1);
