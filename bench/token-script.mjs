// The baseline for `ringcentral token`: read the same token file and print the token, nothing else.
import { readFileSync } from 'node:fs';

const session = JSON.parse(readFileSync(`${process.env.RINGCENTRAL_CONFIG_DIR}/profiles/default.json`, 'utf8'));
process.stdout.write(`${session.tokens.access_token}\n`);
