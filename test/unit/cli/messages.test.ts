import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runKineCommand } from '../../../src/cli/kineCommand';
import { runLintCommand } from '../../../src/cli/lintCommand';
import { freePort } from '../../harness/processes';

async function kine(args: readonly string[], readStdin?: () => Promise<Uint8Array>) {
  const o = { out: '', err: '' };
  const code = await runKineCommand(args, { out: (t) => void (o.out += t), err: (t) => void (o.err += t), readStdin });
  return { code, ...o };
}

describe('CLI messages say what went wrong and what to do, in one sentence', () => {
  it('a runtime failure while decoding is an internal error, never a NATS error (decode never talks to NATS)', async () => {
    const r = await kine(['decode'], async () => {
      throw new RangeError('Maximum call stack size exceeded');
    });
    assert.equal(r.code, 1);
    assert.equal(
      r.err,
      'nats-k3s kine: internal error (RangeError: Maximum call stack size exceeded). This is a bug in nats-k3s: please report it with the command you ran.\n',
    );
  });

  it('refuses --revision 0, an empty --server and a bad --bucket before connecting', async () => {
    const port = await freePort();
    for (const [args, sentence] of [
      [
        ['get', '/registry/a', '--revision', '0'],
        '--revision must be a whole number from 1 up (revisions are stream sequences, which start at 1).',
      ],
      [['ls', '--server', ''], '--server needs a URL, e.g. nats://127.0.0.1:4222.'],
      [['ls', '--bucket', 'a.b'], "--bucket 'a.b' is not a KV bucket name: use letters, digits, - and _."],
    ] as const) {
      const r = await kine([
        ...args,
        ...((args as readonly string[]).includes('--server') ? [] : ['--server', `nats://127.0.0.1:${port}`]),
      ]);
      assert.equal(r.code, 2, args.join(' '));
      assert.equal(r.err.split('\n')[0], `nats-k3s kine: ${sentence} Run 'nats-k3s kine --help'.`);
    }
  });

  it('names what a file error means instead of its code', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nk3s-msg-'));
    try {
      const missing = join(dir, 'missing.creds');
      const creds = await kine(['ls', '--creds', missing, '--server', `nats://127.0.0.1:${await freePort()}`]);
      assert.equal(creds.err, `nats-k3s kine: cannot read ${missing}: there is no such file. Check the path.\n`);
      const folder = await kine(['ls', '--creds', dir, '--server', `nats://127.0.0.1:${await freePort()}`]);
      assert.equal(folder.err, `nats-k3s kine: cannot read ${dir}: it is a directory. Name a file.\n`);
      const o = { out: '', err: '' };
      assert.equal(
        await runLintCommand([missing, dir], { out: (t) => void (o.out += t), err: (t) => void (o.err += t) }),
        2,
      );
      assert.equal(
        o.err,
        `nats-k3s lint: cannot read ${missing}: there is no such file. Check the path.\nnats-k3s lint: cannot read ${dir}: it is a directory. Name a file.\n`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
