// NestJS 12 ships its packages as ES modules only. Plain Node 20.19+ loads them from CommonJS (require(esm)), but
// Jest's module sandbox cannot before Node 24.9, so Jest rewrites them to CommonJS with TypeScript's transpiler,
// the compiler we already use. A module-level `const require = createRequire(import.meta.url)` is dropped (CommonJS
// has that `require` already), any other `import.meta.url` becomes the file's URL, and dynamic `import()` becomes a
// require, as Node itself resolves them from a CommonJS app.
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const ts = require('typescript');

const compilerOptions = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  esModuleInterop: true,
  allowJs: true,
  sourceMap: false,
};

/** Jest caches what a transformer returns: a change to this file must miss that cache. */
const OWN_SOURCE = readFileSync(__filename);

module.exports = {
  getCacheKey(source, path) {
    return createHash('sha1').update(ts.version).update(OWN_SOURCE).update(path).update(source).digest('hex');
  },
  process(source, path) {
    if (!/^\s*(import|export)\s/m.test(source) && !source.includes('import.meta')) return { code: source };
    const code = source
      .replace(/^const require = createRequire\(import\.meta\.url\);$/m, '')
      .replace(/\bimport\.meta\.url\b/g, 'require("node:url").pathToFileURL(__filename).href');
    return { code: ts.transpileModule(code, { compilerOptions, fileName: path }).outputText };
  },
};
