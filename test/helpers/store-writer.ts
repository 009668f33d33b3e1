import { TokenStore } from '../../src/auth/token-store.js';
import { storedSession } from './fixtures.js';

/** Rewrites a token store as fast as it can, until killed (for crash-safety tests). */
const store = new TokenStore(process.argv[2] ?? '.', 'default');
for (let i = 0; ; i++) {
  if (i === 1) process.stdout.write('written\n');
  await store.write(storedSession({ accessToken: `U1BC${i}`, scope: 'x'.repeat(i % 5000) }));
}
