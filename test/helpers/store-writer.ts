import { TokenStore } from '../../src/auth/token-store.js';

/** Rewrites a token store as fast as it can, until killed (for crash-safety tests). */
const store = new TokenStore(process.argv[2] ?? '.', 'default');
for (let i = 0; ; i++) {
  if (i === 1) process.stdout.write('written\n');
  store.write({
    version: 1,
    server: 'http://127.0.0.1:9',
    clientId: 'cid',
    redirectUri: 'http://localhost:5000/oauth2callback',
    grant: 'authorization_code',
    tokens: {
      access_token: `U1BC${i}`,
      token_type: 'bearer',
      expire_time: 0,
      expires_in: 3600,
      refresh_token: `U1BC${i}`,
      refresh_token_expire_time: 0,
      refresh_token_expires_in: 604800,
      scope: 'x'.repeat(i % 5000),
    },
    user: { accountId: '1', extensionId: '2', extensionNumber: '101', name: 'A' },
    savedAt: new Date().toISOString(),
  });
}
