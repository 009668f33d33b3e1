// Preloaded into a CLI run: records every module URL it loads in $MODULE_PROBE_FILE (one a line).
import { register } from 'node:module';

register(
  `data:text/javascript,${encodeURIComponent(`
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (process.env.MODULE_PROBE_FILE) appendFileSync(process.env.MODULE_PROBE_FILE, result.url + '\\n');
  return result;
}`)}`,
);
