import type { AppCredentials } from '../api/platform.js';
import { checkServerTrust, type Settings } from '../config/settings.js';
import { UsageError } from '../errors.js';

/** The app a sign-in uses, from the settings; the one place that insists on a client id. */
export function appFromSettings(settings: Settings): AppCredentials & { clientId: string } {
  checkServerTrust(settings);
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

/**
 * The JWT grant always needs the app's secret ("every app without exception must present its
 * client ID and secret"): refused before any request, naming where the secret goes.
 */
export function requireSecretForJwt(settings: Settings): void {
  if (settings.clientSecret.value) return;
  throw new UsageError(
    "a JWT sign-in needs the app's client secret: set RC_CLIENT_SECRET (environment or .env)",
    "RingCentral requires the client id and secret for every JWT sign-in; copy the secret from the app's Credentials in the Developer Console",
  );
}

/** Hints for the token endpoint's client errors: they are about the app's settings, not the user's credential. */
export function appErrorHint(error: string | undefined, grant: 'authorization_code' | 'jwt'): string | undefined {
  if (error === 'invalid_client') {
    return grant === 'jwt'
      ? 'check RC_CLIENT_ID and RC_CLIENT_SECRET: they must be the id and secret of the app the JWT was made for'
      : 'a server-side web app must send its secret: set RC_CLIENT_SECRET; an app without a secret must be registered as a client-side app (PKCE)';
  }
  if (error === 'unauthorized_client') {
    return grant === 'jwt'
      ? 'enable the JWT auth flow for this app (Developer Console > your app > Settings > Auth)'
      : 'enable the authorization code flow for this app (Developer Console > your app > Settings > Auth)';
  }
  return undefined;
}
