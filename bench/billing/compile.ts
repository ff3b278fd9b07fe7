import { copyFileSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import * as ts from 'typescript';

/**
 * Transpiles src/, migrations/ and bench/ (file by file, like ts-node --transpile-only) to plain JS under
 * node_modules/.cache, and copies the templates and JSON the code reads at run time. The measured phases then run on
 * plain node: under ts-node the compiler's own allocations set the process's RSS high-water mark at start-up,
 * and the settlement's peak would hide below it. The folder is named after the checkout: worktrees share one
 * node_modules, and two benches running at once must not delete each other's copy.
 */
export function transpileForBench(root: string): string {
  const out = join(root, 'node_modules', '.cache', `cloud-billing-bench-${basename(root)}`);
  rmSync(out, { recursive: true, force: true });
  const config = ts.readConfigFile(join(root, 'tsconfig.json'), (path) => ts.sys.readFile(path));
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  const compilerOptions: ts.CompilerOptions = { ...options, sourceMap: false, declaration: false, noEmit: false };
  for (const top of ['src', 'migrations', 'bench']) {
    walk(join(root, top), (path) => {
      const target = join(out, relative(root, path));
      if (path.endsWith('.ts') && !path.endsWith('.d.ts') && !path.endsWith('.spec.ts')) {
        const { outputText } = ts.transpileModule(readFileSync(path, 'utf8'), { compilerOptions, fileName: path });
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target.replace(/\.ts$/, '.js'), outputText);
      } else if (path.endsWith('.hbs') || path.endsWith('.json')) {
        mkdirSync(dirname(target), { recursive: true });
        copyFileSync(path, target);
      }
    });
  }
  // Imported by src/demo/openapi.ts for the version it shows.
  copyFileSync(join(root, 'package.json'), join(out, 'package.json'));
  return out;
}

function walk(directory: string, visit: (path: string) => void): void {
  for (const name of readdirSync(directory)) {
    const path = join(directory, name);
    if (name === 'results' || name === 'node_modules') continue;
    if (statSync(path).isDirectory()) walk(path, visit);
    else visit(path);
  }
}
