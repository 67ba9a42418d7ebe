// The web app in a real browser (Debian's Chromium via puppeteer-core):
// sign in with the printed URL, keyboard-only pain logging (Tab to a field,
// type, Enter submits), upload a real FIT file and see it in the runs table,
// view the report and print it (page.pdf), every page at 390 px with no
// horizontal scroll; upload a real C3D on the Gait page and see it stored and
// analysed.  Usage: node test_app.mjs URL FITFILE|- [C3DFILE|-]
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
    await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.click("button[type=submit]")]);
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

  await page.setViewport({ width: 390, height: 844 });
  for (const p of ["/", "/pain", "/exercise", "/runs", "/gait", "/report", "/report.html"]) {
    await page.goto(base + p, { waitUntil: "load" });
    const w = await page.evaluate(() => document.documentElement.scrollWidth);
    check("390 px: no horizontal scroll on " + p + " (" + w + " px)", w <= 390);
    const nav = await page.$$("nav a");
    if (p !== "/report.html") check("nav on " + p, nav.length === 6);
  }
  check("no errors in the console (CSP included): " + errors.join("; "), errors.length === 0);
} finally {
  await browser.close();
}
console.log(pass + " passed, " + fail + " failed");
process.exit(fail ? 1 : 0);
