import { escapeHtml } from '#domain/escape-html';

/**
 * A self-contained public page: no scripts, no third-party assets, no trackers (DESIGN §5.6); readable on a phone.
 * The CSP forbids anything but our own images and the inline style below.
 */
export const page = (title: string, body: string): string => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<style>
  body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: #1d2433; background: #f6f7fb; }
  main { max-width: 42rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
  .card { background: #fff; border-radius: 12px; padding: 1.25rem; box-shadow: 0 1px 3px rgba(0,0,0,.08); }
  h1 { font-size: 1.6rem; line-height: 1.25; margin: .25rem 0 .75rem; }
  h2 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
  img.badge { width: 128px; height: 128px; object-fit: contain; float: right; margin: 0 0 1rem 1rem; }
  .muted { color: #5b6478; font-size: .95rem; }
  ul { padding-left: 1.25rem; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
  dt { color: #5b6478; }
  dd { margin: 0; font-weight: 600; }
  a { color: #1747b5; }
  @media (max-width: 30rem) { img.badge { float: none; display: block; margin: 0 auto 1rem; } }
</style>
</head>
<body><main>${body}</main></body>
</html>`;

/**
 * May a public page show this image? Only our own (same origin as the public base URL) or inline `data:` ones: an
 * image from anywhere else would tell its host who looks at the page (a tracker pixel), so it is left out.
 */
export const isOwnImage = (url: string, baseUrl: string): boolean => {
  if (/^data:image\//i.test(url)) return true;
  try {
    return new URL(url).origin === new URL(baseUrl).origin;
  } catch {
    return false;
  }
};

export const htmlHeaders = {
  'content-type': 'text/html; charset=utf-8',
  // Images: our own and data: only (see isOwnImage); nothing else may load.
  'content-security-policy':
    "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
};
