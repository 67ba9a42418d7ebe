#!/usr/bin/env node
// gen_fit_profile.mjs -- generate gaitkeeper's FIT profile tables from the
// official FIT profile shipped in Garmin's FIT SDK for JavaScript
// (@garmin/fitsdk, src/profile.js).
//
// Usage (from anywhere):
//   node tools/gen_fit_profile.mjs [SDK_DIR]
// SDK_DIR is the @garmin/fitsdk package directory.  It defaults to
// $GK_FITSDK_DIR, else tests/oracle/node_modules/@garmin/fitsdk (relative to
// the repository root).
//
// Writes (paths relative to the repository root):
//   src/formats/fit/fit_profile.c   tables of the types in fit_profile.h
//   include/gaitkeeper/fit_ids.h    GK_FIT_MESG_* and GK_FIT_<MESG>_<FIELD>
//
// Names: the JS profile is camelCase; the official names are snake_case.
// tools/fit_profile_names.tsv (<kind>\t<camelName>\t<snake_name>[\t<camelType>],
// kind one of message, field, type, value; the optional 4th column names the
// type a value belongs to, and such a row wins for that type) overrides the
// camelCase -> snake_case rule (insert '_' before each upper-case letter,
// lower-case), which cannot tell where the official name had '_' before a
// digit.  Without the file the rule alone is used and a warning is printed.
//
// Semantics mirror the SDK's decoder.js (#transformValue, #applyScaleAndOffset,
// #expandSubField, #expandComponents).  Output is deterministic.

import fs from "node:fs";
import path from "node:path";
import process from "node:process";
import { fileURLToPath, pathToFileURL } from "node:url";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const DEFAULT_SDK = "tests/oracle/node_modules/@garmin/fitsdk";
const NAMES_TSV = path.join(REPO, "tools", "fit_profile_names.tsv");
const OUT_C = path.join(REPO, "src", "formats", "fit", "fit_profile.c");
const OUT_H = path.join(REPO, "include", "gaitkeeper", "fit_ids.h");
const REGEN = "node tools/gen_fit_profile.mjs [SDK_DIR]  (default SDK_DIR: " +
  DEFAULT_SDK + ")";

function die(msg) {
  process.stderr.write(`gen_fit_profile: error: ${msg}\n`);
  process.exit(1);
}
function warn(msg) {
  process.stderr.write(`gen_fit_profile: warning: ${msg}\n`);
}

// ---------------------------------------------------------------- load SDK
const sdkArg = process.argv[2] ?? process.env.GK_FITSDK_DIR;
const sdkDir = sdkArg ? path.resolve(sdkArg) : path.join(REPO, DEFAULT_SDK);
const profilePath = path.join(sdkDir, "src", "profile.js");
const fitPath = path.join(sdkDir, "src", "fit.js");
if (!fs.existsSync(profilePath) || !fs.existsSync(fitPath)) {
  die(`no FIT SDK at ${sdkDir} (expected src/profile.js and src/fit.js); ` +
    `pass the @garmin/fitsdk directory as the argument`);
}
const Profile = (await import(pathToFileURL(profilePath).href)).default;
const FIT = (await import(pathToFileURL(fitPath).href)).default;

const V = Profile.version;
const version = `${V.major}.${V.minor}.${V.patch}`;
try {
  const pkg = JSON.parse(fs.readFileSync(path.join(sdkDir, "package.json"), "utf8"));
  if (pkg.version !== version) {
    warn(`package.json version ${pkg.version} != Profile.version ${version}`);
  }
} catch { /* package.json is optional */ }

// ---------------------------------------------------------------- names
const KINDS = new Set(["message", "field", "type", "value"]);
const overrides = new Map(); // "kind\tcamel" -> snake
let namesSource;
if (fs.existsSync(NAMES_TSV)) {
  namesSource = "tools/fit_profile_names.tsv where listed, else the camelCase rule";
  const lines = fs.readFileSync(NAMES_TSV, "utf8").split(/\r?\n/);
  lines.forEach((line, i) => {
    if (line === "" || line.startsWith("#")) return;
    const cols = line.split("\t");
    if (cols.length < 3 || cols.length > 4 || !KINDS.has(cols[0]) || cols[1] === "" ||
        !/^[A-Za-z0-9_]+$/.test(cols[2]) || (cols.length === 4 && cols[3] === "")) {
      die(`${NAMES_TSV}:${i + 1}: bad line ${JSON.stringify(line)}`);
    }
    // Optional 4th column: the (camelCase) type a value belongs to.
    const key = cols.length === 4 ? `${cols[0]}\t${cols[1]}\t${cols[3]}` : `${cols[0]}\t${cols[1]}`;
    const prev = overrides.get(key);
    if (prev !== undefined && prev !== cols[2]) {
      warn(`${NAMES_TSV}:${i + 1}: ${key.replace(/\t/g, " ")} maps to both ` +
        `${prev} and ${cols[2]}; keeping ${prev}`);
      return;
    }
    overrides.set(key, cols[2]);
  });
} else {
  namesSource = "the camelCase rule (tools/fit_profile_names.tsv absent)";
  warn(`${NAMES_TSV} not found; converting names by rule only ` +
    `(e.g. timestamp16, not timestamp_16)`);
}

const ruleSnake = (s) => s.replace(/([A-Z])/g, "_$1").toLowerCase();
const usedOverrides = new Set();
let nByRule = 0;
const differ = new Set();
function snake(kind, camel, owner) {
  // A row qualified by its owner (a value's type) wins over an unqualified one.
  for (const key of owner !== undefined ? [`${kind}\t${camel}\t${owner}`, `${kind}\t${camel}`]
    : [`${kind}\t${camel}`]) {
    const o = overrides.get(key);
    if (o !== undefined) {
      usedOverrides.add(key);
      if (o !== ruleSnake(camel)) differ.add(key);
      return o;
    }
  }
  nByRule++;
  return ruleSnake(camel);
}

// ---------------------------------------------------------------- helpers
const hasOwn = (o, k) => Object.prototype.hasOwnProperty.call(o, k);

function cstr(s) {
  if (typeof s !== "string") die(`not a string: ${JSON.stringify(s)}`);
  let out = '"';
  for (const b of Buffer.from(s, "utf8")) {
    const c = String.fromCharCode(b);
    if (c === "\\" || c === '"' || c === "?") out += "\\" + c;
    else if (b >= 0x20 && b < 0x7f) out += c;
    else out += "\\" + b.toString(8).padStart(3, "0");
  }
  return out + '"';
}

function cdouble(x) {
  if (typeof x !== "number" || !Number.isFinite(x)) die(`bad number ${x}`);
  return String(x); // shortest round-trip form; a valid C constant
}

function cuint(x, max) {
  if (!Number.isInteger(x) || x < 0 || x > max) die(`bad integer ${x}`);
  return x > 0x7fffffff ? `${x}u` : String(x);
}

const hex2 = (x) => "0x" + x.toString(16).toUpperCase().padStart(2, "0");
const byteCmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

// ---------------------------------------------------------------- types
const typeNames = Object.keys(Profile.types);
const types = typeNames.map((camel) => ({ camel, name: snake("type", camel) }));
types.sort((a, b) => byteCmp(a.name, b.name));
const typeIndex = new Map(types.map((t, i) => [t.camel, i]));
if (new Set(types.map((t) => t.name)).size !== types.length) {
  die("duplicate type names after conversion");
}
if (types.length >= 0xffff) die("too many types");

// ---------------------------------------------------------------- fields
const K = { NUMERIC: "K_NUM", STRING: "K_STR", DATE_TIME: "K_DT", ENUM: "K_ENUM", RAW: "K_RAW" };

// #transformValue: numeric set, then string, then dateTime, else
// convertTypeToString via Profile.types[type] (ENUM if present, RAW if not).
function kindOf(type) {
  if (FIT.NumericFieldTypesSet.has(type)) return K.NUMERIC;
  if (type === "string") return K.STRING;
  if (type === "dateTime") return K.DATE_TIME;
  if (hasOwn(Profile.types, type)) return K.ENUM;
  return K.RAW;
}

function typeRef(type, kind) {
  return kind === K.ENUM ? String(typeIndex.get(type)) : "NT";
}

function baseTypeId(bt, where) {
  const id = FIT.BaseType[String(bt).toUpperCase()];
  if (id === undefined) die(`${where}: unknown base type ${bt}`);
  return hex2(id);
}

function compBaseType(type) {
  const bt = FIT.FieldTypeToBaseType[type];
  return bt === undefined ? "NB" : hex2(bt);
}

// #applyScaleAndOffset: an array of several scales leaves the value raw.
function scaleOf(f) {
  if (Array.isArray(f.scale) && f.scale.length > 1) {
    return { scale: 1, offset: 0, apply: 0 };
  }
  const pick = (v, dflt) => (Array.isArray(v) ? v[0] : v) ?? dflt;
  return {
    scale: pick(f.scale, FIT.FIELD_DEFAULT_SCALE),
    offset: pick(f.offset, FIT.FIELD_DEFAULT_OFFSET),
    apply: 1,
  };
}

function unitsOf(f) {
  const u = Array.isArray(f.units) ? f.units[0] : f.units;
  return u ?? "";
}

function componentsOf(f, m, where) {
  const out = [];
  const comps = f.components ?? [];
  for (let j = 0; j < comps.length; j++) {
    const target = Number(comps[j]);
    if (!hasOwn(m.fields, target)) die(`${where}: component target ${comps[j]} not in message`);
    const bits = f.bits[j];
    const sc = Array.isArray(f.scale) ? f.scale[j] : f.scale;
    const of = Array.isArray(f.offset) ? f.offset[j] : f.offset;
    if (bits === undefined || sc === undefined || of === undefined) {
      die(`${where}: component ${j} lacks bits/scale/offset`);
    }
    out.push(`{${cuint(target, 255)},${cuint(bits, 255)},${cdouble(sc)},${cdouble(of)}}`);
  }
  return out;
}

// ---------------------------------------------------------------- emit .c
const C = [];
const banner = (c) => [
  `${c} Generated by tools/gen_fit_profile.mjs from the official FIT profile`,
  `${c} (@garmin/fitsdk src/profile.js), profile version ${version}.`,
  `${c} Names from ${namesSource}.`,
  `${c} DO NOT EDIT.  Regenerate with:`,
  `${c}   ${REGEN}`,
];

C.push("/*");
for (const l of banner("**")) C.push(l);
C.push("** Field rows: {num,kind,base_type,comp_base_type,type,is_array,accumulated,");
C.push("**   apply_scale,n_components,n_subfields,name,units,scale,offset,components,subfields}");
C.push("*/");
C.push('#include "fit_profile.h"', "");
C.push("#define K_NUM GK__FIT_KIND_NUMERIC", "#define K_STR GK__FIT_KIND_STRING",
  "#define K_DT GK__FIT_KIND_DATE_TIME", "#define K_ENUM GK__FIT_KIND_ENUM",
  "#define K_RAW GK__FIT_KIND_RAW", "#define NT GK__FIT_NO_TYPE", "#define NB GK__FIT_NO_BASE", "");
C.push(`const char gk__fit_profile_version[] = ${cstr(version)};`, "");

// type values
C.push("/* ---- types ---- */");
for (const t of types) {
  const vals = Object.entries(Profile.types[t.camel])
    .map(([v, n]) => ({ v: Number(v), n }))
    .sort((a, b) => a.v - b.v);
  t.n = vals.length;
  if (vals.length === 0) continue;
  const seen = new Set();
  C.push(`static const struct gk__fit_type_value v_${t.name}[]={`);
  for (const { v, n } of vals) {
    if (seen.has(v)) die(`type ${t.camel}: duplicate value ${v}`);
    seen.add(v);
    C.push(`{${cuint(v, 0xffffffff)},${cstr(snake("value", n, t.camel))}},`);
  }
  C.push("};");
}
C.push("const struct gk__fit_type gk__fit_types[]={");
for (const t of types) {
  C.push(`{${cstr(t.name)},${t.n},${t.n ? `v_${t.name}` : "NULL"}},`);
}
C.push("};");
C.push("const size_t gk__fit_n_types=sizeof gk__fit_types/sizeof gk__fit_types[0];", "");

// messages
const messages = Object.values(Profile.messages)
  .map((m) => ({ m, name: snake("message", m.name) }))
  .sort((a, b) => a.m.num - b.m.num);
const ids = []; // [macro, value] for fit_ids.h

for (const msg of messages) {
  const { m, name: mname } = msg;
  msg.fieldIds = [];
  if (!Number.isInteger(m.num) || m.num < 0 || m.num > 0xffff) die(`bad message num ${m.num}`);
  C.push(`/* ---- ${m.num} ${mname} ---- */`);
  ids.push([`GK_FIT_MESG_${mname.toUpperCase()}`, m.num]);
  const fields = Object.values(m.fields).sort((a, b) => a.num - b.num);
  const byName = new Map(fields.map((f) => [f.name, f.num]));
  const rows = [];
  const fnames = new Set();
  for (const f of fields) {
    const where = `${m.name}.${f.name}`;
    const fname = snake("field", f.name);
    if (fnames.has(fname)) die(`${where}: duplicate field name ${fname}`);
    fnames.add(fname);
    const macro = `GK_FIT_${mname.toUpperCase()}_${fname.toUpperCase()}`;
    ids.push([macro, f.num]);
    msg.fieldIds.push([macro, f.num]);

    const tag = `${m.num}_${f.num}`;
    const comps = componentsOf(f, m, where);
    if (comps.length) C.push(`static const struct gk__fit_component c_${tag}[]={${comps.join(",")}};`);

    const subs = [];
    (f.subFields ?? []).forEach((s, i) => {
      const sw = `${where}.${s.name}`;
      const sc = componentsOf(s, m, sw);
      if (sc.length) C.push(`static const struct gk__fit_component c_${tag}_${i}[]={${sc.join(",")}};`);
      const maps = (s.map ?? []).map((mp) => {
        const ref = byName.get(mp.name);
        if (ref === undefined) die(`${sw}: map refers to unknown field ${mp.name}`);
        return `{${cuint(ref, 255)},${cuint(mp.value, 0xffffffff)}}`;
      });
      if (maps.length > 255 || sc.length > 255) die(`${sw}: too many maps/components`);
      if (maps.length) C.push(`static const struct gk__fit_subfield_map p_${tag}_${i}[]={${maps.join(",")}};`);
      const kind = kindOf(s.type);
      const { scale, offset, apply } = scaleOf(s);
      subs.push(`{${cstr(snake("field", s.name))},${cstr(unitsOf(s))},${kind},` +
        `${compBaseType(s.type)},${typeRef(s.type, kind)},${cdouble(scale)},${cdouble(offset)},` +
        `${apply},${maps.length},${sc.length},${maps.length ? `p_${tag}_${i}` : "NULL"},` +
        `${sc.length ? `c_${tag}_${i}` : "NULL"}}`);
    });
    if (subs.length > 255 || comps.length > 255) die(`${where}: too many subfields/components`);
    if (subs.length) {
      C.push(`static const struct gk__fit_subfield s_${tag}[]={`);
      for (const s of subs) C.push(s + ",");
      C.push("};");
    }

    const kind = kindOf(f.type);
    const { scale, offset, apply } = scaleOf(f);
    rows.push(`{${cuint(f.num, 255)},${kind},${baseTypeId(f.baseType, where)},` +
      `${compBaseType(f.type)},${typeRef(f.type, kind)},${f.array === true ? 1 : 0},` +
      `${f.isAccumulated === true ? 1 : 0},${apply},${comps.length},${subs.length},` +
      `${cstr(fname)},${cstr(unitsOf(f))},${cdouble(scale)},${cdouble(offset)},` +
      `${comps.length ? `c_${tag}` : "NULL"},${subs.length ? `s_${tag}` : "NULL"}}`);
  }
  if (rows.length) {
    C.push(`static const struct gk__fit_field f_${m.num}[]={`);
    for (const r of rows) C.push(r + ",");
    C.push("};");
  }
  msg.nf = rows.length;
}
C.push("", "const struct gk__fit_message gk__fit_messages[]={");
for (const { m, name, nf } of messages) {
  C.push(`{${m.num},${nf},${cstr(name)},${nf ? `f_${m.num}` : "NULL"}},`);
}
C.push("};");
C.push("const size_t gk__fit_n_messages=sizeof gk__fit_messages/sizeof gk__fit_messages[0];");
C.push("");

// ---------------------------------------------------------------- emit .h
const macroSeen = new Set();
for (const [macro] of ids) {
  if (!/^[A-Z_][A-Z0-9_]*$/.test(macro)) die(`bad macro name ${macro}`);
  if (macroSeen.has(macro)) die(`duplicate macro ${macro}`);
  macroSeen.add(macro);
}
const H = ["/*"];
for (const l of banner("**")) H.push(l);
H.push("**");
H.push("** FIT global message numbers (GK_FIT_MESG_<MESSAGE>) and field definition");
H.push("** numbers (GK_FIT_<MESSAGE>_<FIELD>).");
H.push("*/");
H.push("#ifndef GK_FIT_IDS_H", "#define GK_FIT_IDS_H", "");
H.push("/* Messages */");
for (const { name, m } of messages) H.push(`#define GK_FIT_MESG_${name.toUpperCase()} ${m.num}`);
for (const { m, name, fieldIds } of messages) {
  if (!fieldIds.length) continue;
  H.push("", `/* ${m.num} ${name} */`);
  for (const [macro, v] of fieldIds) H.push(`#define ${macro} ${v}`);
}
H.push("", "#endif /* GK_FIT_IDS_H */", "");

// ---------------------------------------------------------------- write
function writeIfChanged(file, text) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const old = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : null;
  if (old === text) {
    process.stderr.write(`gen_fit_profile: ${path.relative(REPO, file)} unchanged\n`);
    return;
  }
  fs.writeFileSync(file, text);
  process.stderr.write(`gen_fit_profile: wrote ${path.relative(REPO, file)} (${text.length} bytes)\n`);
}
writeIfChanged(OUT_C, C.join("\n"));
writeIfChanged(OUT_H, H.join("\n"));

if (overrides.size) {
  const unused = [...overrides.keys()].filter((k) => !usedOverrides.has(k));
  process.stderr.write(`gen_fit_profile: names: ${usedOverrides.size} from TSV ` +
    `(${differ.size} differ from the rule), ${nByRule} lookups by rule, ${unused.length} TSV entries unused\n`);
}
process.stderr.write(`gen_fit_profile: profile ${version}: ${messages.length} messages, ${types.length} types\n`);
