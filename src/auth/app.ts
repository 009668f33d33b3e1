import type { AppCredentials } from '../api/platform.js';
import type { Settings } from '../config/settings.js';
import { UsageError } from '../errors.js';

/** The app a sign-in uses, from the settings; the one place that insists on a client id. */
export function appFromSettings(settings: Settings): AppCredentials & { clientId: string } {
  const clientId = settings.clientId.value;
  if (!clientId) {
    throw new UsageError(
      'no client id: set RC_CLIENT_ID (environment or .env) or pass --client-id',
      'create an app at https://developers.ringcentral.com (see README, "Register an app")',
    );
  }
  return {
    server: settings.server.value,
    clientId,
    clientSecret: settings.clientSecret.value,
    redirectUri: settings.redirectUri.value,
  };
}
