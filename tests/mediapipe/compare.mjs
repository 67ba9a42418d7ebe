#!/usr/bin/env node
// Compares two pose tracks in the shape `gaitkeeper video --format mediapipe`
// and run_mediapipe.mjs write (a list of frames, each a list of 33
// {x, y, z, visibility} normalised to the image, or [] when nobody was found).
//
//   node tests/mediapipe/compare.mjs A.json B.json --width W --height H [--px N]
//
// For every frame where both found a person: the 33 landmarks' distances in
// pixels (x scaled by W, y by H; z and visibility are not compared).  Prints the
// frames compared, the frames where only A or only B found a person (a frame
// missing from the shorter file counts as nobody found), the median and 95th
// percentile over all those landmark distances, and the share of compared frames
// whose median landmark distance is within N px (default: 2% of the image
// diagonal).  With --same-person, a frame is compared only when both tracks
// hold the same person: their hips' midpoints (landmarks 23, 24) closer than
// the longer of their two torsos (shoulders' to hips' midpoint); frames where
// each follows someone else are counted apart ("different people"), as when
// one tool follows a bystander the other does not.  Exit status: 0 when that share is at least 95%, 1 when it is
// lower (or no frame could be compared), 2 for bad arguments or files.
import { readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const LANDMARKS = 33;
export const PASS_SHARE = 0.95;
export const DEFAULT_PX_SHARE_OF_DIAGONAL = 0.02;

class InputError extends Error {}

function usage(msg) {
  throw new InputError(`${msg ? msg + '\n' : ''}usage: compare.mjs A.json B.json --width W --height H [--px N] [--same-person]`);
}

function positive(name, v) {
  const n = Number(v);
  if (v === undefined || !/^[0-9]+(\.[0-9]+)?$/.test(v) || !(n > 0)) usage(`${name} needs a positive number, not '${v}'`);
  return n;
}

export function parseArgs(argv) {
  const opt = { files: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--width') opt.width = positive('--width', argv[++i]);
    else if (a === '--height') opt.height = positive('--height', argv[++i]);
    else if (a === '--px') opt.px = positive('--px', argv[++i]);
    else if (a === '--same-person') opt.samePerson = true;
    else if (a.startsWith('--')) usage(`unknown option ${a}`);
    else opt.files.push(a);
  }
  if (opt.files.length !== 2 || !opt.width || !opt.height) usage();
  if (opt.px === undefined) opt.px = DEFAULT_PX_SHARE_OF_DIAGONAL * Math.hypot(opt.width, opt.height);
  return opt;
}

// A track: frames of [] or of 33 landmarks with finite x and y.
export function loadTrack(path) {
  let data;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new InputError(`${path}: ${e.message}`);
  }
  if (!Array.isArray(data)) throw new InputError(`${path}: not a list of frames`);
  data.forEach((frame, i) => {
    if (!Array.isArray(frame) || (frame.length !== 0 && frame.length !== LANDMARKS)) {
      throw new InputError(`${path}: frame ${i} is not a list of 0 or ${LANDMARKS} landmarks`);
    }
    frame.forEach((p, k) => {
      if (p === null || typeof p !== 'object' || !Number.isFinite(p.x) || !Number.isFinite(p.y)) {
        throw new InputError(`${path}: frame ${i} landmark ${k} has no finite x and y`);
      }
    });
  });
  return data;
}

// Linear interpolation between closest ranks (numpy's default) of sorted v.
export function percentile(sorted, q) {
  if (sorted.length === 0) return NaN;
  const r = q * (sorted.length - 1);
  const lo = Math.floor(r), hi = Math.ceil(r);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (r - lo);
}

const ascending = (a, b) => a - b;

const mid = (f, i, j, width, height) => [(f[i].x + f[j].x) / 2 * width, (f[i].y + f[j].y) / 2 * height];

// The same person in two frames of 33 landmarks (see --same-person).
export function samePerson(fa, fb, width, height) {
  const ha = mid(fa, 23, 24, width, height), hb = mid(fb, 23, 24, width, height);
  const sa = mid(fa, 11, 12, width, height), sb = mid(fb, 11, 12, width, height);
  const torso = Math.max(Math.hypot(sa[0] - ha[0], sa[1] - ha[1]), Math.hypot(sb[0] - hb[0], sb[1] - hb[1]));
  return Math.hypot(ha[0] - hb[0], ha[1] - hb[1]) < torso;
}

export function compareTracks(a, b, { width, height, px, samePerson: same }) {
  const n = Math.max(a.length, b.length);
  let onlyA = 0, onlyB = 0, within = 0, different = 0;
  const all = [];
  const frameMedians = [];
  for (let i = 0; i < n; i++) {
    const fa = a[i] || [], fb = b[i] || [];
    if (fa.length && !fb.length) onlyA++;
    else if (!fa.length && fb.length) onlyB++;
    if (!fa.length || !fb.length) continue;
    if (same && !samePerson(fa, fb, width, height)) {
      different++;
      continue;
    }
    const d = fa.map((p, k) => Math.hypot((p.x - fb[k].x) * width, (p.y - fb[k].y) * height));
    all.push(...d);
    const m = percentile(d.sort(ascending), 0.5);
    frameMedians.push(m);
    if (m <= px) within++;
  }
  all.sort(ascending);
  const compared = frameMedians.length;
  return {
    framesA: a.length, framesB: b.length, compared, onlyA, onlyB, px, different, same: !!same,
    median: percentile(all, 0.5), p95: percentile(all, 0.95),
    within, share: compared ? within / compared : 0,
  };
}

export function report(r) {
  const f = (v) => (Number.isFinite(v) ? v.toFixed(1) : 'n/a');
  return [
    `frames: A ${r.framesA}, B ${r.framesB}`,
    `frames compared: ${r.compared}`,
    `frames only in A: ${r.onlyA}`,
    `frames only in B: ${r.onlyB}`,
    ...(r.same ? [`frames with different people: ${r.different}`] : []),
    `landmark distance px: median ${f(r.median)}, p95 ${f(r.p95)}`,
    `frames within ${r.px.toFixed(1)} px: ${r.within}/${r.compared} (${(100 * r.share).toFixed(1)}%)`,
    r.share >= PASS_SHARE ? 'agree' : `disagree: fewer than ${100 * PASS_SHARE}% of the frames within ${r.px.toFixed(1)} px`,
  ].join('\n') + '\n';
}

function main() {
  try {
    const opt = parseArgs(process.argv.slice(2));
    const r = compareTracks(loadTrack(opt.files[0]), loadTrack(opt.files[1]), opt);
    process.stdout.write(report(r));
    return r.share >= PASS_SHARE ? 0 : 1;
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    process.stderr.write(`compare.mjs: ${e.message}\n`);
    return 2;
  }
}

if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = main();
