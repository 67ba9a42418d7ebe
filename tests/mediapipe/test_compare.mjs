#!/usr/bin/env node
// ctest mediapipe_compare: compare.mjs on hand-made tracks (data/, image
// 1000x1000, so the default threshold is 2% of 1414.2 = 28.3 px).
//   ref.json       frames 0-2 a person, frame 3 nobody
//   agree.json     frame 1 all landmarks 3 px right, frame 2 4 px down but the
//                  nose 100 px down, frame 3 a person: agrees (exit 0)
//   disagree.json  frame 1 all 50 px right, frames 2-3 nobody: 1 of 2 compared
//                  frames within 28.3 px (exit 1); within --px 60 (exit 0)
//   nobody.json    nobody in any frame: nothing compared (exit 1)
//   bad_count.json a frame of 32 landmarks (exit 2)
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const data = (f) => join(here, 'data', f);
let passed = 0, failed = 0;

function run(args) {
  const r = spawnSync(process.execPath, [join(here, 'compare.mjs'), ...args], { encoding: 'utf8' });
  return { status: r.status, out: r.stdout, err: r.stderr };
}
function expect(name, args, status, lines) {
  const r = run(args);
  const missing = lines.filter((l) => !r.out.split('\n').includes(l) && !r.err.includes(l));
  const ok = r.status === status && missing.length === 0;
  if (ok) passed++; else failed++;
  process.stdout.write(`${ok ? 'ok  ' : 'FAIL'} ${name}\n`);
  if (!ok) process.stdout.write(`  exit ${r.status} (want ${status}); missing: ${JSON.stringify(missing)}\n${r.out}${r.err}`);
}

const size = ['--width', '1000', '--height', '1000'];
expect('agreeing tracks', [data('ref.json'), data('agree.json'), ...size], 0, [
  'frames compared: 3', 'frames only in A: 0', 'frames only in B: 1',
  'landmark distance px: median 3.0, p95 4.0', 'frames within 28.3 px: 3/3 (100.0%)', 'agree']);
expect('disagreeing tracks', [data('ref.json'), data('disagree.json'), ...size], 1, [
  'frames compared: 2', 'frames only in A: 1', 'frames only in B: 0',
  'landmark distance px: median 25.0, p95 50.0', 'frames within 28.3 px: 1/2 (50.0%)']);
expect('--px widens the threshold', [data('ref.json'), data('disagree.json'), ...size, '--px', '60'], 0, [
  'frames within 60.0 px: 2/2 (100.0%)']);
expect('the other way round', [data('disagree.json'), data('ref.json'), ...size], 1, [
  'frames only in A: 0', 'frames only in B: 1']);
expect('a track with itself', [data('agree.json'), data('agree.json'), ...size], 0, [
  'frames compared: 4', 'landmark distance px: median 0.0, p95 0.0']);
expect('x scaled by the width, y by the height', [data('ref.json'), data('agree.json'), '--width', '2000', '--height', '500'], 0, [
  'landmark distance px: median 2.0, p95 6.0']);
expect('a tiny --px', [data('ref.json'), data('disagree.json'), ...size, '--px', '0.5'], 1, [
  'frames within 0.5 px: 1/2 (50.0%)']);
expect('nothing to compare fails', [data('ref.json'), data('nobody.json'), ...size], 1, [
  'frames compared: 0', 'frames only in A: 3', 'landmark distance px: median n/a, p95 n/a']);
expect('a frame of 32 landmarks', [data('ref.json'), data('bad_count.json'), ...size], 2, [
  'frame 0 is not a list of 0 or 33 landmarks']);
expect('no --height', [data('ref.json'), data('agree.json'), '--width', '1000'], 2, ['usage: compare.mjs']);
expect('a missing file', [data('ref.json'), data('absent.json'), ...size], 2, ['absent.json']);

expect('--same-person keeps the same person', [data('ref.json'), data('agree.json'), ...size, '--same-person'], 0, [
  'frames compared: 3', 'frames with different people: 0', 'agree']);
expect('--same-person: someone else is not compared', [data('ref.json'), data('other_person.json'), ...size, '--same-person'], 1, [
  'frames compared: 0', 'frames with different people: 3']);
expect('without --same-person the other person is compared', [data('ref.json'), data('other_person.json'), ...size], 1, [
  'frames compared: 3', 'frames within 28.3 px: 0/3 (0.0%)']);

process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exit(failed ? 1 : 0);
