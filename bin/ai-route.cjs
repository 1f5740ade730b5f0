#!/usr/bin/env node
'use strict';
// Runs the CommonJS bundle of ai-route's ESM sources (README, "Start-up"). On Node 22.1+ the
// module compile cache does the caching. On Node 20, which has none, the build leaves V8's code
// cache beside the bundle (scripts/build/code-cache.mjs); V8 checks it against the source and
// this Node, and compiles afresh whenever it does not fit.
const { existsSync, readFileSync, writeFileSync } = require('node:fs');
const { dirname, join } = require('node:path');
const Module = require('node:module');

const file = join(__dirname, '..', 'dist', 'cli', 'ai-route.cjs');
if (!existsSync(file)) {
  // a clone after `npm ci`: the bundle is made by `npm run build` (an installed package ships it)
  process.stderr.write(
    `ai-route: not built yet: run "npm run build" in ${join(__dirname, '..')}\n`,
  );
  process.exit(2);
}
if (typeof Module.enableCompileCache === 'function') {
  Module.enableCompileCache();
  require(file);
} else {
  const { Script } = require('node:vm');
  const cacheFile = `${file}.cache`;
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new Script(Module.wrap(readFileSync(file, 'utf8')), {
    filename: file,
    cachedData,
  });
  if (process.env.AI_ROUTE_WRITE_CODE_CACHE === '1') {
    // the build runs one command this way, so the cache holds the functions a real run compiles
    process.once('exit', () => writeFileSync(cacheFile, script.createCachedData()));
  }
  const bundle = { exports: {} };
  script
    .runInThisContext()
    .call(bundle.exports, bundle.exports, Module.createRequire(file), bundle, file, dirname(file));
}
