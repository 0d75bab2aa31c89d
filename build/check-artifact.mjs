// electron-builder artifactBuildCompleted hook: an installer over its size budget
// (build/size-budget.json, by file extension) fails the build.
import { readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';

export default async function checkArtifact(artifact) {
  if (!artifact.file) return;
  const budget = JSON.parse(readFileSync(new URL('./size-budget.json', import.meta.url), 'utf8')).installerMb;
  const kind = extname(artifact.file).slice(1);
  if (!(kind in budget)) return;
  const mb = statSync(artifact.file).size / 1024 ** 2;
  if (mb > budget[kind]) throw new Error(`${artifact.file} is ${mb.toFixed(1)} MB, over the ${budget[kind]} MB budget for .${kind} in build/size-budget.json.`);
  console.log(`  • ${artifact.file}: ${mb.toFixed(1)} MB (budget ${budget[kind]} MB)`);
}
