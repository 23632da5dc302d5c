import { describe, expect, it } from 'vitest';
import { isChunkLoadError } from './lazy-boundary.tsx';

describe('isChunkLoadError', () => {
  it("recognises the browsers' errors for a dynamic import that cannot load", () => {
    expect(isChunkLoadError(new TypeError('Failed to fetch dynamically imported module: http://x/assets/data-panel-C4AN1nh5.js'))).toBe(true); // Chromium
    expect(isChunkLoadError(new TypeError('error loading dynamically imported module: http://x/a.js'))).toBe(true); // Firefox
    expect(isChunkLoadError(new TypeError('Importing a module script failed.'))).toBe(true); // Safari
    expect(isChunkLoadError(new Error("Cannot read properties of undefined (reading 'rows')"))).toBe(false);
  });
});
