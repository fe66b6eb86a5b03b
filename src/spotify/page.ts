import type { ServerResponse } from 'node:http';
import { sendHtml } from '../http/html.ts';

/** The plain page the browser shows after Spotify sends it back to the callback. */
export function sendLinkPage(res: ServerResponse, status: number, title: string, text: string): void {
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title>
<style>body{margin:0;min-height:100vh;display:grid;place-items:center;font:16px system-ui,sans-serif;
color:#f4f5fb;background:#12131c}main{max-width:32rem;padding:24px 28px;border-radius:14px;background:#1d1f2e}
h1{font-size:1.3rem;margin:0 0 .6rem}</style></head>
<body><main class="${status < 400 ? 'um-ok' : 'um-error'}"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></main></body></html>
`;
  sendHtml(res, status, html, {
    'content-security-policy':
      "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'",
  });
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
