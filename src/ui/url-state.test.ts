/** The URL as the app's state: reading, writing (other parameters kept), resolving table URLs. */
import { describe, expect, it } from 'vitest';
import { childTableUrl, hrefWithParams, hrefWithState, readUrlState, resolveTableUrl, sameTableUrl, VIEW_NAMES } from './url-state.ts';

describe('url state', () => {
  it('reads url and version, reporting a bad version', () => {
    expect(readUrlState('?url=https://h/t&version=3')).toEqual({ url: 'https://h/t', version: 3 });
    expect(readUrlState('?url=https%3A%2F%2Fh%2Ft%3Fa%3D1')).toEqual({ url: 'https://h/t?a=1' });
    expect(readUrlState('')).toEqual({});
    expect(readUrlState('?url=&version=')).toEqual({});
    expect(readUrlState('?version=-1')).toEqual({ invalidVersion: '-1' });
    expect(readUrlState('?version=2.5')).toEqual({ invalidVersion: '2.5' });
  });

  it('writes readable links and keeps other parameters', () => {
    expect(hrefWithState('http://app/?view=history', { url: 'https://h/w/t', version: 2 })).toBe('/?url=https://h/w/t&version=2&view=history');
    expect(hrefWithState('http://app/?url=x&version=2&view=history#top', {})).toBe('/?view=history#top');
    expect(hrefWithState('http://app/p/?url=x', { url: 'samples/a b&c' })).toBe('/p/?url=samples/a%20b%26c');
    // What it writes reads back the same.
    const href = hrefWithState('http://app/', { url: 'https://h/t?x=1&y=2#f', version: 0 });
    expect(readUrlState(new URL(href, 'http://app').search)).toEqual({ url: 'https://h/t?x=1&y=2#f', version: 0 });
  });

  it('resolves relative table URLs against the page and compares them', () => {
    expect(resolveTableUrl('samples/t', 'http://app/?url=samples/t')).toBe('http://app/samples/t');
    expect(resolveTableUrl('/local/', 'http://app:5173/?url=/local/')).toBe('http://app:5173/local/');
    expect(resolveTableUrl('https://h/t', 'http://app/')).toBe('https://h/t');
    expect(resolveTableUrl('localhost:8080/w/t', 'http://app/')).toBe('http://localhost:8080/w/t');
    expect(sameTableUrl('http://app/local/', 'http://app/local')).toBe(true);
    expect(sameTableUrl('http://app/a', 'http://app/b')).toBe(false);
    expect(childTableUrl('/local/', 'w/my table')).toBe('/local/w/my%20table');
  });

  it('reads and writes the tab (view=), overview being the default', () => {
    expect(readUrlState('?url=u&version=1&view=history')).toEqual({ url: 'u', version: 1, view: 'history' });
    expect(readUrlState('?view=Data')).toEqual({ view: 'data' });
    expect(readUrlState('?view=overview')).toEqual({});
    expect(readUrlState('?view=nope')).toEqual({ invalidView: 'nope' });
    for (const v of VIEW_NAMES) expect(readUrlState(`?view=${v}`).view ?? 'overview').toBe(v);
    expect(hrefWithState('http://app/?sql=x', { url: 'u', version: 2, view: 'history' })).toBe('/?url=u&version=2&view=history&sql=x');
    expect(hrefWithState('http://app/?url=u&view=history', { url: 'u', view: 'overview' })).toBe('/?url=u');
    expect(hrefWithState('http://app/?url=u&view=files&sql=1', { url: 'u', view: null })).toBe('/?url=u&sql=1');
    // Without `view` in the state the tab is kept.
    expect(hrefWithState('http://app/?url=u&view=files', { url: 'v' })).toBe('/?url=v&view=files');
  });

  it('sets and removes view parameters, keeping the rest', () => {
    expect(hrefWithParams('http://app/?url=u&view=data', { sql: 'SELECT 1' })).toBe('/?url=u&view=data&sql=SELECT%201');
    expect(hrefWithParams('http://app/?url=u&sql=x&view=data', { sql: null })).toBe('/?url=u&view=data');
    expect(hrefWithParams('http://app/?url=u&from=1', { from: '2', to: '3' })).toBe('/?url=u&from=2&to=3');
  });
});

describe('the tab list feeds the URL state', () => {
  it('a link to another table drops the parameters views own and keeps the rest', async () => {
    const { hrefForAnotherTable } = await import('./url-state.ts');
    expect(hrefForAnotherTable('http://app/?url=a&version=3&view=data&sql=SELECT%201&dx-net=attempts:3')).toBe('/?view=data&dx-net=attempts:3');
    expect(hrefForAnotherTable('http://app/?view=history&commit=4&search=x&from=1&to=2&compare=0#h')).toBe('/?view=history#h');
  });
});
