// npm run build: the bot as one ES module, dist/main.js, which `npm start` runs with plain node.
// Running the TypeScript through tsx instead costs the process tens of MB (its loader and
// esbuild's service) before any of our code. Packages stay external: node loads them from
// node_modules as it would anyway (PGlite and resvg bring files of their own).
//
// Plain JavaScript, so it runs before anything is compiled. The bundle is written to a file of
// its own and renamed into place: two builds at once (two test projects, two replicas starting
// from one folder) never let a process load a half-written dist/main.js.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { build } from 'esbuild';

const root = new URL('../', import.meta.url);
const outfile = new URL('dist/main.js', root);

const result = await build({
  entryPoints: [new URL('src/main.ts', root).pathname],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  outfile: outfile.pathname,
  write: false,
  logLevel: 'warning',
});
await mkdir(new URL('dist/', root), { recursive: true });
const staging = new URL(`dist/main.js.${process.pid}.tmp`, root);
await writeFile(staging, result.outputFiles[0].contents);
await rename(staging, outfile);
