import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import chromium from '@sparticuz/chromium';
import { chromium as playwright, type Browser, type Page } from 'playwright-core';

const AXE = path.resolve(import.meta.dirname, '../../node_modules/axe-core/axe.min.js');

/**
 * Headless Chromium from @sparticuz/chromium, one per test file. Its default flags include
 * --single-process and --disable-web-security, under which one context's fetch carries another's
 * cookies and same-origin is off: both would hide the bugs these tests look for, so they are dropped.
 */
export async function launchBrowser(): Promise<Browser> {
  const args = chromium.args.filter(
    (a) => !a.startsWith('--single-process') && !a.startsWith('--disable-web-security'),
  );
  return playwright.launch({ executablePath: await chromium.executablePath(), args, headless: true });
}

/** A free TCP port on 127.0.0.1 (PANEL_URL must name it before the panel starts). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** axe-core's WCAG 2.x A/AA violations on the page as it is (ids and the nodes at fault). */
export async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated through DevTools, not a <script> tag: the panel's CSP (rightly) refuses inline script.
  await page.evaluate(await readFile(AXE, 'utf8'));
  // Runs in the page (no DOM types here): axe and document are the page's globals.
  const violations = await page.evaluate(async () => {
    interface Axe {
      run(
        context: unknown,
        options: object,
      ): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }>;
    }
    const page = globalThis as unknown as { axe: Axe; document: unknown };
    const result = await page.axe.run(page.document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
    });
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  return violations;
}
