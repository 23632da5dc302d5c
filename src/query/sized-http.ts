/**
 * Ranged reads of remote data files without a HEAD request.
 *
 * DuckDB-WASM 1.28 opens an HTTP file with `HEAD` (plus `Range: bytes=0-`) to learn its size, and
 * when that fails it downloads the whole file. A URL presigned for `GET` (S3, lakeFS `presign=true`,
 * a share link) refuses `HEAD` on real S3, so every preview would fetch whole files. Delta already
 * knows each data file's size (`add.size`, bytes), so the size travels in the URL's fragment
 * (`#dx-size=<bytes>`), which is never sent over the network, and an `XMLHttpRequest` subclass
 * installed in DuckDB's worker answers such a `HEAD` itself: status 206 and `Content-Length`. The
 * `GET`s with `Range: bytes=a-b` then go to the server unchanged.
 */

/** The fragment marker carrying a file's size in bytes. */
export const SIZE_FRAGMENT = 'dx-size=';

/** `url` with its size in bytes in the fragment (replacing any fragment it had). */
export function withSizeFragment(url: string, sizeBytes: number): string {
  if (!Number.isSafeInteger(sizeBytes) || sizeBytes < 0) throw new RangeError(`Not a file size: ${sizeBytes}`);
  const hash = url.indexOf('#');
  return `${hash < 0 ? url : url.slice(0, hash)}#${SIZE_FRAGMENT}${sizeBytes}`;
}

/** The size (bytes) a URL carries in its fragment, if any. */
export function sizeFromFragment(url: string): number | undefined {
  const m = /#dx-size=(\d+)$/.exec(url);
  return m ? Number(m[1]) : undefined;
}

/**
 * Replaces `scope.XMLHttpRequest` with a subclass that answers `HEAD` requests of URLs carrying a
 * size fragment without touching the network (status 206, `Content-Length` = the size); every other
 * request is the native one. Idempotent.
 */
export function installSizedHttp(scope: { XMLHttpRequest: typeof XMLHttpRequest }): void {
  const Native = scope.XMLHttpRequest as typeof XMLHttpRequest & { dxSized?: boolean };
  if (Native.dxSized) return;
  class SizedXMLHttpRequest extends Native {
    static override dxSized = true;
    private dxSize: number | undefined;
    override open(method: string, url: string | URL, async = true, user?: string | null, password?: string | null): void {
      const size = method.toUpperCase() === 'HEAD' ? sizeFromFragment(String(url)) : undefined;
      this.dxSize = size;
      super.open(method, url, async, user, password);
    }
    override send(body?: Document | XMLHttpRequestBodyInit | null): void {
      if (this.dxSize === undefined) super.send(body);
    }
    override get status(): number {
      return this.dxSize === undefined ? super.status : 206;
    }
    override get readyState(): number {
      return this.dxSize === undefined ? super.readyState : 4;
    }
    override getResponseHeader(name: string): string | null {
      if (this.dxSize === undefined) return super.getResponseHeader(name);
      return name.toLowerCase() === 'content-length' ? String(this.dxSize) : null;
    }
  }
  scope.XMLHttpRequest = SizedXMLHttpRequest;
}
