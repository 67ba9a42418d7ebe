// handout_check.mjs -- a gaitkeeper HTML report says one thing about
// running, cadence and pain limits, and keeps its first part for the runner.
//   node handout_check.mjs REPORT.html PLAN.json
// PLAN.json is `gaitkeeper plan --json` of the same day.  Checks:
//   - while the plan does not prescribe running (mode other than walk_run or
//     continue_capped), no cadence target and no single-run cap anywhere;
//   - the runner's sheet (before <div class="clinical">) names only the pain
//     numbers of the plan's pain limits; on the whole page every "never
//     over N/10" / "limit of N/10" is the plan's maximum and every "ideally
//     under N/10" its ideal;
//   - the red-flag box holds only refer-severity findings;
//   - no abbreviation or finding code in the runner's sheet.
// Prints one line per failed check and exits 1 when any failed.
import { readFileSync } from "node:fs";

const html = readFileSync(process.argv[2], "utf8");
const plan = JSON.parse(readFileSync(process.argv[3], "utf8"));
const text = (s) =>
  s.replace(/<style[\s\S]*?<\/style>/g, " ").replace(/<[^>]*>/g, " ")
    .replace(/&#(\d+);/g, (_, n) => String.fromCodePoint(Number(n)))
    .replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&").replace(/\s+/g, " ");
const fails = [];
const fail = (m) => fails.push(m);

const cut = html.indexOf('<div class="clinical">');
if (cut < 0) fail("no clinician's part (<div class=\"clinical\">)");
const runner = text(cut < 0 ? html : html.slice(0, cut));
const page = text(html);

const mode = plan.running && plan.running.mode;
const running = mode === undefined || mode === "walk_run" || mode === "continue_capped";
if (!running) {
  for (const re of [/aim for about \d+ steps/i, /target about \d+ steps/i,
                    /cadence target[^.]*\d+ steps/i])
    if (re.test(page)) fail(`running is paused (${mode}) but a cadence target: ${page.match(re)[0]}`);
  for (const re of [/longest single run[^.]*\d+(\.\d+)? km/i, /today that is at most/i])
    if (re.test(page)) fail(`running is paused (${mode}) but a run cap: ${page.match(re)[0]}`);
}

const lim = (plan.running && plan.running.pain_limits) || plan.pain_rule || {};
const max = lim.during_max, ideal = lim.during_ideal_max;
if (typeof max !== "number" || typeof ideal !== "number")
  fail("the plan states no pain limits (running.pain_limits.during_max, during_ideal_max)");
const allowed = new Set([String(max), String(ideal)]);
for (const m of runner.matchAll(/(\d+)\/10/g))
  if (!allowed.has(m[1])) fail(`runner's sheet: pain number ${m[0]} is not the plan's ${ideal}/${max}`);
for (const m of page.matchAll(/(?:never (?:over|above)|limit of) (\d+)\/10/gi))
  if (Number(m[1]) !== max) fail(`page: "${m[0]}" against the plan's maximum ${max}/10`);
for (const m of page.matchAll(/ideally (?:under|below) (\d+)(?:\/10)?/gi))
  if (Number(m[1]) !== ideal) fail(`page: "${m[0]}" against the plan's ideal ${ideal}/10`);

const rf = html.match(/<section class="redflags"[\s\S]*?<\/section>/);
if (rf)
  for (const a of rf[0].matchAll(/<article class="finding ([^"]*)"/g))
    if (!/\bsev-refer\b/.test(a[1])) fail(`red-flag box holds a non-refer finding (${a[1]})`);

for (const m of runner.matchAll(/\b(FPPA|ACWR|EWMA|duty factor)\b|\b(?:load|pain|gait|screen|intake|plan|red_flag)\.[a-z_]+\b/g))
  fail(`runner's sheet: jargon or code "${m[0]}"`);

for (const f of fails) console.log(`FAIL: ${f}`);
process.exit(fails.length ? 1 : 0);
