#!/usr/bin/env node
// `npm start` / `npm run sandbox`: compiles TypeScript only when a source is
// newer than the last build, then runs the entry point in this very process
// (no second Node start-up). On Node 22.1+ compiled code is cached between
// starts (module.enableCompileCache); on Node 20 that step is skipped.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import module from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const entry = process.argv[2];
if (!entry) {
  console.error('usage: node scripts/run-built.mjs <dist/…/main.js> | --build');
  process.exit(2);
}
/** `npm run build`: compile unconditionally and stamp, so the next start skips tsc. */
const buildOnly = entry === '--build';
/** Written after each successful build: sources older than it are compiled. */
const stamp = join(root, 'dist', '.build-stamp');

/** The newest modification time below `path` (a file or a folder of files). */
function newest(path) {
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let latest = stats.mtimeMs;
  for (const name of readdirSync(path)) latest = Math.max(latest, newest(join(path, name)));
  return latest;
}

function stale() {
  if (buildOnly) return true;
  if (!existsSync(stamp) || !existsSync(join(root, entry))) return true;
  const inputs = ['src', 'tsconfig.json', 'tsconfig.build.json', 'package.json'];
  const built = statSync(stamp).mtimeMs;
  return inputs.some((input) => newest(join(root, input)) > built);
}

if (stale()) {
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const build = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
  writeFileSync(stamp, `${new Date().toISOString()}\n`);
}

if (buildOnly) process.exit(0);
module.enableCompileCache?.(join(root, 'node_modules', '.cache', 'node-compile'));
await import(pathToFileURL(join(root, entry)).href);
