#!/usr/bin/env node
// The Garmin FIT SDK side of a side-by-side FIT decoding benchmark.
//
// Usage: node tools/bench_fit_sdk.mjs [--seconds S] FILES...
//
// Decodes each file repeatedly with the official FIT SDK for JavaScript (the one
// tests/oracle/setup.sh installs), with the same Decoder options as the oracle
// (tests/oracle/sdk_decode.mjs) and a message-counting mesgListener, for at least
// S seconds of wall time per file (default 2, after a short warm-up), and prints
// one JSON line per file:
//   {"file", "bytes", "messages", "seconds_per_decode", "mb_per_s", "messages_per_s"}
// MB = 10^6 bytes. The file is read once; only decoding is timed (no JSON output).
// If the SDK stops on an error, the figures cover what it decoded before the
// error, and a note goes to stderr.

import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const USAGE = "usage: bench_fit_sdk.mjs [--seconds S] FILES...";
const args = process.argv.slice(2);
let minSeconds = 2;
const files = [];
for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "-h" || a === "--help") { process.stdout.write(USAGE + "\n"); process.exit(0); }
    else if (a === "--seconds") minSeconds = Number(args[++i]);
    else if (a.startsWith("--seconds=")) minSeconds = Number(a.slice(10));
    else if (a.startsWith("--")) { process.stderr.write(`bench_fit_sdk: unknown option ${a}\n${USAGE}\n`); process.exit(2); }
    else files.push(a);
}
if (files.length === 0 || !(minSeconds > 0)) {
    process.stderr.write(USAGE + "\n");
    process.exit(2);
}

const oracleDir = resolve(dirname(fileURLToPath(import.meta.url)), "..", "tests", "oracle");
let sdk;
try {
    sdk = await import(pathToFileURL(resolve(oracleDir, "sdk_decode.mjs")).href);
} catch (e) {
    if (e?.code === "ERR_MODULE_NOT_FOUND") {
        process.stderr.write("bench_fit_sdk: the Garmin FIT SDK is not installed; run tests/oracle/setup.sh first\n");
        process.exit(1);
    }
    throw e;
}

const now = () => Number(process.hrtime.bigint()) / 1e9;
let status = 0;

for (const file of files) {
    let buf;
    try {
        buf = readFileSync(file);
    } catch (e) {
        process.stderr.write(`bench_fit_sdk: cannot read ${file}: ${e.message}\n`);
        status = 1;
        continue;
    }

    // Warm-up: let the JIT settle (at least 3 decodes or 0.25 s).
    let first = sdk.decodeFitCountOnly(buf);
    for (let t0 = now(), i = 1; i < 3 || now() - t0 < 0.25; i++) first = sdk.decodeFitCountOnly(buf);
    if (first.errors.length) {
        process.stderr.write(`bench_fit_sdk: ${file}: the SDK stopped after ${first.count} messages: ${first.errors[0]}\n`);
    }

    let decodes = 0;
    let messages = 0;
    const start = now();
    let elapsed = 0;
    do {
        messages = sdk.decodeFitCountOnly(buf).count;
        decodes++;
        elapsed = now() - start;
    } while (elapsed < minSeconds || decodes < 3);

    const perDecode = elapsed / decodes;
    process.stdout.write(JSON.stringify({
        file,
        bytes: buf.length,
        messages,
        seconds_per_decode: Number(perDecode.toPrecision(6)),
        mb_per_s: Number((buf.length / 1e6 / perDecode).toPrecision(6)),
        messages_per_s: Number((messages / perDecode).toPrecision(6)),
    }) + "\n");
}
process.exitCode = status;
