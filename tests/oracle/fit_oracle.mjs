#!/usr/bin/env node
// Oracle test: decode FIT files with gaitkeeper and with the official Garmin FIT
// SDK for JavaScript, and compare the two message by message, in file order.
//
// Usage: node tests/oracle/fit_oracle.mjs --gaitkeeper PATH/TO/gaitkeeper
//                                         [--data DIR] [--timeout SECONDS] [FILES...]
//
// Without FILES, every .fit/.FIT file under DIR (default ../shared/data/fit beside
// the repository) is checked. For each file, `gaitkeeper fit dump --format jsonl
// FILE` is run (a non-zero exit status is allowed: damaged files) and its output is
// compared with the SDK's (see sdk_decode.mjs):
//   - same messages in the same order, up to where the SDK stopped on an error
//     (the SDK stops at its first error; only the messages before it are compared);
//   - same message names and same field keys (after dropping "_" and lower-casing);
//   - equal values: numbers within 1e-9 relative, strings exact (enum names compared
//     after the same normalisation as keys), arrays element-wise;
//   - the same developer fields, keyed by their field_name.
// Known, accepted deviation: a field whose size is not a multiple of its base type
// size is dropped by the SDK and decoded as its raw bytes by gaitkeeper; such
// fields are accepted when they hold exactly the file's bytes, and counted.
// Message numbers in the output are 1-based (= line numbers of gaitkeeper's JSONL).
//
// Prints one line per file, then "N passed, N failed". Exit status 0 only when no
// file failed; 1 when some did or the SDK is missing; 2 on usage errors.

import { spawnSync } from "node:child_process";
import { accessSync, constants, existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const scriptDir = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(scriptDir, "..", "..");
const defaultData = resolve(repoRoot, "..", "shared", "data", "fit");

const USAGE = "usage: fit_oracle.mjs --gaitkeeper PATH [--data DIR] [--timeout SECONDS] [FILES...]";

function usage(msg) {
    if (msg) process.stderr.write(`fit_oracle: ${msg}\n`);
    process.stderr.write(USAGE + "\n");
    process.exit(2);
}

// ---- arguments -------------------------------------------------------------
let gaitkeeper = null;
let dataDir = null;
let timeoutSeconds = 300;
const files = [];
{
    const args = process.argv.slice(2);
    for (let i = 0; i < args.length; i++) {
        const a = args[i];
        const takeValue = (name) => {
            if (a.startsWith(name + "=")) return a.slice(name.length + 1);
            if (i + 1 >= args.length) usage(`${name} needs a value`);
            return args[++i];
        };
        if (a === "-h" || a === "--help") {
            process.stdout.write(USAGE + "\n");
            process.exit(0);
        } else if (a === "--gaitkeeper" || a.startsWith("--gaitkeeper=")) gaitkeeper = takeValue("--gaitkeeper");
        else if (a === "--data" || a.startsWith("--data=")) dataDir = takeValue("--data");
        else if (a === "--timeout" || a.startsWith("--timeout=")) timeoutSeconds = Number(takeValue("--timeout"));
        else if (a.startsWith("--")) usage(`unknown option ${a}`);
        else files.push(a);
    }
    if (!gaitkeeper) usage("--gaitkeeper is required");
    if (!(timeoutSeconds > 0)) usage("--timeout must be a positive number of seconds");
}

function findFitFiles(dir) {
    const out = [];
    const walk = (d) => {
        for (const e of readdirSync(d, { withFileTypes: true })) {
            const p = join(d, e.name);
            let isDir = e.isDirectory();
            let isFile = e.isFile();
            if (e.isSymbolicLink()) {
                try {
                    const st = statSync(p);
                    isDir = st.isDirectory();
                    isFile = st.isFile();
                } catch { continue; }
            }
            if (isDir) walk(p);
            else if (isFile && /\.fit$/i.test(e.name)) out.push(p);
        }
    };
    walk(dir);
    return out.sort();
}

let targets;
if (files.length > 0) {
    targets = [];
    for (const f of files) {
        if (existsSync(f) && statSync(f).isDirectory()) targets.push(...findFitFiles(f));
        else targets.push(f);
    }
} else {
    const dir = dataDir ? resolve(dataDir) : defaultData;
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
        const shown = dataDir ?? "../shared/data/fit";
        process.stdout.write(`skipped: ${shown} not found (real-data tests need ../shared/data beside the project)\n`);
        process.stdout.write("0 passed, 0 failed\n");
        process.exit(0);
    }
    targets = findFitFiles(dir);
}

// ---- the SDK -----------------------------------------------------------------
let sdk;
try {
    sdk = await import("./sdk_decode.mjs");
} catch (e) {
    if (e?.code === "ERR_MODULE_NOT_FOUND") {
        process.stdout.write(
            "fit_oracle: the Garmin FIT SDK (@garmin/fitsdk 21.217.0) is not installed in tests/oracle/node_modules;\n" +
            "            run tests/oracle/setup.sh (needs npm and the npm registry) and try again\n");
        process.exit(1);
    }
    throw e;
}
const { decodeFit, normName, isEnumField, toJson, parseJsonExact } = sdk;

try {
    accessSync(gaitkeeper, constants.X_OK);
} catch {
    process.stderr.write(`fit_oracle: gaitkeeper not found or not executable: ${gaitkeeper}\n`);
    process.exit(2);
}

// ---- comparison ----------------------------------------------------------------
const isNum = (v) => typeof v === "number" || typeof v === "bigint";

function numEq(a, b) {
    if (typeof a === "bigint" && typeof b === "bigint") return a === b;
    if (typeof a === "bigint" || typeof b === "bigint") {
        const big = typeof a === "bigint" ? a : b;
        const num = typeof a === "bigint" ? b : a;
        if (Number.isSafeInteger(num)) return BigInt(num) === big;
        a = Number(a);
        b = Number(b);
    }
    if (a === b) return true;
    return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

function valEq(g, s, isEnum) {
    if (g == null || s == null) return g == null && s == null;
    if (Array.isArray(g) || Array.isArray(s)) {
        if (!Array.isArray(g) || !Array.isArray(s) || g.length !== s.length) return false;
        for (let i = 0; i < g.length; i++) if (!valEq(g[i], s[i], isEnum)) return false;
        return true;
    }
    if (typeof g === "string" && typeof s === "string") return isEnum ? normName(g) === normName(s) : g === s;
    if (isNum(g) && isNum(s)) return numEq(g, s);
    if (typeof g === "boolean" || typeof s === "boolean") return g === s;
    return false;
}

class Shown { constructor(text) { this.text = text; } }

function show(v) {
    if (v === undefined) return "(absent)";
    if (v instanceof Shown) return v.text;
    const t = toJson(v);
    return t.length > 160 ? t.slice(0, 157) + "..." : t;
}

// gaitkeeper's decoding of a field the SDK drops for being misaligned: its bytes.
function misalignedMatches(value, m) {
    const byteOk = (v, byte) => (v === byte) || (v === null && byte === 0xFF);
    if (Array.isArray(value)) {
        return value.length === m.bytes.length && value.every((v, i) => byteOk(v, m.bytes[i]));
    }
    return m.size === 1 && byteOk(value, m.bytes[0]);
}

function keyed(obj) {
    const map = new Map();
    for (const [k, v] of Object.entries(obj ?? {})) map.set(normName(k), [k, v]);
    return map;
}

// Returns {diff: {field, g, s} | null, misaligned: number of accepted byte fields}.
function compareMessage(g, s, meta) {
    let misaligned = 0;
    if (normName(g.mesg) !== normName(s.mesg)) {
        return { diff: { field: "(message name)", g: g.mesg, s: s.mesg }, misaligned };
    }
    const gf = keyed(g.fields);
    const sf = keyed(s.fields);
    let diff = null;
    const note = (field, gv, sv) => { diff ??= { field, g: gv, s: sv }; };
    for (const [k, [name, sv]] of sf) {
        const ge = gf.get(k);
        if (ge === undefined) { note(name, undefined, sv); continue; }
        if (!valEq(ge[1], sv, isEnumField(meta.num, name))) note(name, ge[1], sv);
    }
    for (const [k, [name, gv]] of gf) {
        if (sf.has(k)) continue;
        const m = meta.misaligned.find((x) => normName(x.key) === k);
        if (m && misalignedMatches(gv, m)) { misaligned++; continue; }
        note(name, gv, m ? new Shown(`(dropped: size ${m.size} misaligned; file bytes ${toJson(m.bytes)})`) : undefined);
    }
    const gd = g.developer_fields ?? {};
    const sd = s.developer_fields ?? {};
    for (const [name, sv] of Object.entries(sd)) {
        if (!Object.prototype.hasOwnProperty.call(gd, name)) { note(`developer_fields.${name}`, undefined, sv); continue; }
        if (!valEq(gd[name], sv, false)) note(`developer_fields.${name}`, gd[name], sv);
    }
    for (const [name, gv] of Object.entries(gd)) {
        if (!Object.prototype.hasOwnProperty.call(sd, name)) note(`developer_fields.${name}`, gv, undefined);
    }
    return { diff, misaligned };
}

function runGaitkeeper(file) {
    const r = spawnSync(gaitkeeper, ["fit", "dump", "--format", "jsonl", file], {
        maxBuffer: 2 ** 31 - 1,
        timeout: timeoutSeconds * 1000,
        stdio: ["ignore", "pipe", "pipe"],
    });
    const stderrTail = (r.stderr ?? Buffer.alloc(0)).toString("utf8").trim().split("\n").slice(-1)[0] ?? "";
    if (r.error) {
        const why = r.error.code === "ETIMEDOUT" ? `timed out after ${timeoutSeconds} s` : r.error.message;
        return { failure: `gaitkeeper ${why}` };
    }
    if (r.signal) return { failure: `gaitkeeper killed by ${r.signal}${stderrTail ? ` (${stderrTail})` : ""}` };
    const lines = r.stdout.toString("utf8").split("\n");
    const messages = [];
    for (let i = 0; i < lines.length; i++) {
        const line = lines[i].trim();
        if (line === "") continue;
        let m;
        try {
            m = parseJsonExact(line);
        } catch (e) {
            return { failure: `gaitkeeper output line ${i + 1} is not valid JSON (${e.message}): ${show(line)}` };
        }
        if (m === null || typeof m !== "object" || Array.isArray(m) || typeof m.mesg !== "string" ||
            m.fields === null || typeof m.fields !== "object" || Array.isArray(m.fields) ||
            (m.developer_fields !== undefined && (m.developer_fields === null || typeof m.developer_fields !== "object"))) {
            return { failure: `gaitkeeper output line ${i + 1} is not a {"mesg", "fields"} object: ${show(line)}` };
        }
        messages.push(m);
    }
    return { messages, status: r.status, stderrTail };
}

function checkFile(file) {
    const shown = relative(process.cwd(), file) || file;
    let buf;
    try {
        buf = readFileSync(file);
    } catch (e) {
        return { ok: false, line: `FAIL ${shown}: cannot read: ${e.message}` };
    }
    const sdkResult = decodeFit(buf);
    const sdkMsgs = sdkResult.messages;
    const sdkStopped = sdkResult.errors.length > 0;

    const gk = runGaitkeeper(file);
    if (gk.failure) return { ok: false, line: `FAIL ${shown}: ${gk.failure}` };
    const gkMsgs = gk.messages;

    const notes = [];
    let first = null;
    let differing = 0;
    let misaligned = 0;
    const n = Math.min(gkMsgs.length, sdkMsgs.length);
    for (let i = 0; i < n; i++) {
        const r = compareMessage(gkMsgs[i], sdkMsgs[i], sdkResult.meta[i]);
        misaligned += r.misaligned;
        if (r.diff) {
            differing++;
            first ??= { index: i, ...r.diff, mesg: sdkMsgs[i].mesg };
        }
    }
    if (gkMsgs.length < sdkMsgs.length) {
        differing += sdkMsgs.length - gkMsgs.length;
        first ??= {
            index: gkMsgs.length, mesg: sdkMsgs[gkMsgs.length].mesg, field: "(message)",
            g: undefined, s: `${sdkMsgs.length} messages`, count: true,
        };
    } else if (gkMsgs.length > sdkMsgs.length && !sdkStopped) {
        differing += gkMsgs.length - sdkMsgs.length;
        first ??= {
            index: sdkMsgs.length, mesg: gkMsgs[sdkMsgs.length].mesg, field: "(message)",
            g: `${gkMsgs.length} messages`, s: undefined, count: true,
        };
    }

    if (sdkStopped) {
        notes.push(`sdk stopped after ${sdkMsgs.length} messages: ${sdkResult.errors[0]}`);
        if (gkMsgs.length > sdkMsgs.length) notes.push(`gaitkeeper decoded ${gkMsgs.length - sdkMsgs.length} more`);
    }
    if (misaligned > 0) notes.push(`${misaligned} misaligned field${misaligned === 1 ? "" : "s"} decoded as bytes`);
    if (gk.status !== 0) notes.push(`gaitkeeper exit status ${gk.status}${gk.stderrTail ? `: ${gk.stderrTail}` : ""}`);

    if (first) {
        const where = first.count
            ? `message count differs at message #${first.index + 1} (${first.mesg}): gaitkeeper=${gkMsgs.length} sdk=${sdkMsgs.length}`
            : `first difference at message #${first.index + 1} (${first.mesg}), field ${first.field}: ` +
              `gaitkeeper=${show(first.g)} sdk=${show(first.s)}`;
        const total = Math.max(gkMsgs.length, sdkMsgs.length);
        notes.unshift(`${differing} of ${total} messages differ`);
        return { ok: false, line: `FAIL ${shown}: ${where} (${notes.join("; ")})` };
    }
    return { ok: true, line: `ok ${shown} (${n} messages${notes.length ? "; " + notes.join("; ") : ""})` };
}

// ---- main --------------------------------------------------------------------------
let passed = 0;
let failed = 0;
for (const f of targets) {
    let r;
    try {
        r = checkFile(f);
    } catch (e) {
        r = { ok: false, line: `FAIL ${relative(process.cwd(), f) || f}: oracle error: ${e?.message ?? e}` };
    }
    process.stdout.write(r.line + "\n");
    if (r.ok) passed++; else failed++;
}
process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exitCode = failed === 0 ? 0 : 1;
