// outline.mjs -- the outline of a gaitkeeper HTML report, for the golden
// test: every heading (h1-h3), every chart's title and text alternative
// (its <desc>, which states the chart's key numbers), the key numbers of
// the load section (its <dl>), and the findings' severities and codes, one
// per line, entities decoded.  Stable where the whole HTML is not (styles,
// coordinates).
//   node outline.mjs REPORT.html
import { readFileSync } from "node:fs";

const html = readFileSync(process.argv[2], "utf8");
const decode = (s) =>
  s.replace(/<[^>]*>/g, "")
    .replace(/&#(\d+);/g, (_, n) => String.fromCodePoint(Number(n)))
    .replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ").trim();

const out = [];
const re = /<(h[1-3])\b[^>]*>([\s\S]*?)<\/\1>|<title id="[^"]*">([\s\S]*?)<\/title>|<desc id="[^"]*">([\s\S]*?)<\/desc>|<dt>([\s\S]*?)<\/dt><dd>([\s\S]*?)<\/dd>|<code>([\s\S]*?)<\/code>/g;
let m;
while ((m = re.exec(html)) !== null) {
  if (m[1]) out.push(`${m[1]}: ${decode(m[2])}`);
  else if (m[3] !== undefined) out.push(`chart: ${decode(m[3])}`);
  else if (m[4] !== undefined) out.push(`  alt: ${decode(m[4])}`);
  else if (m[5] !== undefined) out.push(`  ${decode(m[5])}: ${decode(m[6])}`);
  else if (m[7] !== undefined) out.push(`  code: ${decode(m[7])}`);
}
process.stdout.write(out.join("\n") + "\n");
