/**
 * Screenshots and accessibility checks shared by the browser specs. Screenshots go to
 * `$E2E_SHOTS` or `test-results/screenshots/` (outside Playwright's `--output`, which is emptied
 * on every run).
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where screenshots are written. */
export const SHOTS = process.env.E2E_SHOTS ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'test-results', 'screenshots');

/** A full-page screenshot `<SHOTS>/<name>.png`. */
export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** axe-core's serious and critical WCAG 2.1 A/AA violations on the page: `id: selector | …`. */
export async function axeProblems(page: Page): Promise<string[]> {
  const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}
