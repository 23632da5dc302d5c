/** Fails every test of the calling spec file in which the page threw an uncaught error. */
import { expect, test } from '@playwright/test';

/** Registers the hooks: collect `pageerror` events per test, and expect none at its end. */
export function failOnPageErrors(): void {
  let errors: string[] = [];
  test.beforeEach(async ({ page }) => {
    errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
  });
  test.afterEach(() => {
    expect(errors, 'uncaught errors in the page').toEqual([]);
  });
}
