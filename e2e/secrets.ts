/**
 * Where a secret must never show up, checked the same way for every remote source: the page URL,
 * every request URL and header of the browser context (any frame or worker), console output,
 * `localStorage`, `sessionStorage`, IndexedDB, the page text and the values of non-password inputs.
 */
import { expect, type BrowserContext, type Page } from '@playwright/test';

/** The requests and console lines of a browser context, recorded from the moment of the call. */
export interface Traffic {
  requests: { url: string; headers: Record<string, string> }[];
  console: string[];
}

/** Starts recording the requests of `context` and the console of `page`. */
export function recordTraffic(context: BrowserContext, page: Page): Traffic {
  const t: Traffic = { requests: [], console: [] };
  context.on('request', (r) => t.requests.push({ url: r.url(), headers: r.headers() }));
  page.on('console', (m) => t.console.push(m.text()));
  return t;
}

/** Every recorded request went to one of `origins` (e.g. the app and the configured endpoint). */
export function expectRequestsTo(t: Traffic, origins: string[]): void {
  for (const r of t.requests) {
    const origin = new URL(r.url).origin;
    expect(origins.includes(origin) || r.url.startsWith('data:') || r.url.startsWith('blob:'), `request to ${origin}`).toBe(true);
  }
}

/** The secret is in no URL, request URL or header, console line, storage, IndexedDB or page text. */
export async function expectNoSecret(page: Page, t: Traffic, secret: string): Promise<void> {
  expect(page.url()).not.toContain(secret);
  for (const r of t.requests) {
    expect(r.url).not.toContain(secret);
    expect(JSON.stringify(r.headers)).not.toContain(secret);
  }
  for (const line of t.console) expect(line).not.toContain(secret);
  const seen = await page.evaluate(async () => ({
    local: JSON.stringify({ ...localStorage }),
    session: JSON.stringify({ ...sessionStorage }),
    idb: JSON.stringify(await indexedDB.databases()),
    text: document.body.innerText,
    inputs: Array.from(document.querySelectorAll('input, textarea'), (i) => ((i as HTMLInputElement).type === 'password' ? '' : (i as HTMLInputElement).value)).join('\n'),
  }));
  expect(seen.local).not.toContain(secret);
  expect(seen.session).not.toContain(secret);
  expect(seen.idb).toBe('[]');
  expect(seen.text).not.toContain(secret);
  expect(seen.inputs).not.toContain(secret);
}
