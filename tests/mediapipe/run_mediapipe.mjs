#!/usr/bin/env node
// MediaPipe itself on a video: the reference gaitkeeper's BlazePose is compared
// against, and its benchmark peer.
//
//   node tests/mediapipe/run_mediapipe.mjs VIDEO OUT.json [--model lite|full|heavy] [--frames N]
//
// Decodes VIDEO with the ffmpeg CLI (rotation applied as ffmpeg's autorotate
// does) to raw RGBA, serves the frames, a small page and tasks-vision's wasm
// over http on 127.0.0.1 (a random port), and runs PoseLandmarker (VIDEO mode,
// one pose, CPU delegate) in Debian's headless Chromium frame by frame with the
// stream's timestamps.  The models are the files gaitkeeper runs, bundled at run
// time into a temporary .task (see task_bundle.mjs).
//
// Writes OUT.json in the shape `gaitkeeper video --format mediapipe` writes: a
// list of frames, each a list of 33 {x, y, z, visibility} normalised to the
// image, or [] when no person was found; and OUT.json.timing.json.
// Exit status: 0 written, 1 failure, 2 usage.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MODELS, modelsDir, writePoseTask } from './task_bundle.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const CHROMIUM = process.env.GK_CHROMIUM || '/usr/bin/chromium';
const FFMPEG = process.env.GK_FFMPEG || 'ffmpeg';
const MAX_QUEUED_FRAMES = 8;   // decoded frames held before ffmpeg is paused
const MAX_PIXELS = 8192 * 8192;

function usage(msg) {
  if (msg) process.stderr.write(`run_mediapipe.mjs: ${msg}\n`);
  process.stderr.write('usage: run_mediapipe.mjs VIDEO OUT.json [--model lite|full|heavy] [--frames N]\n');
  process.exit(2);
}

function parseArgs(argv) {
  const opt = { model: 'full', frames: 0, positional: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--model') {
      opt.model = argv[++i];
      if (!MODELS.includes(opt.model)) usage(`--model must be lite, full or heavy, not '${opt.model}'`);
    } else if (a === '--frames') {
      const v = argv[++i];
      if (!/^[1-9][0-9]*$/.test(v ?? '')) usage(`--frames needs a positive whole number, not '${v}'`);
      opt.frames = Number(v);
    } else if (a.startsWith('--')) {
      usage(`unknown option ${a}`);
    } else {
      opt.positional.push(a);
    }
  }
  if (opt.positional.length !== 2) usage();
  [opt.video, opt.out] = opt.positional;
  return opt;
}

// ffmpeg decodes; its showinfo filter (after the autorotate filters ffmpeg
// inserts itself) reports each frame's size and pts_time on stderr, in order.
// Frames are handed out by number; ffmpeg is paused while enough are queued.
class FrameSource {
  constructor(video, maxFrames) {
    const args = ['-hide_banner', '-nostdin', '-loglevel', 'info', '-autorotate', '1', '-i', video,
      '-map', '0:v:0', '-an', '-sn', '-dn', '-vf', 'showinfo', '-fps_mode', 'passthrough'];
    if (maxFrames > 0) args.push('-frames:v', String(maxFrames));
    args.push('-f', 'rawvideo', '-pix_fmt', 'rgba', 'pipe:1');
    this.proc = spawn(FFMPEG, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.infos = [];     // {width, height, ms} per frame, from showinfo
    this.frames = new Map();
    this.next = 0;       // number of the frame being assembled from stdout
    this.chunks = [];
    this.have = 0;
    this.done = false;
    this.error = null;
    this.waiters = [];
    this.stderrTail = '';
    let line = '';
    this.proc.stderr.setEncoding('utf8');
    this.proc.stderr.on('data', (s) => {
      line += s;
      let nl;
      while ((nl = line.search(/[\r\n]/)) >= 0) {
        this.onLog(line.slice(0, nl));
        line = line.slice(nl + 1);
      }
    });
    this.proc.stdout.on('data', (b) => { this.chunks.push(b); this.have += b.length; this.assemble(); });
    this.proc.on('error', (e) => this.fail(`cannot run ${FFMPEG}: ${e.message}`));
    this.proc.on('close', (code) => {
      this.assemble();
      if (code !== 0 && !this.stopped) {
        this.fail(`ffmpeg exited with status ${code}: ${this.stderrTail.trim().split('\n').slice(-3).join(' | ')}`);
      } else {
        if (this.have !== 0 && !this.stopped) this.fail(`ffmpeg left ${this.have} bytes of a partial frame`);
        this.done = true;
        this.wake();
      }
    });
  }

  onLog(l) {
    if (!l.includes('Parsed_showinfo')) {
      if (l.trim()) this.stderrTail = (this.stderrTail + l + '\n').slice(-2000);
      return;
    }
    const n = /\bn:\s*(\d+)/.exec(l);
    const s = /\bs:(\d+)x(\d+)/.exec(l);
    if (!n || !s) return;
    const t = /\bpts_time:(\S+)/.exec(l);
    const sec = t ? Number(t[1]) : NaN;
    this.infos[Number(n[1])] = { width: Number(s[1]), height: Number(s[2]), sec };
    this.assemble();
  }

  assemble() {
    for (;;) {
      const info = this.infos[this.next];
      if (!info) return;
      if (info.width * info.height > MAX_PIXELS || info.width <= 0 || info.height <= 0) {
        this.fail(`frame ${this.next}: size ${info.width}x${info.height} out of range`);
        return;
      }
      if (this.infos[0] && (info.width !== this.infos[0].width || info.height !== this.infos[0].height)) {
        this.fail(`frame ${this.next}: size changed to ${info.width}x${info.height}`);
        return;
      }
      const size = info.width * info.height * 4;
      if (this.have < size) return;
      const all = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
      const pixels = all.subarray(0, size);
      const rest = all.subarray(size);
      this.chunks = rest.length ? [rest] : [];
      this.have = rest.length;
      this.frames.set(this.next, { width: info.width, height: info.height, ms: this.timestamp(info.sec), pixels });
      this.next++;
      if (this.frames.size >= MAX_QUEUED_FRAMES) this.proc.stdout.pause();
      this.wake();
    }
  }

  // detectForVideo needs strictly increasing timestamps (ms): the stream's
  // pts; a frame without one, or not after the one before, gets the previous
  // timestamp plus the last frame interval seen (1/30 s to begin with).
  timestamp(sec) {
    const ms = sec * 1000;
    let out;
    if (Number.isFinite(ms) && (this.lastMs === undefined || ms > this.lastMs)) {
      if (this.lastMs !== undefined) this.interval = ms - this.lastMs;
      out = ms;
    } else {
      out = this.lastMs === undefined ? 0 : this.lastMs + (this.interval || 1000 / 30);
    }
    this.lastMs = out;
    return out;
  }

  fail(msg) {
    if (!this.error) this.error = new Error(msg);
    this.wake();
  }

  wake() {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  // Frame n ({width, height, sec, pixels}), or null after the last frame.
  async get(n) {
    for (;;) {
      if (this.error) throw this.error;
      const f = this.frames.get(n);
      if (f) {
        this.frames.delete(n);
        if (this.frames.size < MAX_QUEUED_FRAMES) this.proc.stdout.resume();
        return f;
      }
      if (this.done && n >= this.next) return null;
      await new Promise((r) => this.waiters.push(r));
    }
  }

  stop() {
    this.stopped = true;
    if (this.proc.exitCode === null) this.proc.kill('SIGKILL');
  }
}

const TYPES = { '.html': 'text/html', '.mjs': 'text/javascript', '.js': 'text/javascript',
  '.wasm': 'application/wasm', '.task': 'application/octet-stream', '.map': 'application/json' };

// Serves /, /tasks-vision/* (from node_modules), /model.task and /frame/N.
function startServer(source, taskPath) {
  const tvRoot = resolve(here, 'node_modules/@mediapipe/tasks-vision');
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url, 'http://127.0.0.1');
      const path = decodeURIComponent(url.pathname);
      const frame = /^\/frame\/(\d+)$/.exec(path);
      if (frame) {
        const f = await source.get(Number(frame[1]));
        if (!f) { res.writeHead(204); res.end(); return; }
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'x-width': f.width,
          'x-height': f.height, 'x-timestamp-ms': String(f.ms), 'content-length': f.pixels.length });
        res.end(f.pixels);
        return;
      }
      let file = null;
      if (path === '/' || path === '/index.html') file = join(here, 'page.html');
      else if (path === '/model.task') file = taskPath;
      else if (path.startsWith('/tasks-vision/')) {
        const p = normalize(join(tvRoot, path.slice('/tasks-vision/'.length)));
        if (p.startsWith(tvRoot + sep)) file = p;
      }
      if (!file || !existsSync(file) || !statSync(file).isFile()) {
        res.writeHead(404); res.end(); return;
      }
      const body = readFileSync(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] || 'application/octet-stream',
        'content-length': body.length });
      res.end(body);
    } catch (e) {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(e.message));
    }
  });
  return new Promise((ok, bad) => {
    server.on('error', bad);
    server.listen(0, '127.0.0.1', () => ok(server));
  });
}

async function main() {
  const t0 = performance.now();
  const opt = parseArgs(process.argv.slice(2));
  if (!existsSync(opt.video)) { process.stderr.write(`run_mediapipe.mjs: ${opt.video}: no such file\n`); return 1; }
  if (!existsSync(join(here, 'node_modules/@mediapipe/tasks-vision/vision_bundle.mjs')) ||
      !existsSync(join(here, 'node_modules/puppeteer-core'))) {
    process.stderr.write('run_mediapipe.mjs: tasks-vision or puppeteer-core missing: run tests/mediapipe/setup.sh\n');
    return 1;
  }
  if (!existsSync(join(modelsDir(), `pose_landmark_${opt.model}.tflite`))) {
    process.stderr.write(`run_mediapipe.mjs: models missing in ${modelsDir()}: run scripts/setup-models.sh\n`);
    return 1;
  }
  const { default: puppeteer } = await import('puppeteer-core');

  const tmp = mkdtempSync(join(tmpdir(), 'gk-mediapipe-'));
  const taskPath = join(tmp, `pose_landmarker_${opt.model}.task`);
  let source = null, server = null, browser = null;
  try {
    writePoseTask(opt.model, taskPath);
    source = new FrameSource(opt.video, opt.frames);
    server = await startServer(source, taskPath);
    const port = server.address().port;
    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      ignoreDefaultArgs: true,
      pipe: true,
      args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
        `--user-data-dir=${join(tmp, 'profile')}`, '--remote-debugging-pipe', 'about:blank'],
      protocolTimeout: 0,
    });
    const page = await browser.newPage();
    const consoleLines = [];
    page.on('console', (m) => consoleLines.push(m.text()));
    page.on('pageerror', (e) => consoleLines.push(`page error: ${e.message}`));
    await page.goto(`http://127.0.0.1:${port}/`, { waitUntil: 'load' });
    await page.waitForFunction('window.gkReady === true', { timeout: 60000 });
    let run;
    try {
      run = await page.evaluate(() => window.gkRun());
    } catch (e) {
      throw new Error(`${e.message}${consoleLines.length ? '\n' + consoleLines.slice(-10).join('\n') : ''}`);
    }
    await browser.close();
    browser = null;
    writeFileSync(opt.out, JSON.stringify(run.frames) + '\n');
    const seconds = (performance.now() - t0) / 1000;
    const detectSeconds = run.detectMs / 1000;
    const n = run.frames.length;
    const timing = {
      video: resolve(opt.video), model: opt.model, width: run.width, height: run.height,
      frames: n, frames_with_person: run.frames.filter((f) => f.length > 0).length,
      seconds_end_to_end: round(seconds, 3), seconds_detect: round(detectSeconds, 3),
      seconds_setup: round(run.setupMs / 1000, 3),
      seconds_waiting_for_frames: round(run.waitMs / 1000, 3),
      fps_end_to_end: round(n / seconds, 2), fps_detect: round(detectSeconds > 0 ? n / detectSeconds : 0, 2),
    };
    writeFileSync(`${opt.out}.timing.json`, JSON.stringify(timing, null, 2) + '\n');
    process.stdout.write(`${opt.model}: ${n} frames (${timing.frames_with_person} with a person), ` +
      `${timing.fps_end_to_end} frames/s end to end, ${timing.fps_detect} frames/s in detectForVideo\n`);
    return 0;
  } finally {
    if (browser) await browser.close().catch(() => {});
    if (server) server.close();
    if (source) source.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

function round(v, d) { const k = 10 ** d; return Math.round(v * k) / k; }

main().then((rc) => process.exit(rc), (e) => {
  process.stderr.write(`run_mediapipe.mjs: ${e.message}\n`);
  process.exit(1);
});
