// Preloaded into the local devnet node (node --require). Hearth holds the write end of this
// process's stdin; when Hearth dies in any way, even SIGKILL, the pipe closes and the node
// exits instead of living on as an orphan holding its port.
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();
