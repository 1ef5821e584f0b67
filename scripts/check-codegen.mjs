#!/usr/bin/env node
// Fails when `npm run codegen` would change src/__generated__/ (schema changed
// without regenerating, or generated code edited by hand).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const file = 'src/__generated__/resolvers-types.ts';
const before = readFileSync(file, 'utf8');
execFileSync('npx', ['--no-install', 'graphql-codegen', '--config', 'codegen.ts', '--silent'], {
  stdio: 'inherit',
});
const after = readFileSync(file, 'utf8');
if (before !== after) {
  console.error(
    `${file} was out of date with schema/: it has been regenerated; review and commit it.`,
  );
  process.exit(1);
}
console.log(`${file} is up to date.`);
