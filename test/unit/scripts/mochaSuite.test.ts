// The layer runner refuses what would make a run look better than it is: a stray `.only` (the rest would silently
// not run) and a skipped test. Each case runs the real runner on a throwaway test file in a child process (mocha
// keeps global state per process).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const suite = join(__dirname, '..', '..', 'harness', 'mochaSuite.js');

function runLayer(body: string): { counts?: { passed: number; failed: number; pending: number }; error?: string } {
  const dir = mkdtempSync(join(tmpdir(), 'nats-k3s-mocha-suite-'));
  try {
    writeFileSync(join(dir, 'x.test.js'), body);
    const script = `require(${JSON.stringify(suite)}).runMocha(${JSON.stringify(dir)}).then((c) => console.log('COUNTS' + JSON.stringify(c)), (e) => console.log('ERROR' + (e.code || e.message)))`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 20_000 });
    const counts = /COUNTS(.*)/.exec(r.stdout)?.[1];
    const error = /ERROR(.*)/.exec(r.stdout)?.[1];
    return { ...(counts ? { counts: JSON.parse(counts) } : {}), ...(error ? { error } : {}) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the test layer runner (test/harness/mochaSuite.ts)', () => {
  it('counts passes and failures', () => {
    assert.deepEqual(
      runLayer("describe('x', () => { it('a', () => {}); it('b', () => { throw new Error('no'); }); });").counts,
      { passed: 1, failed: 1, pending: 0 },
    );
  });

  it('refuses a stray .only instead of running that test alone', () => {
    assert.equal(
      runLayer("describe('x', () => { it.only('a', () => {}); it('b', () => { throw new Error('never ran'); }); });")
        .error,
      'ERR_MOCHA_FORBIDDEN_EXCLUSIVITY',
    );
  });

  it('fails a skipped test instead of leaving it pending', () => {
    const { counts } = runLayer("describe('x', () => { it('a', () => {}); it.skip('b', () => {}); });");
    assert.equal(counts?.failed, 1, JSON.stringify(counts));
  });
});
