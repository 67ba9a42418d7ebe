#!/usr/bin/env node
// The official SDK's side of the import benchmark (tools/bench_import.sh).
//
// Usage: node tools/bench_sdk_decode_dir.mjs DIR
//
// Reads every regular file in DIR (not timed), then decodes each once with
// the official Garmin FIT SDK for JavaScript (the one tests/oracle/setup.sh
// installs), as an application would: `new Decoder(Stream.fromBuffer(buf))`
// and `read()` with the SDK's default options (scale and offset, subfields,
// components, type names, dates, merged heart rates). Only the decoding is
// timed. Prints one JSON line:
//   {"files", "bytes", "messages", "errors", "seconds", "files_per_s", "mb_per_s"}
// MB = 10^6 bytes.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const dir = process.argv[2];
if (!dir || process.argv.length > 3) {
    process.stderr.write("usage: bench_sdk_decode_dir.mjs DIR\n");
    process.exit(2);
}

const sdkPath = resolve(dirname(fileURLToPath(import.meta.url)), "..", "tests", "oracle",
    "node_modules", "@garmin", "fitsdk", "src", "index.js");
let sdk;
try {
    sdk = await import(pathToFileURL(sdkPath).href);
} catch (e) {
    process.stderr.write(`bench_sdk_decode_dir: the Garmin FIT SDK is not installed (${sdkPath}); ` +
        "run tests/oracle/setup.sh first\n");
    process.exit(1);
}
const { Decoder, Stream } = sdk;

const bufs = [];
let bytes = 0;
for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (!statSync(p).isFile()) continue;
    const b = readFileSync(p);
    bufs.push(b);
    bytes += b.length;
}

const now = () => Number(process.hrtime.bigint()) / 1e9;
let messages = 0, errors = 0;
const t0 = now();
for (const b of bufs) {
    const { messages: m, errors: e } = new Decoder(Stream.fromBuffer(b)).read();
    for (const k in m) messages += m[k].length;
    errors += e.length;
}
const seconds = now() - t0;
process.stdout.write(JSON.stringify({
    files: bufs.length,
    bytes,
    messages,
    errors,
    seconds: Number(seconds.toPrecision(6)),
    files_per_s: Number((bufs.length / seconds).toPrecision(6)),
    mb_per_s: Number((bytes / 1e6 / seconds).toPrecision(6)),
}) + "\n");
