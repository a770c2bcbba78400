// Preloaded into a benchmarked process: writes its peak resident set (KiB) and the CPU time it used
// (user and system, microseconds), as `KIB CPU`, where BENCH_RSS_FILE says.
process.on('exit', () => {
  if (!process.env.BENCH_RSS_FILE) return;
  const usage = process.resourceUsage();
  require('fs').writeFileSync(process.env.BENCH_RSS_FILE, `${usage.maxRSS} ${usage.userCPUTime + usage.systemCPUTime}`);
});
