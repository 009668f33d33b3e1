import { escapeHtml } from '../http.js';

/** The authorize pages a browser sees. Element ids are stable: browser tests click them. */

const STYLE = `body{font-family:system-ui,sans-serif;background:#f5f7fa;margin:0}
main{max-width:360px;margin:10vh auto;background:#fff;padding:32px;border-radius:8px;box-shadow:0 1px 4px #0002}
h1{font-size:20px;margin-top:0}label{display:block;margin:12px 0 4px}input{width:100%;padding:8px;box-sizing:border-box}
button{margin-top:16px;padding:10px 16px;border:0;border-radius:4px;cursor:pointer}
.primary{background:#0073ae;color:#fff}.secondary{background:#e3e8ee}.error{color:#b00020}`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="referrer" content="no-referrer"><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

export function signInPage(requestId: string, appName: string, error?: string): string {
  return page(
    'Sign in - RingCentral',
    `<h1>Sign in to RingCentral</h1>
<p>to continue to <strong>${escapeHtml(appName)}</strong></p>
${error ? `<p id="error" class="error">${escapeHtml(error)}</p>` : ''}
<form id="sign-in-form" method="post" action="/__emulator/authorize/sign-in">
<input type="hidden" name="rid" value="${escapeHtml(requestId)}">
<label for="email">Email</label><input id="email" name="email" type="email" autocomplete="username" required>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button id="sign-in" class="primary" type="submit">Sign in</button></form>`,
  );
}

export function consentPage(requestId: string, appName: string, userName: string, scope: string): string {
  const permissions = scope
    .split(' ')
    .map((name) => `<li>${escapeHtml(name)}</li>`)
    .join('');
  return page(
    'Authorize - RingCentral',
    `<h1>Authorize ${escapeHtml(appName)}</h1>
<p>Signed in as <strong id="user-name">${escapeHtml(userName)}</strong>.</p>
<p>${escapeHtml(appName)} would like to:</p><ul id="permissions">${permissions}</ul>
<form id="consent-form" method="post" action="/__emulator/authorize/consent">
<input type="hidden" name="rid" value="${escapeHtml(requestId)}">
<button id="authorize" class="primary" type="submit" name="decision" value="approve">Authorize</button>
<button id="deny" class="secondary" type="submit" name="decision" value="deny">Deny</button></form>`,
  );
}

export function errorPage(error: string, errorCode: string, description: string): string {
  return page(
    'Error - RingCentral',
    `<h1>Something went wrong</h1>
<p id="error" class="error" data-error="${escapeHtml(error)}" data-error-code="${escapeHtml(errorCode)}">
${escapeHtml(description)}</p><p><code>${escapeHtml(error)} (${escapeHtml(errorCode)})</code></p>`,
  );
}
