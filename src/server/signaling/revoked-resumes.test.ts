import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileRevokedResumes } from './revoked-resumes.js';

describe('FileRevokedResumes', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });
  const tempFile = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'parley-revoked-unit-'));
    dirs.push(dir);
    return join(dir, 'revoked-resumes.json');
  };

  it('remembers who left across a reopen, until their tokens have expired', async () => {
    const path = await tempFile();
    const now = Date.now();
    const first = await FileRevokedResumes.open(path);
    await first.revoke('peer-alive01', now, now + 60_000);
    await first.revoke('peer-gone001', now - 2_000, now - 1_000);
    const second = await FileRevokedResumes.open(path);
    expect(await second.leftAt('peer-alive01')).toBe(now);
    expect(await second.leftAt('peer-gone001')).toBeUndefined();
    expect(await second.leftAt('peer-never01')).toBeUndefined();
  });

  it('starts empty from a damaged file rather than refusing to start', async () => {
    const path = await tempFile();
    await writeFile(path, '{"peer-000001": "not an entry"');
    const store = await FileRevokedResumes.open(path);
    expect(await store.leftAt('peer-000001')).toBeUndefined();
  });
});
