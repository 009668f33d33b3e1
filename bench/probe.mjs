// Preloaded into a measured process (--import): at exit, writes its peak RSS (bytes) and CPU time
// (user + system, ms) as JSON to $BENCH_PROBE_FILE.
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  if (!process.env.BENCH_PROBE_FILE) return;
  const usage = process.resourceUsage();
  const cpuMs = (usage.userCPUTime + usage.systemCPUTime) / 1000;
  writeFileSync(process.env.BENCH_PROBE_FILE, JSON.stringify({ rss: usage.maxRSS * 1024, cpuMs }));
});
