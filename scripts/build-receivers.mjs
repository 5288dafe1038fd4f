// After `next build`: bundles the capture receivers (server/capture/receivers.ts) into the build
// folder, where scripts/start.mjs serves them ahead of Next.js. Packages stay outside the bundle
// (the server's node_modules, shared with Next.js); `server-only` is a marker, left out.
// Nothing of Next.js runs in them: what they import of it is only loaded.
import path from 'node:path';
import { build } from 'esbuild';

const distDir = process.env.NEXT_DIST_DIR || '.next';

await build({
  entryPoints: ['server/capture/receivers.ts'],
  outfile: path.join(distDir, 'receivers.mjs'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  tsconfig: 'tsconfig.json',
  logLevel: 'warning',
  plugins: [
    {
      // Next.js's subpaths have no exports map: ESM needs their files' names.
      name: 'next-subpaths',
      setup(bundler) {
        bundler.onResolve({ filter: /^next\/[a-z-]+$/ }, (args) => ({
          path: `${args.path}.js`,
          external: true,
        }));
      },
    },
    {
      name: 'server-only',
      setup(bundler) {
        bundler.onResolve({ filter: /^server-only$/ }, () => ({
          path: 'server-only',
          namespace: 'marker',
        }));
        bundler.onLoad({ filter: /.*/, namespace: 'marker' }, () => ({ contents: '' }));
      },
    },
  ],
});
console.log(`[pattern-ledger] capture receivers bundled into ${distDir}/receivers.mjs`);
