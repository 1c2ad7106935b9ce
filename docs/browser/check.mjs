// Opens every HTML page of the documentation site in headless Chromium and reports, one line per problem:
//   - an image that did not load (missing file, broken SVG),
//   - an internal link to a missing file or a missing anchor,
//   - a console error or an uncaught page error,
//   - any request that would leave the machine (http, https, ws): such requests are blocked and reported.
// Usage: node check.mjs SITE_DIR CHROMIUM_PATH [--screenshots DIR]
// Exit status: 0 when every page is clean, 1 when a problem was found, 2 on a usage or setup error.
import { chromium } from 'playwright-core';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
if (args.length < 2) {
  console.error('usage: node check.mjs SITE_DIR CHROMIUM_PATH [--screenshots DIR]');
  process.exit(2);
}
const site = resolve(args[0]);
const executablePath = args[1];
const shotsAt = args.indexOf('--screenshots');
const shots = shotsAt >= 0 ? resolve(args[shotsAt + 1]) : null;

function htmlFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    if (name.startsWith('.')) continue;
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) out.push(...htmlFiles(p));
    else if (name.endsWith('.html')) out.push(p);
  }
  return out.sort();
}

const pages = htmlFiles(site);
if (!pages.includes(join(site, 'index.html'))) {
  console.error(`check-browser: no index.html under ${site}: build the site first (./mvnw -pl docs -am verify)`);
  process.exit(2);
}

const problems = [];
const report = (page, what) => problems.push(`${relative(site, page) || '.'}: ${what}`);
const idsByPage = new Map();     // absolute file path -> Set of ids/names
const linksByPage = new Map();   // absolute file path -> [{href, file, fragment}]
let externalLinks = 0;

const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--allow-file-access-from-files'],
});
const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
// Every request that would leave the machine is blocked and reported against the page that made it.
const pageOf = new Map(); // Page -> file being checked in it
await context.route(/^(https?|wss?|ftp):/i, (route) => {
  const owner = pageOf.get(route.request().frame().page()) ?? site;
  report(owner, `blocked a network request: ${route.request().url()}`);
  return route.abort('blockedbyclient');
});

async function checkPage(page, file) {
  pageOf.set(page, file);
  try {
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load', timeout: 30000 });
  } catch (e) {
    report(file, `did not load: ${e.message.split('\n')[0]}`);
    return;
  }
  const info = await page.evaluate(() => {
    const images = [...document.images].map((img) => ({
      src: img.getAttribute('src'), ok: img.complete && img.naturalWidth > 0,
    }));
    const ids = [...document.querySelectorAll('[id]')].map((e) => e.id)
      .concat([...document.querySelectorAll('a[name]')].map((e) => e.getAttribute('name')));
    const links = [...document.querySelectorAll('a[href]')].map((a) => ({ raw: a.getAttribute('href'), abs: a.href }));
    return { images, ids, links };
  });
  for (const img of info.images) {
    if (!img.ok) report(file, `image did not load: ${img.src}`);
  }
  idsByPage.set(file, new Set(info.ids));
  const links = [];
  for (const { raw, abs } of info.links) {
    if (/^(https?|ftp):/i.test(abs)) { externalLinks++; continue; }
    if (!abs.startsWith('file:')) continue; // mailto:, javascript:
    const u = new URL(abs);
    const target = fileURLToPath(u.href.split('#')[0].split('?')[0]);
    links.push({ raw, target, fragment: u.hash ? decodeURIComponent(u.hash.slice(1)) : '' });
  }
  linksByPage.set(file, links);
  if (shots && !relative(site, file).startsWith(`api${sep}`)) {
    mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: join(shots, relative(site, file).replaceAll(sep, '_') + '.png'), fullPage: true });
  }
}

// a few tabs in parallel, each loading its share of the pages one after another
const t0 = Date.now();
const queue = [...pages];
const WORKERS = Math.max(1, Math.min(4, Number(process.env.CHECK_BROWSER_TABS ?? 3)));
await Promise.all(Array.from({ length: WORKERS }, async () => {
  const page = await context.newPage();
  let current = null;
  page.on('console', (msg) => {
    if (msg.type() === 'error') report(current, `console error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => report(current, `page error: ${err.message}`));
  page.on('requestfailed', (req) => {
    const url = req.url();
    if (/^(https?|wss?|ftp):/i.test(url)) return; // already reported as blocked
    report(current, `failed to load ${url.startsWith('file:') ? relative(site, fileURLToPath(url)) : url}: ${req.failure()?.errorText}`);
  });
  for (let file = queue.shift(); file; file = queue.shift()) {
    current = file;
    await checkPage(page, file);
  }
  await page.close();
}));

// links: resolved after every page was seen, so anchors of every page are known
let internalLinks = 0;
for (const [file, links] of linksByPage) {
  for (const { raw, target, fragment } of links) {
    internalLinks++;
    let t = target;
    if (!t.startsWith(site + sep) && t !== site) { report(file, `link ${raw} leaves the site`); continue; }
    if (existsSync(t) && statSync(t).isDirectory()) t = join(t, 'index.html');
    if (!existsSync(t)) { report(file, `broken link ${raw} (no file ${relative(site, t)})`); continue; }
    if (fragment && t.endsWith('.html') && fragment !== 'top') {
      const ids = idsByPage.get(t);
      if (ids && !ids.has(fragment)) report(file, `broken link ${raw} (no anchor #${fragment} in ${relative(site, t)})`);
    }
  }
}
await browser.close();

const secs = ((Date.now() - t0) / 1000).toFixed(1);
for (const p of problems) console.log(p);
console.log(`check-browser: ${pages.length} pages, ${internalLinks} internal links checked, ${externalLinks} external links `
  + `not followed, ${problems.length} problem(s), ${secs} s${shots ? `, screenshots in ${shots}` : ''}`);
process.exit(problems.length ? 1 : 0);
