#!/usr/bin/env node
// A stand-in for `gaitkeeper fit dump --format jsonl FILE`, used by selftest.sh to
// test fit_oracle.mjs itself: it prints the SDK's own decoding (with gaitkeeper's
// misaligned-fields-as-bytes behaviour), altered according to FAKE_GK_MODE:
//   (unset)     unchanged                                  -> oracle must pass
//   tiny        one number off by 1e-12 relative           -> pass (tolerance)
//   spelling    keys/enum names re-spelt (TIMESTAMP_16...) -> pass (normalisation)
//   value       one number off by 0.1%                     -> FAIL
//   drop        one field left out                         -> FAIL
//   truncate    last message left out                      -> FAIL (count)
//   text        free text (not an enum) upper-cased        -> FAIL
//   devname     a developer field renamed                  -> FAIL
//   bytes       a misaligned field's bytes changed         -> FAIL
//   badjson     a broken line                              -> FAIL

import { readFileSync } from "node:fs";
import { decodeFit, toJson, isEnumField } from "./sdk_decode.mjs";

process.stdout.on("error", (e) => { if (e.code !== "EPIPE") throw e; });

const args = process.argv.slice(2);
if (args.length !== 5 || args[0] !== "fit" || args[1] !== "dump" || args[2] !== "--format" || args[3] !== "jsonl") {
    process.stderr.write("usage: selftest_fake_gaitkeeper.mjs fit dump --format jsonl FILE\n");
    process.exit(2);
}
const mode = process.env.FAKE_GK_MODE ?? "";
const { messages, meta, errors } = decodeFit(readFileSync(args[4]), { misalignedAsBytes: true });

const target = Math.min(9, messages.length - 1); // message #10 (1-based) or the last
const firstNumericKey = (m) => Object.keys(m.fields).find((k) => typeof m.fields[k] === "number" && m.fields[k] !== 0);

switch (mode) {
    case "": break;
    case "tiny":
    case "value": {
        const k = firstNumericKey(messages[target]);
        if (k) messages[target].fields[k] *= mode === "tiny" ? 1 + 1e-12 : 1.001;
        break;
    }
    case "spelling":
        for (let i = 0; i < messages.length; i++) {
            const m = messages[i];
            m.mesg = m.mesg.toUpperCase();
            const fields = {};
            for (const [k, v] of Object.entries(m.fields)) {
                const enumish = typeof v === "string" && isEnumField(meta[i].num, k);
                fields[k.replace(/([a-z])(\d)/g, "$1_$2").toUpperCase()] = enumish ? v.replace(/([a-z])(\d)/g, "$1_$2").toUpperCase() : v;
            }
            m.fields = fields;
        }
        break;
    case "drop": {
        const k = Object.keys(messages[target].fields)[0];
        delete messages[target].fields[k];
        break;
    }
    case "truncate":
        messages.pop();
        break;
    case "text":
        for (let i = 0; i < messages.length; i++) {
            const k = Object.keys(messages[i].fields).find((x) => typeof messages[i].fields[x] === "string" &&
                !isEnumField(meta[i].num, x) && /[a-z]/.test(messages[i].fields[x]));
            if (k) { messages[i].fields[k] = messages[i].fields[k].toUpperCase(); break; }
        }
        break;
    case "devname":
        for (const m of messages) {
            if (m.developer_fields) {
                const k = Object.keys(m.developer_fields)[0];
                m.developer_fields[k + " (renamed)"] = m.developer_fields[k];
                delete m.developer_fields[k];
                break;
            }
        }
        break;
    case "bytes":
        for (let i = 0; i < messages.length; i++) {
            if (meta[i].misaligned.length) {
                const k = meta[i].misaligned[0].key;
                messages[i].fields[k] = messages[i].fields[k].map((b) => (b + 1) & 0xFF);
                break;
            }
        }
        break;
    case "badjson":
        break;
    default:
        process.stderr.write(`unknown FAKE_GK_MODE ${mode}\n`);
        process.exit(2);
}

const lines = messages.map(toJson);
if (mode === "badjson" && lines.length) lines[target] = lines[target].slice(0, -1);
process.stdout.write(lines.length ? lines.join("\n") + "\n" : "");
if (errors.length) {
    process.stderr.write(`error: ${errors[0]}\n`);
    process.exitCode = 1;
}
