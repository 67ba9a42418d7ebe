// handout_check.mjs -- a gaitkeeper HTML report says one thing about
// running, cadence and pain limits, and keeps its first part for the runner.
//   node handout_check.mjs REPORT.html PLAN.json
// PLAN.json is `gaitkeeper plan --json` of the same day.  The page's text is
// cut into sentences; each sentence about running, cadence or pain limits is
// classed, and two sentences that disagree fail (both are printed):
//   - running: a sentence that stops or holds running ("no running yet",
//     "stop running for now") against one that prescribes it now ("keep
//     running", "start here", "walk/run, starting at phase", a run cap, a
//     cadence to aim for); and either against the plan's mode (running is
//     prescribed only in walk_run and continue_capped);
//   - cadence: two different cadence targets, or any while no running is
//     prescribed;
//   - pain limits: two different maxima ("never over N/10", "at most N/10
//     during ...", "no more than N/10") or ideals ("ideally under N"), or
//     either not the plan's pain rule; the runner's sheet names no pain
//     number but the rule's two;
//   - while running is held (not_yet, pause_then_walk_run), the runner's
//     sheet names every gate data/running.json puts before running that the
//     plan has not met, by its short label, and what to do meanwhile;
//   - the red-flag box holds only refer-severity findings;
//   - no abbreviation or finding code in the runner's sheet.
// Prints one line per failed check and exits 1 when any failed.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const html = readFileSync(process.argv[2], "utf8");
const plan = JSON.parse(readFileSync(process.argv[3], "utf8"));
const here = dirname(fileURLToPath(import.meta.url));
const runningData = JSON.parse(
  readFileSync(join(here, "..", "..", "data", "running.json"), "utf8"));

// Text with one line break per block element, so that a heading, a list
// item or a table cell never runs into the next sentence.
const text = (s) =>
  s.replace(/<style[\s\S]*?<\/style>/g, " ").replace(/<svg[\s\S]*?<\/svg>/g, " ")
    .replace(/<\/?(p|li|h\d|div|tr|td|th|dt|dd|section|article|figcaption|ul|ol|table)\b[^>]*>/g, "\n")
    .replace(/<[^>]*>/g, " ")
    .replace(/&#(\d+);/g, (_, n) => String.fromCodePoint(Number(n)))
    .replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&").replace(/[ \t]+/g, " ");
const sentences = (t) =>
  t.split(/\n+/).flatMap((block) => block.split(/(?<=[.!?;:])\s+(?=[A-Z])/))
    .map((s) => s.trim()).filter((s) => s.length > 0);
const fails = [];
const fail = (m) => fails.push(m);

const cut = html.indexOf('<div class="clinical">');
if (cut < 0) fail("no clinician's part (<div class=\"clinical\">)");
const runnerText = text(cut < 0 ? html : html.slice(0, cut));
const pageText = text(html);
const runner = runnerText.replace(/\s+/g, " ");
const all = sentences(pageText);

// ---- running -----------------------------------------------------------
const mode = plan.running && plan.running.mode;
const prescribed = mode === undefined || mode === "walk_run" || mode === "continue_capped";
const HOLD = [/\bno running\b/i, /\bstop running\b/i, /\bpause running\b/i,
              /\bnot (?:run|running) (?:yet|for now)\b/i, /\brunning is paused\b/i,
              /\bno running is prescribed\b/i];
const GO = [/\bkeep running\b/i, /\(?start here\)?/i, /\bwalk\/run,? starting at phase\b/i,
            /\bstart at phase \d/i, /\btoday that is at most\b/i,
            /\blongest single run[^.]*\d+(?:\.\d+)? km/i, /\bno single run longer than\b/i,
            /\b(?:aim for|target) (?:of )?about \d+ steps\b/i, /\bon easy runs\b/i,
            /^(?:keep )?(?:any|each) (?:single )?run no more than\b/i];
const holds = all.filter((s) => HOLD.some((re) => re.test(s)));
const gos = all.filter((s) => GO.some((re) => re.test(s)));
if (holds.length && gos.length)
  fail(`running: "${holds[0]}" against "${gos[0]}"`);
if (!prescribed && gos.length)
  fail(`running: the plan holds running (${mode}) but "${gos[0]}"`);
if (prescribed && mode !== undefined && holds.length)
  fail(`running: the plan prescribes running (${mode}) but "${holds[0]}"`);

// ---- cadence -----------------------------------------------------------
const targets = new Map();
for (const s of all) {
  const m = s.match(/\b(?:aim for|target(?: is)?|targets?) (?:of )?(?:about )?(\d{3}) steps/i)
    || s.match(/\bcadence target[^.]*?(\d{3}) steps/i);
  if (m) targets.set(m[1], s);
}
if (!prescribed && targets.size)
  fail(`cadence: a target while running is held (${mode}): "${[...targets.values()][0]}"`);
if (targets.size > 1) {
  const [a, b] = [...targets.values()];
  fail(`cadence: two targets: "${a}" against "${b}"`);
}

// ---- pain limits -------------------------------------------------------
const lim = (plan.running && plan.running.pain_limits) || plan.pain_rule || {};
const max = lim.during_max, ideal = lim.during_ideal_max;
if (typeof max !== "number" || typeof ideal !== "number")
  fail("the plan states no pain limits (running.pain_limits.during_max, during_ideal_max)");
const maxima = new Map(), ideals = new Map();
for (const s of all) {
  if (!/pain/i.test(s)) continue;
  for (const m of s.matchAll(/\b(?:never (?:over|above)|limit of|no (?:more|higher) than|at or below|not (?:over|above)) (\d+)(?:\/10| out of 10)/gi))
    maxima.set(m[1], s);
  for (const m of s.matchAll(/\bideally (?:under|below) (\d+)(?:\/10)?/gi)) ideals.set(m[1], s);
}
for (const [n, s] of maxima)
  if (Number(n) !== max) fail(`pain: "${s}" against the plan's never-over ${max}/10`);
for (const [n, s] of ideals)
  if (Number(n) !== ideal) fail(`pain: "${s}" against the plan's ideal ${ideal}/10`);
if (maxima.size > 1) fail(`pain: two maxima: "${[...maxima.values()].join('" against "')}"`);
if (ideals.size > 1) fail(`pain: two ideals: "${[...ideals.values()].join('" against "')}"`);
const allowed = new Set([String(max), String(ideal)]);
for (const m of runner.matchAll(/(\d+)\/10/g))
  if (!allowed.has(m[1])) fail(`runner's sheet: pain number ${m[0]} is not the plan's ${ideal}/${max}`);

// ---- the gates before running, while running is held --------------------
if (mode === "not_yet" || mode === "pause_then_walk_run") {
  const gates = [...(plan.all_gates || []), ...(plan.gates || [])];
  const before = (runningData.before_running && runningData.before_running.gates) || [];
  let named = 0;
  for (const name of before) {
    const g = gates.find((x) => x.name === name);
    if (!g || g.met === true || typeof g.label !== "string") continue;
    const short = g.label.replace(/\s*\(.*$/, "");
    if (!runner.includes(short)) fail(`runner's sheet: running is held but the gate "${short}" is not named`);
    named++;
  }
  if (named === 0) fail(`runner's sheet: running is held (${mode}) but no gate before running is named`);
  if (!/\b(?:walk|cycl|swim)/i.test(runner)) fail("runner's sheet: running is held but nothing to do meanwhile");
}

// ---- the red-flag box and plain words ------------------------------------
const rf = html.match(/<section class="redflags"[\s\S]*?<\/section>/);
if (rf)
  for (const a of rf[0].matchAll(/<article class="finding ([^"]*)"/g))
    if (!/\bsev-refer\b/.test(a[1])) fail(`red-flag box holds a non-refer finding (${a[1]})`);

for (const m of runner.matchAll(/\b(FPPA|ACWR|EWMA|duty factor)\b|\b(?:load|pain|gait|screen|intake|plan|red_flag|cadence|gate|stage|clinician)\.[a-z_]+\b/g))
  fail(`runner's sheet: jargon or code "${m[0]}"`);
// every term of data/report_text.json's glossary: never on the runner's
// sheet, explained once in the clinician's part
const reportText = JSON.parse(
  readFileSync(join(here, "..", "..", "data", "report_text.json"), "utf8"));
const glossary = reportText.glossary || [];
if (glossary.length === 0) fail("data/report_text.json has no glossary");
const esc = (t) => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const clinical = cut < 0 ? "" : html.slice(cut);
for (const { term } of glossary) {
  if (term === "finding codes") continue; /* the pattern above */
  if (new RegExp(`\\b${esc(term)}\\b`).test(runner))
    fail(`runner's sheet: the term "${term}" (explained for the clinician only)`);
  const n = (clinical.match(new RegExp(`<strong>${esc(term)}</strong>`, "g")) || []).length;
  if (n !== 1) fail(`clinician's part: "${term}" explained ${n} times, not once`);
}

if (process.env.HANDOUT_DEBUG)
  console.error(JSON.stringify({ mode, holds, gos, targets: [...targets], maxima: [...maxima.keys()],
                                 ideals: [...ideals.keys()] }, null, 1));
for (const f of fails) console.log(`FAIL: ${f}`);
process.exit(fails.length ? 1 : 0);
