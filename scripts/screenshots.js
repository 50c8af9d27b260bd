// Screenshots of a served Vita site, driven by scripts/screenshots.sh.
//
// Usage: node screenshots.js BASE_URL OUTPUT_DIR CHROMIUM USER_DATA_DIR
//
// BASE_URL must be on 127.0.0.1: the browser is allowed to load nothing else. Writes
// one full-page PNG per page, width and color scheme, such as
// `researcher-phone-dark.png`, and exits with 1 when a page fails to load or logs a
// script error.

"use strict";

const path = require("node:path");
const { chromium } = require("playwright-core");

const ALLOWED_HOST = "127.0.0.1";
const VIEWPORTS = [
  { name: "phone", width: 390, height: 844 },
  { name: "desktop", width: 1280, height: 800 },
];
const SCHEMES = ["light", "dark"];

const [base, outputDir, executablePath, userDataDir] = process.argv.slice(2);
if (!base || !outputDir || !executablePath || !userDataDir) {
  console.error("usage: node screenshots.js BASE_URL OUTPUT_DIR CHROMIUM USER_DATA_DIR");
  process.exit(2);
}
if (new URL(base).hostname !== ALLOWED_HOST) {
  console.error(`error: BASE_URL must be on ${ALLOWED_HOST}, got ${base}`);
  process.exit(2);
}

/** Returns the hrefs of the links matching `selector` on the page at `url`. */
async function links(page, url, selector) {
  const response = await page.goto(url, { waitUntil: "load" });
  if (!response || response.status() !== 200) {
    return [];
  }
  return page.$$eval(selector, (anchors) =>
    anchors.map((a) => ({ href: a.href, text: a.textContent.trim() })),
  );
}

/** Picks the pages to photograph, each as `[name, url]`, from the site's lists. */
async function choosePages(page) {
  const pages = [["home", base]];

  const researchers = await links(page, new URL("researchers/", base).href, "ul.directory a");
  if (researchers.length > 0) {
    pages.push(["researcher", researchers[0].href]);
  }

  // The page with the longest title shows best whether titles and math wrap on a phone.
  const publications = await links(page, new URL("publications/", base).href, ".work-title a");
  if (publications.length > 0) {
    const longest = publications.reduce((a, b) => (b.text.length > a.text.length ? b : a));
    pages.push(["publication", longest.href]);
  }

  const topics = await links(page, new URL("topics/", base).href, "ul.topic-list a");
  if (topics.length > 0) {
    pages.push(["topic", topics[0].href]);
  }

  const institutionList = new URL("institutions/", base).href;
  const institutions = await links(page, institutionList, "ul.institution-list a");
  if (institutions.length > 0) {
    pages.push(["institution", institutions[0].href]);
  } else {
    console.error("note: no institution page; taking the institution list instead");
    pages.push(["institutions", institutionList]);
  }

  const explore = new URL("explore/", base).href;
  const response = await page.goto(explore, { waitUntil: "load" });
  if (response && response.status() === 200) {
    pages.push(["explore", explore]);
  } else {
    console.error(`note: ${explore} does not exist; skipped`);
  }
  return pages;
}

async function main() {
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      // Resolve no host name, so that nothing but the 127.0.0.1 address can load.
      `--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE ${ALLOWED_HOST}`,
    ],
    serviceWorkers: "block",
  });
  const blocked = [];
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === "http:" && url.hostname === ALLOWED_HOST) {
      return route.continue();
    }
    blocked.push(url.href);
    return route.abort();
  });

  const page = context.pages()[0] || (await context.newPage());
  const problems = [];
  page.on("pageerror", (error) => problems.push(`${page.url()}: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") {
      problems.push(`${page.url()}: console error: ${message.text()}`);
    }
  });

  const pages = await choosePages(page);
  for (const [name, url] of pages) {
    for (const viewport of VIEWPORTS) {
      await page.setViewportSize({ width: viewport.width, height: viewport.height });
      for (const scheme of SCHEMES) {
        await page.emulateMedia({ colorScheme: scheme });
        const response = await page.goto(url, { waitUntil: "load" });
        const status = response ? response.status() : 0;
        if (status !== 200) {
          problems.push(`${url}: status ${status}`);
          continue;
        }
        await page.evaluate(() => document.fonts.ready);
        const file = path.join(outputDir, `${name}-${viewport.name}-${scheme}.png`);
        await page.screenshot({ path: file, fullPage: true });
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        const overflow = width > viewport.width ? ` (scrolls sideways: ${width} px wide)` : "";
        console.log(`${file}${overflow}`);
      }
    }
  }
  await context.close();

  for (const url of blocked) {
    console.error(`note: blocked a request to ${url}`);
  }
  for (const problem of problems) {
    console.error(`error: ${problem}`);
  }
  process.exitCode = problems.length > 0 ? 1 : 0;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
