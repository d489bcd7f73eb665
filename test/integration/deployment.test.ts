import { execFile } from 'node:child_process';
import { access, constants, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SETTINGS } from '../../src/server/config/index.js';

const ROOT = join(import.meta.dirname, '../..');
const UNIT = join(ROOT, 'docs', 'systemd', 'parley.service');
const SYSTEMD_ANALYZE = '/usr/bin/systemd-analyze';
const run = promisify(execFile);

/** What `systemd-analyze verify` says of a unit: it exits 0 on unknown keys and bad values, so read stderr. */
async function verify(path: string): Promise<string[]> {
  const { stderr } = await run(SYSTEMD_ANALYZE, ['verify', path]).catch(
    (error: { stderr?: string; message: string }) => ({ stderr: error.stderr ?? error.message }),
  );
  return stderr.split('\n').filter((line) => line.includes(path));
}

describe('the deployment an operator copies', () => {
  let dir: string;
  beforeAll(async () => {
    await access(SYSTEMD_ANALYZE, constants.X_OK).catch((error: unknown) => {
      throw new Error(`${SYSTEMD_ANALYZE} is missing: this test needs it (apt-get install systemd).`, {
        cause: error,
      });
    });
    dir = await mkdtemp(join(tmpdir(), 'parley-unit-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('has a systemd unit that systemd-analyze verifies without a complaint', async () => {
    // The unit names /usr/bin/node, Debian's; verify checks that the program exists, so use this one.
    const unit = (await readFile(UNIT, 'utf8')).replace('/usr/bin/node', process.execPath);
    const path = join(dir, 'parley.service');
    await writeFile(path, unit);
    expect(await verify(path)).toEqual([]);

    // The check itself can fail: a misspelt key is reported.
    const broken = join(dir, 'broken.service');
    await writeFile(broken, unit.replace('NoNewPrivileges=yes', 'NoNewPrivilege=yes'));
    expect((await verify(broken)).join('\n')).toContain('NoNewPrivilege');
  });

  it('raises the open-file limit and sandboxes the service', async () => {
    const unit = await readFile(UNIT, 'utf8');
    for (const line of [
      'LimitNOFILE=65536',
      'DynamicUser=yes',
      'NoNewPrivileges=yes',
      'ProtectSystem=strict',
      'ProtectHome=yes',
      'PrivateTmp=yes',
    ]) {
      expect(unit.split('\n')).toContain(line);
    }
  });

  it('documents every setting in the README, with its variable', async () => {
    const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
    for (const setting of SETTINGS) {
      expect(readme, setting.flag).toMatch(
        new RegExp(`^\\| \`--${setting.flag}\` +\\| \`${setting.env}\` +\\|`, 'm'),
      );
    }
  });

  it("has the README's test command be exactly what CI runs", async () => {
    const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('Run every test'));
    const command = /```sh\n(.+)\n```/.exec(section)?.[1];
    const ci = (await readFile(join(ROOT, '.ci', 'run'), 'utf8')).trimEnd().split('\n').at(-1);
    expect(command).toBeDefined();
    expect(ci).toBe(command);
  });
});
