/**
 * DESIGN §4: one start-up message lists every configuration problem. A
 * TRUSTED_DOCUMENTS file that cannot be read, is not JSON or is not a JSON
 * object is one of them, next to the others (it was reported only once the
 * rest was fixed, when the gateway started).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { problemsOf } from '../support/config.js';

const file = (name: string, text: string) => {
  const path = join(mkdtempSync(join(tmpdir(), 'trusted-')), name);
  writeFileSync(path, text);
  return path;
};

describe('a bad TRUSTED_DOCUMENTS file', () => {
  it('is reported with every other problem', () => {
    const missing = join(tmpdir(), 'no-such-dir-for-trusted-documents', 'manifest.json');
    expect(problemsOf({ TRUSTED_DOCUMENTS: missing, MAX_COST: '-1' })).toEqual([
      expect.stringMatching(/^MAX_COST must be an integer/),
      expect.stringMatching(
        new RegExp(`^TRUSTED_DOCUMENTS \\(${missing}\\): cannot be read \\(ENOENT`),
      ),
    ]);
  });

  it('names a file that is not JSON, or not a JSON object', () => {
    const notJson = file('a.json', '{ nope');
    expect(problemsOf({ TRUSTED_DOCUMENTS: notJson })).toEqual([
      expect.stringMatching(new RegExp(`^TRUSTED_DOCUMENTS \\(${notJson}\\): not JSON \\(`)),
    ]);
    const list = file('b.json', '["{ __typename }"]');
    expect(problemsOf({ TRUSTED_DOCUMENTS: list })).toEqual([
      `TRUSTED_DOCUMENTS (${list}): must be a JSON object { "<hash>": "<document>" }`,
    ]);
  });

  it('lets a readable manifest through to the start, which checks its documents', () => {
    const path = file('c.json', '{}');
    expect(loadConfig({ TRUSTED_DOCUMENTS: path }).trustedDocuments).toBe(path);
  });
});
