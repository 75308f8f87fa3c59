// npm run build: the bot as ES modules in dist/, dist/main.js the entry point that `npm start` runs
// with plain node. Running the TypeScript through tsx instead costs the process tens of MB (its
// loader and esbuild's service) before any of our code. Packages stay external: node loads them
// from node_modules as it would anyway (PGlite and resvg bring files of their own). Code behind a
// dynamic import() (the chart renderer) goes into a chunk of its own, loaded when first used.
//
// Plain JavaScript, so it runs before anything is compiled. Each file is written under a name of
// its own and renamed into place, chunks before main.js: two builds at once (two test projects, two
// replicas starting from one folder) never let a process load a half-written file. Chunk names
// carry a hash of their content, so a bot still running an older build keeps finding its own.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { build } from 'esbuild';

const root = new URL('../', import.meta.url);
const dist = new URL('dist/', root).pathname;

const result = await build({
  entryPoints: [new URL('src/main.ts', root).pathname],
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  outdir: dist,
  entryNames: '[name]',
  chunkNames: 'chunks/[name]-[hash]',
  write: false,
  logLevel: 'warning',
});
const entry = `${dist}main.js`;
const files = [...result.outputFiles].sort((a, b) => Number(a.path === entry) - Number(b.path === entry));
for (const file of files) {
  await mkdir(dirname(file.path), { recursive: true });
  const staging = `${file.path}.${process.pid}.tmp`;
  await writeFile(staging, file.contents);
  await rename(staging, file.path);
}
