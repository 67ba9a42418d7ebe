#!/usr/bin/env node
// ctest mediapipe_reference: MediaPipe's PoseLandmarker (full model) on the
// first FRAMES frames of ../shared/data/pose/videos/sports2d_demo.mp4 (1768x994
// VP9, one person jumping off a box), and checks that the output is sane:
// the right number of frames in gaitkeeper's shape, a person in most of them,
// coordinates within the image, a track that moves smoothly, a timing file.
// Then rotation: the first TURNED_FRAMES frames turned a quarter clockwise and
// stored losslessly (x264 -qp 0) with a 90-degree rotation tag, so that ffmpeg's
// autorotate gives back exactly the original pixels: the same landmarks, to the
// last digit, as the upright run's first frames (VIDEO mode is causal).
// Skips, saying so, when the clip, Chromium or ffmpeg is absent; fails when the
// npm packages or the models are missing (tests/mediapipe/setup.sh,
// scripts/setup-models.sh).
//
//   node tests/mediapipe/test_reference.mjs SHARED_DATA_DIR
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const FRAMES = 120;              // about 20 s on two cores; the clip has 230
const TURNED_FRAMES = 20;        // about 6 s more
const WIDTH = 1768, HEIGHT = 994;
const MIN_PERSON_SHARE = 0.9;    // the person is in view from frame 0 on
const MAX_VISIBLE_OUTSIDE = 0.05;
const MARGIN = 0.1;              // landmarks may lie a little outside the image

const shared = process.argv[2] || join(here, '../../../shared/data');
const video = join(shared, 'pose/videos/sports2d_demo.mp4');
const chromium = process.env.GK_CHROMIUM || '/usr/bin/chromium';

let passed = 0, failed = 0;
function check(name, ok, detail = '') {
  if (ok) passed++; else failed++;
  process.stdout.write(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? ': ' + detail : ''}\n`);
}
function finish() {
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  process.exit(failed ? 1 : 0);
}
function skip(why) {
  process.stdout.write(`skipped: ${why}\n`);
  finish();
}

if (!existsSync(video)) skip(`${video} not found (real-data tests need ../shared/data beside the project)`);
if (!existsSync(chromium)) skip(`${chromium} not found (Debian: apt-get install chromium)`);
if (spawnSync('ffmpeg', ['-version']).status !== 0) skip('ffmpeg not found (Debian: apt-get install ffmpeg)');

const tmp = mkdtempSync(join(tmpdir(), 'gk-mp-test-'));
const out = join(tmp, 'sports2d_demo.json');
try {
  const t0 = Date.now();
  const run = spawnSync(process.execPath, [join(here, 'run_mediapipe.mjs'), video, out,
    '--model', 'full', '--frames', String(FRAMES)], { encoding: 'utf8', timeout: 240000 });
  process.stdout.write(run.stdout || '');
  process.stderr.write(run.stderr || '');
  check('run_mediapipe.mjs exits 0', run.status === 0, `status ${run.status}, ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  if (run.status !== 0) finish();

  const frames = JSON.parse(readFileSync(out, 'utf8'));
  check(`${FRAMES} frames`, Array.isArray(frames) && frames.length === FRAMES, `got ${frames.length}`);
  const shapeOk = frames.every((f) => Array.isArray(f) && (f.length === 0 || (f.length === 33 &&
    f.every((p) => ['x', 'y', 'z', 'visibility'].every((k) => Number.isFinite(p[k]))))));
  check('every frame [] or 33 {x, y, z, visibility}', shapeOk);
  const withPerson = frames.filter((f) => f.length === 33);
  check('a person in most frames', withPerson.length >= MIN_PERSON_SHARE * FRAMES,
    `${withPerson.length}/${FRAMES}`);
  const all = withPerson.flat();
  const inRange = all.every((p) => p.x >= -MARGIN && p.x <= 1 + MARGIN && p.y >= -MARGIN && p.y <= 1 + MARGIN &&
    p.visibility >= 0 && p.visibility <= 1);
  check(`every landmark within ${MARGIN} of the image, visibility in [0, 1]`, inRange);
  const visible = all.filter((p) => p.visibility >= 0.5);
  const outside = visible.filter((p) => p.x < 0 || p.x > 1 || p.y < 0 || p.y > 1).length;
  check('visible landmarks inside the image', visible.length > 0 && outside <= MAX_VISIBLE_OUTSIDE * visible.length,
    `${outside} of ${visible.length} outside`);
  // The person (about 300 px tall) moves a few pixels a frame: the median of
  // the per-frame median landmark movements stays under 1% of the diagonal.
  const diag = Math.hypot(WIDTH, HEIGHT);
  const moves = [];
  for (let i = 1; i < frames.length; i++) {
    const a = frames[i - 1], b = frames[i];
    if (a.length !== 33 || b.length !== 33) continue;
    const d = b.map((p, k) => Math.hypot((p.x - a[k].x) * WIDTH, (p.y - a[k].y) * HEIGHT)).sort((u, v) => u - v);
    moves.push(d[16]);
  }
  moves.sort((u, v) => u - v);
  const medianMove = moves.length ? moves[moves.length >> 1] : Infinity;
  check('the track moves smoothly', medianMove < 0.01 * diag, `median movement ${medianMove.toFixed(1)} px a frame`);
  // The nose above the hips in every frame (the clip is upright).
  const upright = withPerson.filter((f) => f[0].y < (f[23].y + f[24].y) / 2).length;
  check('upright: the nose above the hips', upright === withPerson.length, `${upright}/${withPerson.length}`);

  const timing = JSON.parse(readFileSync(`${out}.timing.json`, 'utf8'));
  check('timing: frames, sizes and rates', timing.frames === FRAMES && timing.width === WIDTH &&
    timing.height === HEIGHT && timing.fps_end_to_end > 0 && timing.fps_detect >= timing.fps_end_to_end,
  `${timing.fps_end_to_end} frames/s end to end, ${timing.fps_detect} in detectForVideo`);

  // Rotation, honoured as ffmpeg's autorotate does.
  const turned0 = join(tmp, 'turned0.mp4'), turned = join(tmp, 'turned.mp4');
  const ff = (args) => spawnSync('ffmpeg', ['-v', 'error', '-nostdin', '-y', ...args], { encoding: 'utf8' });
  let made = ff(['-i', video, '-frames:v', String(TURNED_FRAMES), '-an', '-vf', 'transpose=clock',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-qp', '0', turned0]);
  if (made.status === 0) made = ff(['-i', turned0, '-c', 'copy', '-metadata:s:v:0', 'rotate=90', turned]);
  if (made.status !== 0) {
    process.stdout.write(`skipped the rotation part: ffmpeg could not write the turned clip: ${made.stderr.trim()}\n`);
  } else {
    const tout = join(tmp, 'turned.json');
    const r = spawnSync(process.execPath, [join(here, 'run_mediapipe.mjs'), turned, tout, '--model', 'full'],
      { encoding: 'utf8', timeout: 120000 });
    process.stderr.write(r.stderr || '');
    check('turned clip: run_mediapipe.mjs exits 0', r.status === 0, `status ${r.status}`);
    if (r.status === 0) {
      const t = JSON.parse(readFileSync(`${tout}.timing.json`, 'utf8'));
      check('turned clip: frames upright again', t.width === WIDTH && t.height === HEIGHT, `${t.width}x${t.height}`);
      const got = JSON.parse(readFileSync(tout, 'utf8'));
      const want = frames.slice(0, TURNED_FRAMES);
      check('turned clip: the same landmarks as upright', JSON.stringify(got) === JSON.stringify(want),
        `${got.filter((f) => f.length).length} of ${TURNED_FRAMES} frames with a person`);
    }
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
finish();
