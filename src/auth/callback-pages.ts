/** The small pages the browser lands on after sign-in: self-contained, nothing loaded from elsewhere. */

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

export const PAGE_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
  Connection: 'close',
} as const;

export function callbackPage(title: string, message: string, ok: boolean): string {
  const color = ok ? '#1b7f3b' : '#b00020';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;background:#f5f7fa;margin:0}main{max-width:440px;margin:15vh auto;background:#fff;
padding:32px;border-radius:8px;box-shadow:0 1px 4px #0002}h1{font-size:20px;color:${color};margin-top:0}</style></head>
<body><main><h1 id="${ok ? 'success' : 'failure'}">${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>
<p>You can close this tab and return to the terminal.</p></main></body></html>`;
}
