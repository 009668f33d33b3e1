import { APP } from './context.js';
import { parseOptions } from './options.js';
import { startEmulator } from './server.js';

/** `npm run emulator -- [options]`: prints one "listening on" line on stdout when ready. */
async function main(): Promise<void> {
  let options: ReturnType<typeof parseOptions>;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`emulator: ${message}\nSee emulator/README.md for the options.\n`);
    process.exitCode = 2;
    return;
  }
  // A reader that stops reading (| head) must not take the emulator down with EPIPE.
  process.stdout.on('error', () => undefined);
  const emulator = await startEmulator(options);
  process.stdout.write(`RingCentral platform emulator listening on ${emulator.url}\n`);
  process.stdout.write(`  media on ${emulator.mediaUrl}\n`);
  process.stdout.write(`  app:   client id ${APP.clientId}, client secret ${APP.clientSecret}\n`);
  process.stdout.write(`  login: demo@example.com / demo-password (extension 101, admin)\n`);
  process.stdout.write(`  jwt:   ${emulator.jwt}\n`);
  const stop = () => {
    void emulator.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  const code = (error as NodeJS.ErrnoException).code;
  process.stderr.write(
    `emulator: ${code === 'EADDRINUSE' ? 'the port is already in use; pick another with --port (0 = any free port)' : String(error)}\n`,
  );
  process.exitCode = 1;
});
