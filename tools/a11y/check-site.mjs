// Check a site dhrtrack built: every page through axe-core's WCAG 2.2 A and AA rules in headless
// Chromium (0 violations, or exit 1 with each one listed), no request leaving the site's own
// files, and every internal link (and #fragment) resolving. Screenshots of the home page, the
// first review and the first agency at phone (390 px) and desktop (1280 px) widths go to OUT_DIR.
// Usage: node check-site.mjs SITE_DIR OUT_DIR [CHROMIUM]   (SITE_A11Y_MAX=N: axe on N pages, spread)
import { readFileSync, readdirSync, statSync, existsSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import puppeteer from "puppeteer-core";

const require = createRequire(import.meta.url);
const [siteDir, outDir, chromium = process.env.CHROMIUM || "/usr/bin/chromium"] = process.argv.slice(2);
if (!siteDir || !outDir) {
  console.error("usage: node check-site.mjs SITE_DIR OUT_DIR [CHROMIUM]");
  process.exit(2);
}
mkdirSync(outDir, { recursive: true });
const root = path.resolve(siteDir);
const pages = [];
(function walk(dir) {
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) walk(full);
    else if (name.endsWith(".html")) pages.push(full);
  }
})(root);

// Links: every href and src that is not absolute resolves to a file, and a #fragment to an id in it.
const ids = new Map();
const idsOf = (file) => {
  if (!ids.has(file)) ids.set(file, new Set([...readFileSync(file, "utf8").matchAll(/\sid="([^"]*)"/g)].map((m) => m[1])));
  return ids.get(file);
};
let broken = 0;
let links = 0;
for (const page of pages) {
  const text = readFileSync(page, "utf8");
  for (const match of text.matchAll(/\s(?:href|src)="([^"]*)"/g)) {
    const target = match[1].replace(/&amp;/g, "&");
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) {
      console.log(`${path.relative(root, page)}: link out of the site: ${target}`);
      broken++;
      continue;
    }
    links++;
    const [file, fragment] = target.split("#");
    const resolved = file ? path.resolve(path.dirname(page), decodeURIComponent(file)) : page;
    if (!resolved.startsWith(root) || !existsSync(resolved)) {
      console.log(`${path.relative(root, page)}: broken link ${target}`);
      broken++;
    } else if (fragment && resolved.endsWith(".html") && !idsOf(resolved).has(fragment)) {
      console.log(`${path.relative(root, page)}: no id for ${target}`);
      broken++;
    }
  }
}
console.log(`links: ${links} internal links in ${pages.length} pages, ${broken} broken`);

// axe on every page, or on SITE_A11Y_MAX of them spread over the site (the home page, each list's
// first page and the first page of each kind are always among them).
const max = Number(process.env.SITE_A11Y_MAX || 0);
let checked = pages;
if (max && pages.length > max) {
  const firsts = new Map();
  for (const p of pages) {
    const kind = path.relative(root, p).split(path.sep)[0];
    if (!firsts.has(kind)) firsts.set(kind, p);
  }
  const chosen = new Set([path.join(root, "index.html"), ...firsts.values()]);
  const step = pages.length / Math.max(1, max - chosen.size);
  for (let i = 0; chosen.size < max && i < pages.length; i += step) chosen.add(pages[Math.floor(i)]);
  checked = pages.filter((p) => chosen.has(p));
}
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const browser = await puppeteer.launch({
  executablePath: chromium,
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--font-render-hinting=none", "--allow-file-access-from-files"],
});
let violations = 0;
let version = "";
try {
  const page = await browser.newPage();
  await page.setRequestInterception(true);
  page.on("request", (request) => {
    if (request.url().startsWith("file:")) return request.continue();
    console.log(`request out of the site refused: ${request.url()}`);
    violations++;
    return request.abort();
  });
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  for (const file of checked) {
    await page.goto("file://" + file, { waitUntil: "load" });
    await page.addScriptTag({ content: axeSource });
    const results = await page.evaluate(async () =>
      // eslint-disable-next-line no-undef
      await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] } }),
    );
    version = results.testEngine.version;
    for (const violation of results.violations) {
      violations++;
      console.log(`${path.relative(root, file)}: ${violation.id} (${violation.impact}): ${violation.help}`);
      for (const node of violation.nodes.slice(0, 5)) console.log(`  ${node.target.join(" ")}: ${node.failureSummary.split("\n").join(" ")}`);
    }
  }
  for (const error of errors) {
    violations++;
    console.log(`script error: ${error}`);
  }
  // Screenshots for a person to look at: home, the first review, the first agency.
  const shots = [
    ["home", path.join(root, "index.html")],
    ["review", pages.find((p) => p.includes(`${path.sep}reviews${path.sep}`) && !p.endsWith("index.html"))],
    ["agency", pages.find((p) => p.includes(`${path.sep}agencies${path.sep}`) && !p.endsWith("index.html"))],
  ];
  for (const [name, file] of shots) {
    if (!file) continue;
    for (const width of [390, 1280]) {
      await page.setViewport({ width, height: 900 });
      await page.goto("file://" + file, { waitUntil: "load" });
      await page.screenshot({ path: path.join(outDir, `${name}-${width}.png`) });
    }
  }
} finally {
  await browser.close();
}
console.log(`axe-core ${version}: ${checked.length} of ${pages.length} pages checked, ${violations} violations`);
process.exit(violations || broken ? 1 : 0);
