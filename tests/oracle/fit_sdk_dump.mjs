#!/usr/bin/env node
// Usage: node tests/oracle/fit_sdk_dump.mjs [--misaligned-as-bytes] FILE
//
// Decodes FILE with the official Garmin FIT SDK for JavaScript and prints its
// messages, in file order, as JSONL in the shape of `gaitkeeper fit dump
// --format jsonl` (one {"mesg", "fields", "developer_fields"?} object per line).
// The SDK's errors (it stops at the first one) go to stderr; exit status 1 then.
//
// --misaligned-as-bytes  also print fields whose size is not a multiple of their
//                        base type size as byte arrays, as gaitkeeper does (the
//                        SDK drops them). Only for testing fit_oracle.mjs.

import { readFileSync } from "node:fs";

process.stdout.on("error", (e) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw e;
});

const args = process.argv.slice(2);
let misalignedAsBytes = false;
const files = [];
for (const a of args) {
    if (a === "--misaligned-as-bytes") misalignedAsBytes = true;
    else if (a === "-h" || a === "--help") {
        process.stdout.write("usage: fit_sdk_dump.mjs [--misaligned-as-bytes] FILE\n");
        process.exit(0);
    } else files.push(a);
}
if (files.length !== 1) {
    process.stderr.write("usage: fit_sdk_dump.mjs [--misaligned-as-bytes] FILE\n");
    process.exit(2);
}

let sdk;
try {
    sdk = await import("./sdk_decode.mjs");
} catch (e) {
    if (e?.code === "ERR_MODULE_NOT_FOUND") {
        process.stderr.write("fit_sdk_dump: the Garmin FIT SDK is not installed; run tests/oracle/setup.sh first\n");
        process.exit(2);
    }
    throw e;
}

let buf;
try {
    buf = readFileSync(files[0]);
} catch (e) {
    process.stderr.write(`fit_sdk_dump: cannot read ${files[0]}: ${e.message}\n`);
    process.exit(2);
}

const { messages, errors } = sdk.decodeFit(buf, { misalignedAsBytes });
const out = messages.map((m) => sdk.toJson(m)).join("\n");
process.stdout.write(out.length ? out + "\n" : "");
for (const e of errors) process.stderr.write(`sdk error: ${e}\n`);
process.exitCode = errors.length ? 1 : 0;
