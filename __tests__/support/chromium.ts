import { existsSync, statSync } from 'fs';
import { pathToFileURL } from 'url';
import { chromium } from 'playwright-core';

/** Debian's `chromium` package (.ci/run installs it when missing); CHROMIUM_PATH names another build. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface RenderedReport {
  /** The page's text as the browser lays it out (innerText). */
  readonly text: string;
  /** Every table with an id: its rows' cells as rendered. */
  readonly tables: Record<string, string[][]>;
  /** Whether the page tried to load anything (it is self-contained: it must not). */
  readonly requests: readonly string[];
  readonly screenshot: string;
  readonly pdfBytes: number;
}

/**
 * Opens an HTML file in headless Chromium (playwright-core drives the installed browser; nothing is
 * downloaded), reads what it rendered, and writes a full-page screenshot and an A4 PDF of it: the
 * artefact an auditor opens.
 */
export async function renderInChromium(file: string, outPrefix: string): Promise<RenderedReport> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium; .ci/run does) or set CHROMIUM_PATH.`);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const requests: string[] = [];
    page.on('request', (r) => {
      if (r.url() !== pathToFileURL(file).href) requests.push(r.url());
    });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    const text = await page.locator('body').innerText();
    const tables: Record<string, string[][]> = {};
    for (const id of await page.locator('table[id]').evaluateAll((ts) => ts.map((t) => t.id))) {
      tables[id] = await page.locator(`#${id} tr`).evaluateAll((rows) => rows.map((row) => Array.from(row.children, (c) => (c as unknown as { innerText: string }).innerText)));
    }
    const screenshot = `${outPrefix}.png`;
    await page.screenshot({ path: screenshot, fullPage: true });
    const pdf = `${outPrefix}.pdf`;
    await page.pdf({ path: pdf, format: 'A4', landscape: true, printBackground: true });
    return { text, tables, requests, screenshot, pdfBytes: statSync(pdf).size };
  } finally {
    await browser.close();
  }
}
