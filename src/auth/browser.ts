/**
 * Opens the system browser, or says why it did not. `BROWSER` overrides the launcher
 * (`none`/`false` = print only), like gh and git do; SSH sessions and Linux without a display
 * are not tried at all (the URL is printed and can be pasted back).
 */

export type BrowserResult = { opened: true } | { opened: false; reason: string; ssh?: boolean };

export interface BrowserDeps {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  /** The default launcher (the `open` package); injectable for tests. */
  launch?: (url: string) => Promise<void>;
}

export async function openBrowser(url: string, deps: BrowserDeps): Promise<BrowserResult> {
  const override = deps.env.BROWSER?.trim();
  if (override === 'none' || override === 'false') return { opened: false, reason: 'BROWSER is set to none' };
  if (override) return runCommand(override, url, withoutSecrets(deps.env));
  if (deps.env.SSH_CONNECTION || deps.env.SSH_TTY) return { opened: false, reason: 'this is an SSH session', ssh: true };
  if (deps.platform === 'linux' && !deps.env.DISPLAY && !deps.env.WAYLAND_DISPLAY) {
    return { opened: false, reason: 'no display was found (DISPLAY and WAYLAND_DISPLAY are unset)' };
  }
  try {
    await (deps.launch ?? launchWithOpen)(url);
    return { opened: true };
  } catch (error) {
    return { opened: false, reason: `the browser could not be started (${(error as Error).message})` };
  }
}

/** The browser is another program: it gets none of the CLI's secrets (the variables below). */
const SECRET_VARIABLES = ['RC_CLIENT_SECRET', 'RC_JWT'];

export function withoutSecrets(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !SECRET_VARIABLES.includes(name)));
}

async function launchWithOpen(url: string): Promise<void> {
  const { default: open } = await import('open');
  // `open` starts the system opener with this process's environment: the secrets leave it first
  // (the settings were read already, and login is the only command that opens a browser).
  for (const name of SECRET_VARIABLES) delete process.env[name];
  const child = await open(url);
  await waitForSpawn(child);
}

/** BROWSER may carry arguments ("firefox --new-window"); the URL is passed as one argument, never through a shell. */
async function runCommand(command: string, url: string, env: NodeJS.ProcessEnv): Promise<BrowserResult> {
  const [file, ...args] = command.split(/\s+/);
  if (!file) return { opened: false, reason: 'BROWSER is empty' };
  const { spawn } = await import('node:child_process');
  const child = spawn(file, [...args, url], { stdio: 'ignore', detached: true, env });
  try {
    await waitForSpawn(child);
    child.unref();
    return { opened: true };
  } catch (error) {
    return {
      opened: false,
      reason: `BROWSER command "${file}" could not be run (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
    };
  }
}

function waitForSpawn(child: import('node:child_process').ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    child.once('spawn', () => resolve());
    child.once('error', reject);
  });
}
