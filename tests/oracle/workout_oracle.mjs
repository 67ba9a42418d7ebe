#!/usr/bin/env node
// Oracle test: the FIT workouts `gaitkeeper plan export --fit DIR` writes,
// decoded by the official Garmin FIT SDK for JavaScript, are workouts with the
// intended steps and cadence targets.
//
// Usage: node tests/oracle/workout_oracle.mjs --gaitkeeper PATH/TO/gaitkeeper
//
// Two stores in a temporary folder:
//   1. empty: the plan is walk/run from phase 1; the six phase workouts are
//      checked against data/running.json (warm-up walk, run/walk pairs or a
//      continuous run, cool-down walk; durations; intensities; no target).
//   2. six runs written with the SDK's own encoder (cadence 148-152
//      steps/min at about 3 m/s, low for that speed), imported: the plan asks
//      for +5% from the runner's own baseline (never a fixed 180), and the
//      cadence workout's running steps carry that target +/- 3 steps/min.
// Prints one line per check, then "N passed, N failed"; exit 0 only when no
// check failed; 1 when some did or the SDK is missing; 2 on usage errors.

import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const scriptDir = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(scriptDir, "..", "..");

let gk = null;
for (let i = 2; i < process.argv.length; i++) {
    if (process.argv[i] === "--gaitkeeper" && i + 1 < process.argv.length) gk = process.argv[++i];
    else {
        process.stderr.write(`workout_oracle: unknown argument ${process.argv[i]}\n`);
        process.exit(2);
    }
}
if (!gk) {
    process.stderr.write("usage: workout_oracle.mjs --gaitkeeper PATH\n");
    process.exit(2);
}

let sdk;
try {
    sdk = await import(join(scriptDir, "node_modules", "@garmin", "fitsdk", "src", "index.js"));
} catch (e) {
    process.stderr.write(`workout_oracle: the FIT SDK is missing (run tests/oracle/setup.sh): ${e.message}\n`);
    process.exit(1);
}
const { Decoder, Encoder, Stream, Profile } = sdk;

let passed = 0, failed = 0;
function check(cond, what) {
    if (cond) passed++;
    else failed++;
    process.stdout.write(`${cond ? "ok  " : "FAIL"} ${what}\n`);
    return cond;
}

function run(args) {
    const r = spawnSync(gk, args, { encoding: "utf8", timeout: 60000 });
    if (r.status !== 0) process.stderr.write(`gaitkeeper ${args.join(" ")}: status ${r.status}\n${r.stderr}`);
    return r;
}

function decode(path) {
    const bytes = readFileSync(path);
    const stream = Stream.fromByteArray(bytes);
    const decoder = new Decoder(stream);
    const ok = decoder.isFIT() && decoder.checkIntegrity();
    const { messages, errors } = decoder.read({ expandSubFields: true, convertTypesToStrings: true });
    return { ok, messages, errors };
}

// The phases as data/running.json gives them.
const running = JSON.parse(readFileSync(join(repoRoot, "data", "running.json"), "utf8"));
const phases = running.walk_run.phases;

function checkWorkout(path, expectSteps, label) {
    const { ok, messages, errors } = decode(path);
    check(ok && errors.length === 0, `${label}: the SDK reads it without errors`);
    const fid = (messages.fileIdMesgs || [])[0];
    check(fid && fid.type === "workout", `${label}: file_id type is workout (${fid && fid.type})`);
    const w = (messages.workoutMesgs || [])[0];
    check(w && w.sport === "running", `${label}: workout sport running (${w && w.sport})`);
    const steps = messages.workoutStepMesgs || [];
    check(w && w.numValidSteps === steps.length && steps.length === expectSteps.length,
        `${label}: ${expectSteps.length} steps (num_valid_steps ${w && w.numValidSteps}, decoded ${steps.length})`);
    let good = true;
    for (let i = 0; i < Math.min(steps.length, expectSteps.length); i++) {
        const s = steps[i], e = expectSteps[i];
        const dur = s.durationTime;
        const target = s.targetType;
        let stepOk = s.messageIndex === i && s.durationType === "time" &&
            Math.abs(dur - e.seconds) < 1e-9 && s.intensity === e.intensity;
        if (e.cadence) {
            stepOk = stepOk && target === "cadence" &&
                s.customTargetCadenceLow === e.cadence - 3 && s.customTargetCadenceHigh === e.cadence + 3;
        } else {
            stepOk = stepOk && target === "open";
        }
        if (!stepOk) {
            good = false;
            process.stdout.write(`     step ${i}: got ${JSON.stringify(s)}, expected ${JSON.stringify(e)}\n`);
        }
    }
    check(good, `${label}: every step's duration, intensity and target`);
}

function phaseSteps(p, cadence) {
    const out = [{ seconds: 300, intensity: "warmup" }];
    if (p.continuous_min) out.push({ seconds: p.continuous_min * 60, intensity: "active", cadence });
    else for (let r = 0; r < p.repeats; r++) {
        out.push({ seconds: p.run_min * 60, intensity: "active", cadence });
        out.push({ seconds: p.walk_min * 60, intensity: "rest" });
    }
    out.push({ seconds: 300, intensity: "cooldown" });
    return out;
}

const tmp = mkdtempSync(join(tmpdir(), "gk-workout-oracle-"));
try {
    // 1. An empty store: walk/run from phase 1, no cadence target.
    const db1 = join(tmp, "empty.db");
    const out1 = join(tmp, "fit1");
    const r1 = run(["--db", db1, "plan", "export", "--fit", out1, "--date", "2025-06-01"]);
    check(r1.status === 0, "empty store: plan export --fit succeeds");
    const files1 = r1.status === 0 ? readdirSync(out1).sort() : [];
    check(files1.length === phases.length, `empty store: ${phases.length} walk/run workouts (${files1.join(" ")})`);
    for (const p of phases) {
        const f = join(out1, `walk_run_${p.phase}.fit`);
        try {
            checkWorkout(f, phaseSteps(p, 0), `walk/run phase ${p.phase}`);
        } catch (e) {
            check(false, `walk/run phase ${p.phase}: ${e.message}`);
        }
    }

    // 2. Six runs at a low cadence for their speed, written by the SDK.
    const runsDir = join(tmp, "runs");
    const day0 = Date.UTC(2025, 4, 20, 7, 0, 0); // 2025-05-20
    const files = [];
    spawnSync("mkdir", ["-p", runsDir]);
    for (let k = 0; k < 6; k++) {
        const start = new Date(day0 + k * 2 * 86400000);
        const speed = 2.8 + 0.08 * k;          // m/s
        const rpm = 74 + 0.4 * k;              // strides/min: 148..152 steps/min
        const secs = 1800;
        const enc = new Encoder();
        enc.onMesg(Profile.MesgNum.FILE_ID, { manufacturer: "development", product: 1, serialNumber: 1000 + k, timeCreated: start, type: "activity" });
        for (let t = 0; t <= secs; t += 10) {
            enc.onMesg(Profile.MesgNum.RECORD, {
                timestamp: new Date(start.getTime() + t * 1000), distance: speed * t, speed: speed,
                cadence: Math.floor(rpm), fractionalCadence: rpm - Math.floor(rpm), heartRate: 140,
            });
        }
        const end = new Date(start.getTime() + secs * 1000);
        enc.onMesg(Profile.MesgNum.LAP, { timestamp: end, startTime: start, totalElapsedTime: secs, totalTimerTime: secs, totalDistance: speed * secs, avgSpeed: speed, avgCadence: Math.floor(rpm), avgFractionalCadence: rpm - Math.floor(rpm), sport: "running" });
        enc.onMesg(Profile.MesgNum.SESSION, { timestamp: end, startTime: start, totalElapsedTime: secs, totalTimerTime: secs, totalDistance: speed * secs, avgSpeed: speed, avgCadence: Math.floor(rpm), avgFractionalCadence: rpm - Math.floor(rpm), sport: "running", subSport: "generic", numLaps: 1, firstLapIndex: 0 });
        enc.onMesg(Profile.MesgNum.ACTIVITY, { timestamp: end, numSessions: 1, type: "manual", totalTimerTime: secs });
        const f = join(runsDir, `run${k}.fit`);
        writeFileSync(f, enc.close());
        files.push(f);
    }
    const db2 = join(tmp, "runs.db");
    const imp = run(["--db", db2, "import", runsDir]);
    check(imp.status === 0, "six SDK-written runs import");
    // A runner cleared to run (no red flag, a clean screen, a calm pain log):
    // the cadence target comes only with a running prescription.
    const noFlags = { trauma: false, swelling_within_2h: false, locking: false, giving_way: false,
        night_pain: false, rest_pain: false, fever_or_unwell: false, hot_red_swollen: false,
        can_bear_weight: true, can_flex_90: true, bony_tenderness: false, pain_on_hop: false,
        hip_or_groin_pain: false, constant_pain: false };
    const intake = { age: 35, sex: "female", onset: "gradual", ...noFlags,
        morning_stiffness_min: 0, pain_now: 0, pain_run: 1, pain_daily: 0 };
    const screen = { knee_to_wall_cm: { left: 12, right: 12.5 }, deep_squat: { full_depth: true, pain: false },
        lunge: { pain: false }, walk_30min_pain: false };
    writeFileSync(join(tmp, "intake.json"), JSON.stringify(intake));
    writeFileSync(join(tmp, "screen.json"), JSON.stringify(screen));
    check(run(["--db", db2, "intake", "--answers", join(tmp, "intake.json"), "--date", "2025-05-31"]).status === 0,
        "intake answers stored");
    check(run(["--db", db2, "screen", "--answers", join(tmp, "screen.json"), "--date", "2025-05-31"]).status === 0,
        "screen answers stored");
    check(run(["--db", db2, "pain", "add", "--date", "2025-05-31", "--during", "1", "--after", "1",
        "--morning", "0"]).status === 0, "pain entry stored");
    const pj = run(["--db", db2, "plan", "--json", "--date", "2025-06-01"]);
    let plan = null;
    try { plan = JSON.parse(pj.stdout); } catch (e) { /* checked below */ }
    check(plan !== null, "plan --json is JSON");
    const cad = plan ? plan.cadence : {};
    const base = cad.baseline_spm;
    check(typeof base === "number" && base > 145 && base < 155, `cadence baseline from the runs: ${base}`);
    const target = cad.target_spm;
    check(typeof target === "number" && target === Math.round(base * 1.05) && target !== 180,
        `cadence target +5% of the baseline, not 180: ${target}`);
    check(typeof cad.later_target_spm === "number" && cad.later_target_spm <= base * 1.10 + 1e-9,
        `later target at most +10%: ${cad.later_target_spm}`);
    const out2 = join(tmp, "fit2");
    const r2 = run(["--db", db2, "plan", "export", "--fit", out2, "--date", "2025-06-01"]);
    check(r2.status === 0, "runs: plan export --fit succeeds");
    const cadFile = join(out2, `cadence_${target}.fit`);
    const cadSteps = [{ seconds: 600, intensity: "warmup" }];
    for (let r = 0; r < 5; r++) {
        cadSteps.push({ seconds: 180, intensity: "active", cadence: target });
        cadSteps.push({ seconds: 120, intensity: "rest" });
    }
    cadSteps.push({ seconds: 300, intensity: "cooldown" });
    try {
        checkWorkout(cadFile, cadSteps, `cadence workout ${target}`);
    } catch (e) {
        check(false, `cadence workout: ${e.message}`);
    }
} finally {
    rmSync(tmp, { recursive: true, force: true });
}

process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exit(failed ? 1 : 0);
