// The web app in a real browser (Debian's Chromium via puppeteer-core):
// sign in with the printed URL, keyboard-only pain logging (Tab to a field,
// type, Enter submits), upload a real FIT file and see it in the runs table,
// view the report and print it (page.pdf), fill the intake (a field's
// message, a red flag and its referral) and the screen, add a runner and
// switch back, every page at 390 px with no horizontal scroll; upload a real
// C3D on the Gait page and see it stored and analysed.
// Usage: node test_app.mjs URL FITFILE|- [C3DFILE|-]
import puppeteer from "puppeteer-core";

const [url, fit, c3d = "-"] = process.argv.slice(2);
const base = new URL(url).origin;
let pass = 0, fail = 0;
function check(name, ok) {
  if (ok) pass++;
  else { fail++; console.log("FAIL: " + name); }
}

const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run"],
});
try {
  const page = await browser.newPage();
  const errors = [];
  // the 422 of the refused form is expected; everything else is an error
  page.on("console", (m) => {
    if (m.type() === "error" && !/status of 422/.test(m.text())) errors.push(m.text());
  });
  await page.setViewport({ width: 1000, height: 800 });
  await page.goto(url, { waitUntil: "load" });
  check("signed in: redirected to / without the token", page.url() === base + "/");
  check("Today's heading", (await page.$eval("h1", (h) => h.textContent)) === "Today");
  check("Today shows the stage", (await page.$("#s-stage")) !== null);

  // keyboard only: Tab from the top of the page to the "during" field
  await page.goto(base + "/pain", { waitUntil: "load" });
  let tabs = 0, focused = "";
  while (tabs < 30 && focused !== "f-during") {
    await page.keyboard.press("Tab");
    tabs++;
    focused = await page.evaluate(() => document.activeElement && document.activeElement.id);
  }
  check("Tab reaches the pain field (" + tabs + " presses)", focused === "f-during");
  await page.keyboard.type("3");
  await page.keyboard.press("Tab");
  await page.keyboard.type("2");
  await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.keyboard.press("Enter")]);
  const saved = await page.$eval("main", (m) => m.textContent);
  check("Enter submits and the entry is saved", /Saved: pain entry \d+/.test(saved));
  check("the pain log lists it", /During/.test(saved));

  // a bad value: the browser refuses it; past the browser, the server's
  // message is by its field and the other values are kept
  await page.type("#f-morning", "12");
  check("the browser refuses 12 (max 10)",
        await page.$eval("#f-morning", (i) => !i.checkValidity()));
  await page.$eval("#f-morning", (i) => i.removeAttribute("max"));
  await page.type("#f-note", "kept");
  await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.click("button[type=submit]")]);
  check("the server's message by the field",
        /whole number from 0 to 10/.test(await page.$eval("#e-morning", (e) => e.textContent)));
  check("the note kept", (await page.$eval("#f-note", (t) => t.value)) === "kept");

  if (fit !== "-") {
    await page.goto(base + "/runs", { waitUntil: "load" });
    const input = await page.$("#f-files");
    await input.uploadFile(fit);
    check("the upload form has a progress bar (hidden until sending)",
          await page.$eval("form[data-progress] .progress", (d) => d.hidden));
    // the script sends the files by XMLHttpRequest (the bar shows the bytes
    // sent) and puts the server's answer page in place of this one
    await page.click("button[type=submit]");
    await page.waitForFunction(() => document.body && /Imported \d+ run|Nothing imported|failed/.test(document.body.innerText),
                               { timeout: 30000 });
    const text = await page.evaluate(() => document.body ? document.body.innerText : "");
    if (!/Imported/.test(text)) console.log("upload page: " + page.url() + " " + text.slice(0, 300));
    check("the FIT upload is imported", /imported/.test(text) && /Imported 1 run/.test(text));
    check("the runs table shows it", (await page.$$("table.runs tbody tr")).length === 1);
  } else {
    console.log("SKIP: the FIT upload (no real FIT file)");
  }

  if (c3d !== "-") {
    await page.goto(base + "/gait", { waitUntil: "load" });
    await (await page.$("#g-capture")).uploadFile(c3d);
    /* the RBDS running trial needs its standing trial for the knee centres */
    await (await page.$("#g-static")).uploadFile(c3d.replace(/runT\d+\.c3d$/, "static.c3d"));
    await page.select("#g-surface", "treadmill");
    await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.click("button[type=submit]")]);
    const text = await page.evaluate(() => document.body ? document.body.innerText : "");
    if (!/Stored as capture/.test(text)) console.log("gait page: " + page.url() + " " + text.slice(0, 900).replace(/\n/g, " / "));
    check("the C3D upload is stored", /Stored as capture \d+: 3D capture/.test(text));
    check("the Gait page shows its analysis", (await page.$("#s-gait")) !== null);
  } else {
    console.log("SKIP: the gait upload (no real C3D file)");
  }

  await page.goto(base + "/report.html", { waitUntil: "load" });
  check("the report page", (await page.title()).startsWith("Runner's knee report"));
  const pdf = await page.pdf({ format: "A4", printBackground: true });
  check("the report prints (page.pdf, " + pdf.length + " bytes)",
        pdf.length > 10000 && Buffer.from(pdf.subarray(0, 4)).toString() === "%PDF");

  // the intake: a form from the question definitions; a bad age gets its
  // message by the field (the other answers kept); a locking knee is a red
  // flag shown at once with whom to see and how soon
  await page.goto(base + "/intake", { waitUntil: "load" });
  check("the intake form asks the age", (await page.$("#q-age")) !== null);
  check("the intake form has the 13 AKPS items",
        (await page.$$("input[type=radio][name^='akps.'][value='1']")).length === 13);
  await page.type("#q-age", "9");
  await page.click("input[name=locking][value=yes]");
  await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.click("form.answers button[type=submit]")]);
  check("the age's message by its field",
        /from 10 to 100/.test(await page.$eval("#q-age-err", (e) => e.textContent)));
  check("the locking answer kept",
        await page.$eval("input[name=locking][value=yes]", (i) => i.checked));
  await page.$eval("#q-age", (i) => { i.value = ""; });
  await page.type("#q-age", "34");
  await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.click("form.answers button[type=submit]")]);
  const intake = await page.$eval("main", (m) => m.innerText);
  check("the intake is saved", /Saved: intake answers #\d+/.test(intake));
  check("the red flag at once, with whom and how soon",
        (await page.$("section[role=alert]")) !== null && /Red flags/.test(intake) &&
        /today or tomorrow/.test(intake));

  // the screen: one answer by keyboard, saved, and the form shows it again
  await page.goto(base + "/screen", { waitUntil: "load" });
  await page.type("#q-knee_to_wall_cm-left", "7,5");
  await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.click("form.answers button[type=submit]")]);
  check("the screen is saved", /Saved: screen answers/.test(await page.$eval("main", (m) => m.innerText)));
  await page.goto(base + "/screen", { waitUntil: "load" });
  check("the screen form shows the last answer (7.5)",
        (await page.$eval("#q-knee_to_wall_cm-left", (i) => i.value)) === "7.5");

  // runners: add a second one; their pages are empty; back to the first
  await page.goto(base + "/runners", { waitUntil: "load" });
  await page.type("#f-name", "Ben Second");
  await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.click("#add-runner button[type=submit]")]);
  check("the new runner's pages", /Runner: Ben Second/.test(await page.$eval("header", (h) => h.innerText)));
  await page.goto(base + "/pain", { waitUntil: "load" });
  check("the new runner has no pain entries", !/During/.test(await page.$eval("main", (m) => m.innerText)) ||
        (await page.$$("table tbody tr")).length === 0);
  await page.goto(base + "/runners", { waitUntil: "load" });
  const rows = await page.$$eval("tbody tr", (trs) => trs.map((t) => t.innerText));
  check("the list shows both runners", rows.length === 2);
  const first = await page.$("button[aria-label='Open Runner 1']");
  check("an Open button for the first runner", first !== null);
  if (first) {
    await Promise.all([page.waitForNavigation({ waitUntil: "load" }), first.click()]);
    check("back on the first runner", /Runner: Runner 1/.test(await page.$eval("header", (h) => h.innerText)));
    await page.goto(base + "/pain", { waitUntil: "load" });
    check("the first runner's pain log again", /During/.test(await page.$eval("main", (m) => m.innerText)));
  }

  await page.setViewport({ width: 390, height: 844 });
  for (const p of ["/", "/pain", "/exercise", "/runs", "/gait", "/intake", "/screen", "/runners", "/report", "/report.html"]) {
    await page.goto(base + p, { waitUntil: "load" });
    const w = await page.evaluate(() => document.documentElement.scrollWidth);
    check("390 px: no horizontal scroll on " + p + " (" + w + " px)", w <= 390);
    const nav = await page.$$("nav a");
    if (p !== "/report.html") check("nav on " + p, nav.length === 9);
  }
  check("no errors in the console (CSP included): " + errors.join("; "), errors.length === 0);
} finally {
  await browser.close();
}
console.log(pass + " passed, " + fail + " failed");
process.exit(fail ? 1 : 0);
