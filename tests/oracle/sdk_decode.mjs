// Decodes a FIT file with the official Garmin FIT SDK (@garmin/fitsdk, pinned in
// package.json) and turns its output into gaitkeeper's `fit dump --format jsonl`
// shape. Shared by fit_sdk_dump.mjs, fit_oracle.mjs and tools/bench_fit_sdk.mjs.
//
// Each decoded message becomes {mesg, fields, developer_fields?}; alongside it,
// meta[i] = {num, misaligned: [{key, num, size, baseType, bytes}]} lists the fields of
// that message whose size is not a multiple of their base type size (the SDK
// drops those; gaitkeeper decodes them as bytes).

import { Decoder, Stream } from "@garmin/fitsdk";
import Profile from "@garmin/fitsdk/src/profile.js";

export { Profile };

export const SDK_VERSION = "21.217.0";

export const DECODE_OPTIONS = Object.freeze({
    applyScaleAndOffset: true,
    expandSubFields: true,
    expandComponents: true,
    convertTypesToStrings: true,
    convertDateTimesToDates: true,
    includeUnknownData: true,
    mergeHeartRates: false,
});

const FIT_EPOCH_MS = Date.UTC(1989, 11, 31); // 631065600000
const DEVICE_RELATIVE_LIMIT = 0x10000000;    // date_time values below this are seconds since power-on

const MESG_DEFINITION_MASK = 0x40;
const COMPRESSED_HEADER_MASK = 0x80;
const LOCAL_MESG_NUM_MASK = 0x0F;
const MESGNUM_DEVELOPER_DATA_ID = Profile.MesgNum.DEVELOPER_DATA_ID;
const MESGNUM_FIELD_DESCRIPTION = Profile.MesgNum.FIELD_DESCRIPTION;

// camelCase (SDK) -> snake_case (official profile names, modulo underscores before digits).
const snakeCache = new Map();
export function snake(name) {
    let s = snakeCache.get(name);
    if (s === undefined) {
        s = String(name).replace(/([A-Z])/g, "_$1").toLowerCase();
        snakeCache.set(name, s);
    }
    return s;
}

// Name normalisation used for comparisons: drop underscores, lower-case.
export function normName(name) {
    return String(name).replace(/_/g, "").toLowerCase();
}

export function mesgName(num) {
    const m = Profile.messages[num];
    return m ? snake(m.name) : `unknown_${num}`;
}

// Per message number: normalised field name -> profile type (fields and sub-fields).
const fieldTypeCache = new Map();
export function fieldTypes(num) {
    let map = fieldTypeCache.get(num);
    if (map === undefined) {
        map = new Map();
        const m = Profile.messages[num];
        if (m) {
            for (const f of Object.values(m.fields)) {
                map.set(normName(f.name), f.type);
                for (const sf of f.subFields ?? []) {
                    if (!map.has(normName(sf.name))) map.set(normName(sf.name), sf.type);
                }
            }
        }
        fieldTypeCache.set(num, map);
    }
    return map;
}

// True when values of this field are enum names (profile type is a named type).
export function isEnumField(num, key) {
    const t = fieldTypes(num).get(normName(key));
    return t != null && t !== "dateTime" && Object.prototype.hasOwnProperty.call(Profile.types, t);
}

function profileFieldName(num, fieldNum) {
    const f = Profile.messages[num]?.fields?.[fieldNum];
    return f ? snake(f.name) : String(fieldNum);
}

export function dateOut(d) {
    const ms = d.getTime();
    if (Number.isNaN(ms)) return undefined;
    const seconds = (ms - FIT_EPOCH_MS) / 1000;
    if (seconds < DEVICE_RELATIVE_LIMIT) return seconds;
    return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

// SDK value -> gaitkeeper JSON value; undefined means "invalid, leave out".
function valueOut(v) {
    if (v == null) return undefined;
    switch (typeof v) {
        case "number": return Number.isFinite(v) ? v : undefined; // NaN = float invalid pattern
        case "bigint":
        case "string": return v;
        case "boolean": return v;
        default:
            if (v instanceof Date) return dateOut(v);
            if (Array.isArray(v)) {
                const a = v.map((e) => {
                    const o = valueOut(e);
                    return o === undefined ? null : o;
                });
                return a.every((e) => e === null) ? undefined : a;
            }
            return undefined;
    }
}

function scaleDev(v, scale, offset) {
    if (v == null) return v;
    if (Array.isArray(v)) return v.map((e) => scaleDev(e, scale, offset));
    if (typeof v === "string") return v;
    if (typeof v === "bigint") {
        if (scale === 1 && offset === 0) return v;
        return Number(v) / scale - offset;
    }
    return v / scale - offset;
}

/**
 * Decode one FIT file (Buffer/Uint8Array).
 * opts.misalignedAsBytes: also emit misaligned fields as byte arrays, i.e. emulate
 * gaitkeeper's documented deviation (only for testing the comparer).
 * Returns {messages, meta, errors: [string]}.
 */
export function decodeFit(buf, opts = {}) {
    const u8 = buf instanceof Uint8Array ? buf : new Uint8Array(buf);
    const stream = Stream.fromBuffer(Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength));
    const decoder = new Decoder(stream);

    const defs = new Array(16).fill(null); // current definition per local message number
    const devFields = new Map();           // SDK developer key -> {name, scale, offset}
    const messages = [];
    const meta = [];
    let internalError = null;

    const mesgDefinitionListener = (def) => {
        try {
            const fieldDefs = [];
            const misaligned = [];
            let offset = 1;
            for (const fd of def.fieldDefinitions) {
                const entry = { num: fd.fieldDefinitionNumber, size: fd.size, baseType: fd.baseType, offset };
                fieldDefs.push(entry);
                if (fd.size % fd.baseTypeSize !== 0) {
                    misaligned.push({ ...entry, key: profileFieldName(def.globalMessageNumber, entry.num) });
                }
                offset += fd.size;
            }
            defs[def.localMesgNum] = {
                local: def.localMesgNum,
                global: def.globalMessageNumber,
                total: 1 + def.messageSize + def.developerDataSize,
                misaligned,
            };
        } catch (e) {
            internalError ??= e;
            throw e;
        }
    };

    // Which local definition produced the message that just ended at stream.position?
    const findDefinition = (globalNum) => {
        const pos = stream.position;
        let candidate = null;
        for (const d of defs) {
            if (d == null || d.global !== globalNum) continue;
            const start = pos - d.total;
            if (start < 0) continue;
            const h = u8[start];
            if ((h & (COMPRESSED_HEADER_MASK | MESG_DEFINITION_MASK)) === 0 && (h & LOCAL_MESG_NUM_MASK) === d.local) {
                if (candidate == null) candidate = d;
            }
        }
        return candidate;
    };

    const mesgListener = (globalNum, message) => {
        try {
            const fields = {};
            let developer = null;
            for (const [k, v] of Object.entries(message)) {
                if (k === "developerFields") continue;
                if (k === "key" && globalNum === MESGNUM_FIELD_DESCRIPTION) continue;
                const o = valueOut(v);
                if (o !== undefined) fields[/^\d+$/.test(k) ? k : snake(k)] = o;
            }
            if (message.developerFields) {
                for (const [k, v] of Object.entries(message.developerFields)) {
                    const desc = devFields.get(Number(k));
                    const name = desc?.name ?? String(k);
                    let val = v;
                    if (desc && desc.scale != null && desc.scale !== 0) {
                        val = scaleDev(v, desc.scale, desc.offset ?? 0);
                    }
                    const o = valueOut(val);
                    if (o !== undefined) {
                        developer ??= {};
                        developer[name] = o;
                    }
                }
            }

            let misaligned = [];
            if (defs.some((d) => d && d.global === globalNum && d.misaligned.length > 0)) {
                const d = findDefinition(globalNum);
                if (d) {
                    const start = stream.position - d.total;
                    misaligned = d.misaligned.map((m) => ({
                        key: m.key,
                        num: m.num,
                        size: m.size,
                        baseType: m.baseType,
                        bytes: Array.from(u8.subarray(start + m.offset, start + m.offset + m.size)),
                    }));
                    if (opts.misalignedAsBytes) {
                        for (const m of misaligned) fields[m.key] = m.bytes.slice();
                    }
                }
            }

            const rec = { mesg: mesgName(globalNum), fields };
            if (developer) rec.developer_fields = developer;
            messages.push(rec);
            meta.push({ num: globalNum, misaligned });
        } catch (e) {
            internalError ??= e;
            throw e;
        }
    };

    const fieldDescriptionListener = (key, _developerDataIdMesg, fieldDescriptionMesg) => {
        try {
            devFields.set(Number(key), {
                name: fieldDescriptionMesg.fieldName ?? null,
                scale: typeof fieldDescriptionMesg.scale === "number" ? fieldDescriptionMesg.scale : null,
                offset: typeof fieldDescriptionMesg.offset === "number" ? fieldDescriptionMesg.offset : null,
            });
        } catch (e) {
            internalError ??= e;
            throw e;
        }
    };

    const { errors } = decoder.read({
        ...DECODE_OPTIONS,
        mesgListener,
        mesgDefinitionListener,
        fieldDescriptionListener,
    });
    if (internalError) throw internalError; // a bug here, not an SDK decode error

    return {
        messages,
        meta,
        errors: errors.map((e) => (e && e.message) ? e.message : String(e)),
    };
}

/** Decode with the SDK as fast as possible (bench): same options, counting listener only. */
export function decodeFitCountOnly(buf) {
    const stream = Stream.fromBuffer(buf);
    const decoder = new Decoder(stream);
    let count = 0;
    const { errors } = decoder.read({ ...DECODE_OPTIONS, mesgListener: () => { count++; } });
    return { count, errors: errors.map((e) => (e && e.message) ? e.message : String(e)) };
}

// JSON text with BigInt written exactly and non-finite numbers as null.
export function toJson(v) {
    if (v === null || v === undefined) return "null";
    switch (typeof v) {
        case "bigint": return v.toString();
        case "number": return Number.isFinite(v) ? JSON.stringify(v) : "null";
        case "string": return JSON.stringify(v);
        case "boolean": return v ? "true" : "false";
        default:
            if (Array.isArray(v)) return "[" + v.map(toJson).join(",") + "]";
            return "{" + Object.entries(v)
                .filter(([, x]) => x !== undefined)
                .map(([k, x]) => JSON.stringify(k) + ":" + toJson(x))
                .join(",") + "}";
    }
}

// JSON.parse, except that integers outside the safe range become BigInt (exact).
export function parseJsonExact(text) {
    if (!/\d{16}/.test(text)) return JSON.parse(text);
    let i = 0;
    const s = text;
    const fail = (what) => { throw new SyntaxError(`${what} at position ${i}`); };
    const ws = () => { while (i < s.length && (s[i] === " " || s[i] === "\t" || s[i] === "\n" || s[i] === "\r")) i++; };
    const numRe = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
    const value = () => {
        ws();
        const c = s[i];
        if (c === "{") {
            i++; const o = {}; ws();
            if (s[i] === "}") { i++; return o; }
            for (;;) {
                ws(); if (s[i] !== '"') fail("expected key");
                const k = value(); ws();
                if (s[i] !== ":") fail("expected ':'"); i++;
                o[k] = value(); ws();
                if (s[i] === ",") { i++; continue; }
                if (s[i] === "}") { i++; return o; }
                fail("expected ',' or '}'");
            }
        }
        if (c === "[") {
            i++; const a = []; ws();
            if (s[i] === "]") { i++; return a; }
            for (;;) {
                a.push(value()); ws();
                if (s[i] === ",") { i++; continue; }
                if (s[i] === "]") { i++; return a; }
                fail("expected ',' or ']'");
            }
        }
        if (c === '"') {
            let j = i + 1;
            while (j < s.length && s[j] !== '"') j += s[j] === "\\" ? 2 : 1;
            if (j >= s.length) fail("unterminated string");
            const str = JSON.parse(s.slice(i, j + 1));
            i = j + 1;
            return str;
        }
        if (s.startsWith("true", i)) { i += 4; return true; }
        if (s.startsWith("false", i)) { i += 5; return false; }
        if (s.startsWith("null", i)) { i += 4; return null; }
        numRe.lastIndex = i;
        const m = numRe.exec(s);
        if (!m) fail("unexpected character");
        i = numRe.lastIndex;
        const n = Number(m[0]);
        if (m[1] === undefined && m[2] === undefined && !Number.isSafeInteger(n)) return BigInt(m[0]);
        return n;
    };
    const v = value(); ws();
    if (i !== s.length) fail("trailing characters");
    return v;
}
