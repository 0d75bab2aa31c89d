// An ESLint rule that enforces the layer map on resolved paths (so `../worker/x` inside
// core/worker/ is fine while core/ reaching the top-level worker/ folder is not).
import { dirname, relative, resolve, sep } from 'node:path';

const root = resolve(import.meta.dirname, '..', '..');

/** Which top-level folders each layer may import from, and why. */
export const layerRules = {
  common: { allow: ['common'], packages: { deny: ['electron', 'node:*', 'fs', 'path', 'os', 'child_process', 'crypto'] }, why: 'common/ is pure TypeScript shared by every side.' },
  core: { allow: ['common', 'core'], packages: { deny: ['electron'] }, why: 'core/ is the Electron-free engine; it reaches the worker only through common/worker/protocol.' },
  daemon: { allow: ['common', 'core', 'daemon'], packages: { deny: ['electron'] }, why: 'daemon/ is the headless shell over core/.' },
  worker: { allow: ['common', 'worker'], packages: { deny: ['electron', 'ethers'] }, why: 'worker/ runs model code and never sees core, keys or the chain.' },
  renderer: { allow: ['common', 'renderer'], packages: { deny: ['electron', 'ethers', 'node:*', 'fs', 'path', 'os', 'child_process', 'crypto', 'ws'] }, why: 'renderer/ is sandboxed web code: it talks to core only through the typed client.' },
  electron: { allow: ['common', 'core', 'daemon', 'electron'], packages: { deny: [] }, why: 'electron/ is the thin desktop shell.' },
};

const matches = (name, pattern) => (pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : name === pattern || name.startsWith(`${pattern}/`));

export const layersPlugin = {
  rules: {
    boundaries: {
      meta: { type: 'problem', messages: { cross: '{{from}}/ may not import {{what}}: {{why}}' }, schema: [] },
      create(context) {
        const file = relative(root, context.filename);
        const layer = file.split(sep)[0];
        const rule = layerRules[layer];
        if (!rule) return {};
        const check = (node, source) => {
          if (typeof source !== 'string') return;
          if (source.startsWith('.')) {
            const target = relative(root, resolve(dirname(context.filename), source)).split(sep)[0];
            if (target && !rule.allow.includes(target) && target in layerRules) {
              context.report({ node, messageId: 'cross', data: { from: layer, what: `${target}/`, why: rule.why } });
            }
          } else if (rule.packages.deny.some((p) => matches(source, p))) {
            context.report({ node, messageId: 'cross', data: { from: layer, what: `"${source}"`, why: rule.why } });
          }
        };
        return {
          ImportDeclaration: (node) => check(node, node.source.value),
          ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
          ExportAllDeclaration: (node) => check(node, node.source.value),
          ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
        };
      },
    },
  },
};
