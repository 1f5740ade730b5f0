// Builtins the bundle never needs at start-up.
// Why: commander requires child_process (for executable subcommands, which ai-route has none of)
//   and chalk's supports-color requires os and tty to detect colour (ai-route always passes chalk
//   an explicit level, decided in src/io/color.ts, which also honours NO_COLOR).
// Bought: about 2 ms of start-up on Node 20 (measure: AI_ROUTE_BUILD_WITHOUT=lean-builtins npm run
// bench -- startup). To remove: drop the plugin from scripts/build/bundle.mjs; nothing else depends
// on it.

/** esbuild plugin: child_process for commander is loaded on first use; supports-color is a stub. */
export const leanBuiltins = {
  name: 'lean-builtins',
  setup(b) {
    b.onResolve({ filter: /^#supports-color$/ }, () => ({
      path: 'supports-color',
      namespace: 'lean',
    }));
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      args.importer.includes(`${'node_modules'}/commander/`)
        ? { path: 'child_process', namespace: 'lean' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'lean' }, (args) =>
      args.path === 'supports-color'
        ? { contents: 'export default { stdout: false, stderr: false };', loader: 'js' }
        : {
            contents:
              'module.exports = new Proxy({}, { get: (_, key) => ' +
              "require('node:child_process')[key] });",
            loader: 'js',
          },
    );
  },
};
