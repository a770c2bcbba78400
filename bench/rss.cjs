// Preloaded into a benchmarked process: writes its peak resident set (KiB) where BENCH_RSS_FILE says.
process.on('exit', () => {
  if (process.env.BENCH_RSS_FILE) require('fs').writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS));
});
