// Checks Vita's pages in headless Chromium, driven by scripts/check-browser.sh.
//
// Usage: node check-pages.js VITA CHROMIUM WORK_DIR SITE_DIR...
//
// The `site.yaml`, `content/` and `themes/` of each site are copied into WORK_DIR, and
// the copy is served with `vita serve` on 127.0.0.1 and a free port. Every page that
// the site's sitemap lists, and 404.html, is loaded and must have:
//   - no console error and no uncaught exception (page error);
//   - no request to a host other than 127.0.0.1 (the browser aborts such requests);
//   - a non-empty box for every `math` element, so MathML is laid out;
//   - no axe-core violation of impact "serious" or "critical", in the light and the
//     dark color scheme.
// Then a publication page of the first site is opened, its YAML file is edited, and
// the page must reload by itself and show the new title.
//
// Prints every finding on its own line and exits with 1 when there is any, or with 2
// when the checks cannot run.

"use strict";

const childProcess = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const { chromium } = require("playwright-core");

const ALLOWED_HOST = "127.0.0.1";
const BLOCKING_IMPACTS = new Set(["serious", "critical"]);
const SCHEMES = ["light", "dark"];
const SERVE_START_TIMEOUT_MS = 60_000;
const RELOAD_TIMEOUT_MS = 30_000;
const AXE_SOURCE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

const findings = [];
let mathCount = 0;
let pageCount = 0;

/** Records one finding, printed at once so that a slow run shows progress. */
function report(where, message) {
  const line = `${where}: ${message}`;
  findings.push(line);
  console.error(`FINDING ${line}`);
}

/**
 * Starts `vita serve` on a free port of 127.0.0.1 and resolves with the process and the
 * site's address, read from the line "Serving the site at URL; press Ctrl-C to stop".
 */
function startServer(vita, root) {
  return new Promise((resolve, reject) => {
    const server = childProcess.spawn(
      vita,
      ["serve", "--root", root, "--interface", ALLOWED_HOST, "--port", "0"],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    let log = "";
    const timer = setTimeout(() => {
      server.kill();
      reject(new Error(`vita serve printed no address within ${SERVE_START_TIMEOUT_MS} ms; its log:\n${log}`));
    }, SERVE_START_TIMEOUT_MS);
    server.stderr.setEncoding("utf8");
    server.stderr.on("data", (chunk) => {
      log += chunk;
      const match = log.match(/Serving the site at (http:\/\/127\.0\.0\.1:\d+\/\S*);/);
      if (match) {
        clearTimeout(timer);
        resolve({ server, url: match[1], log: () => log });
      }
    });
    server.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`vita serve exited with ${code} before printing its address; its log:\n${log}`));
    });
  });
}

function stopServer(server) {
  return new Promise((resolve) => {
    if (server.exitCode !== null) {
      resolve();
      return;
    }
    server.once("exit", () => resolve());
    server.kill("SIGINT");
  });
}

/**
 * Lists the served address of every page: the sitemap's `<loc>` entries, which are
 * absolute URLs or paths under the same base path that `vita serve` uses, and 404.html.
 */
async function listPages(page, base) {
  const response = await page.request.get(new URL("sitemap.xml", base).href);
  if (response.status() !== 200) {
    throw new Error(`${base}sitemap.xml returned status ${response.status()}`);
  }
  const xml = await response.text();
  const urls = [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((match) => {
    const location = new URL(match[1].replaceAll("&amp;", "&"), base);
    return new URL(location.pathname, base).href;
  });
  urls.push(new URL("404.html", base).href);
  return urls;
}

/** Opens every closed `<details>`, so math inside one is laid out and measured. */
function openDetails() {
  for (const details of document.querySelectorAll("details:not([open])")) {
    details.open = true;
  }
}

/** Counts the `math` elements and describes each whose box has no width or height. */
function measureMath() {
  const elements = document.querySelectorAll("math");
  const empty = [];
  for (const math of elements) {
    const box = math.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) {
      const tex = math.querySelector('annotation[encoding="application/x-tex"]');
      const source = (tex || math).textContent.trim().slice(0, 80);
      empty.push(`${box.width}x${box.height} px: ${source}`);
    }
  }
  return { count: elements.length, empty };
}

/** Runs axe-core in the page and returns its violations. */
async function axeViolations(page) {
  await page.addScriptTag({ content: AXE_SOURCE });
  const results = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  return results.violations;
}

/** Loads one page in one color scheme and reports what is wrong with it. */
async function checkPage(context, url, scheme) {
  const page = await context.newPage();
  const where = `${url} (${scheme})`;
  page.on("console", (message) => {
    if (message.type() === "error") {
      report(where, `console error: ${message.text()}`);
    }
  });
  page.on("pageerror", (error) => report(where, `page error: ${error.message}`));
  try {
    await page.emulateMedia({ colorScheme: scheme });
    const response = await page.goto(url, { waitUntil: "load" });
    if (!response || response.status() !== 200) {
      report(where, `status ${response ? response.status() : "none"}, expected 200`);
    }
    await page.evaluate(openDetails);
    if (scheme === SCHEMES[0]) {
      const { count, empty } = await page.evaluate(measureMath);
      mathCount += count;
      for (const box of empty) {
        report(where, `math element with an empty box, ${box}`);
      }
    }
    for (const violation of await axeViolations(page)) {
      if (!BLOCKING_IMPACTS.has(violation.impact)) {
        continue;
      }
      const targets = violation.nodes.map((node) => node.target.join(" ")).slice(0, 5);
      report(
        where,
        `axe ${violation.impact} violation ${violation.id}: ${violation.help} (${violation.helpUrl}) at ${targets.join(", ")}`,
      );
    }
  } catch (error) {
    report(where, `failed to check the page: ${error.message}`);
  } finally {
    await page.close();
  }
}

/** Copies the files that `vita serve` reads (not `output/` or, for this repository, `target/`). */
function copySite(site, root) {
  for (const name of ["site.yaml", "content", "themes"]) {
    const source = path.join(site, name);
    if (fs.existsSync(source)) {
      fs.cpSync(source, path.join(root, name), { recursive: true });
    }
  }
}

/** Finds the YAML file and the served address of one publication of the site copy. */
function pickPublication(root, base) {
  const folder = path.join(root, "content", "publications");
  const files = fs
    .readdirSync(folder, { recursive: true })
    .filter((file) => file.endsWith(".yaml"))
    .sort();
  if (files.length === 0) {
    throw new Error(`${folder} contains no publication to edit`);
  }
  const file = path.join(folder, files[0]);
  const text = fs.readFileSync(file, "utf8");
  const idLine = text.match(/^id:\s*(\S+)\s*$/m);
  const id = idLine ? idLine[1] : path.basename(file, ".yaml");
  return { file, url: new URL(`publications/${id}/`, base).href };
}

/**
 * Opens a publication page, edits the title in its YAML file, and checks that the page
 * reloads by itself (a marker set on `window` is gone) and shows the new title.
 */
async function checkLiveReload(context, root, base) {
  const { file, url } = pickPublication(root, base);
  const where = `live reload of ${url}`;
  const page = await context.newPage();
  page.on("pageerror", (error) => report(where, `page error: ${error.message}`));
  try {
    // The file is edited only once the page has connected to the server's event
    // stream, because a reload event sent before that would be lost.
    const eventStream = page.waitForResponse(
      (response) => new URL(response.url()).pathname === "/__vita/events",
      { timeout: RELOAD_TIMEOUT_MS },
    );
    await page.goto(url, { waitUntil: "load" });
    await eventStream;
    await page.evaluate(() => {
      window.vitaCheckMarker = true;
    });

    const marker = `Edited title ${Date.now()}`;
    const text = fs.readFileSync(file, "utf8");
    const edited = text.replace(/^title:.*$/m, `title: '${marker}'`);
    if (edited === text) {
      throw new Error(`${file} has no \`title:\` line to edit`);
    }
    fs.writeFileSync(file, edited);

    await page.waitForFunction(
      (title) => !window.vitaCheckMarker && document.querySelector("h1")?.textContent.includes(title),
      marker,
      { timeout: RELOAD_TIMEOUT_MS, polling: 100 },
    );
  } catch (error) {
    report(where, `the page did not reload with the edited title: ${error.message.split("\n")[0]}`);
  } finally {
    await page.close();
  }
}

async function main() {
  const [vita, executablePath, workDir, ...sites] = process.argv.slice(2);
  if (!vita || !executablePath || !workDir || sites.length === 0) {
    console.error("usage: node check-pages.js VITA CHROMIUM WORK_DIR SITE_DIR...");
    process.exit(2);
  }

  const context = await chromium.launchPersistentContext(path.join(workDir, "profile"), {
    executablePath,
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      // Resolves no host name but 127.0.0.1, on top of the request filter below.
      `--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE ${ALLOWED_HOST}`,
    ],
  });
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === ALLOWED_HOST || url.protocol === "data:") {
      return route.continue();
    }
    report(route.request().frame().url(), `request to ${url.href} blocked: only ${ALLOWED_HOST} is allowed`);
    return route.abort("blockedbyclient");
  });

  try {
    for (const [index, site] of sites.entries()) {
      const root = path.join(workDir, `site-${index}`);
      copySite(site, root);
      const { server, url: base, log } = await startServer(vita, root);
      try {
        const urls = await listPages(await context.newPage(), base);
        console.error(`Checking ${urls.length} pages of ${site} at ${base}`);
        pageCount += urls.length;
        for (const url of urls) {
          for (const scheme of SCHEMES) {
            await checkPage(context, url, scheme);
          }
        }
        if (index === 0) {
          console.error(`Checking live reload on ${base}`);
          await checkLiveReload(context, root, base);
        }
      } catch (error) {
        report(site, `${error.message}\nvita serve log:\n${log()}`);
      } finally {
        await stopServer(server);
      }
    }
  } finally {
    await context.close();
  }

  if (pageCount > 0 && mathCount === 0) {
    report(sites.join(", "), "no page contains a math element, so MathML layout was not checked");
  }
  if (findings.length > 0) {
    console.error(`\n${findings.length} finding(s):`);
    for (const finding of findings) {
      console.error(`  ${finding}`);
    }
    process.exit(1);
  }
  console.error(`Browser checks passed: ${pageCount} pages and ${mathCount} math elements, no finding.`);
}

main().catch((error) => {
  console.error(`error: ${error.stack || error}`);
  process.exit(2);
});
