// electron-builder afterPack hook: refuses to ship an app that carries another platform's
// native code, lacks its own (ONNX Runtime, node-pty, Anvil), or outgrows its size budget.
// File patterns in electron-builder.yml do the trimming; this makes a mistake there loud.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkResources } from '../scripts/packaging/package-check.mjs';

const ARCH = ['ia32', 'x64', 'armv7l', 'arm64', 'universal'];

export default async function afterPack(context) {
  const platform = context.electronPlatformName;
  const arch = ARCH[context.arch];
  const budget = JSON.parse(readFileSync(new URL('./size-budget.json', import.meta.url), 'utf8'));
  const resources = platform === 'darwin' || platform === 'mas'
    ? join(context.appOutDir, `${context.packager.appInfo.productFilename}.app`, 'Contents', 'Resources')
    : join(context.appOutDir, 'resources');
  const { problems, mb } = checkResources(resources, platform === 'mas' ? 'darwin' : platform, arch, budget.resourcesMb[`${platform}-${arch}`]);
  if (problems.length > 0) {
    throw new Error(`The packaged app for ${platform}-${arch} is not fit to ship:\n- ${problems.join('\n- ')}\nSee build/README.md.`);
  }
  console.log(`  • app resources for ${platform}-${arch}: ${mb.toFixed(1)} MB (budget ${budget.resourcesMb[`${platform}-${arch}`]} MB)`);
}
