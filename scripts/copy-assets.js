// Copies the non-TypeScript files the code reads at run time (Handlebars templates) from src/ to
// dist/src/, keeping their folders, so `__dirname`-relative paths resolve the same after `npm run build`. The demo
// host is not built (tsconfig.build.json), so its pages' templates are not copied either.
const { cpSync, readdirSync, statSync } = require('node:fs');
const { join, relative } = require('node:path');

const root = join(__dirname, '..');
const from = join(root, 'src');
const to = join(root, 'dist', 'src');
const ASSET = /\.hbs$/;
const NOT_BUILT = new Set([join(from, 'demo')]);

let copied = 0;
(function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (NOT_BUILT.has(path)) continue;
    if (statSync(path).isDirectory()) walk(path);
    else if (ASSET.test(name)) {
      cpSync(path, join(to, relative(from, path)));
      copied += 1;
    }
  }
})(from);
console.log(`copy-assets: ${copied} file(s) copied to ${relative(root, to)}`);
