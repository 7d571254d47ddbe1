import * as assert from 'node:assert/strict';
import { SecretScrubber, scrubSecretShapes } from '../../../../src/core/text/secretScrubber';

const SEED = 'SUAECIDEXJJG32KFT3NRFNU4JY7UD4R65Q7HVRI2INGPEMUSWNEDKDSIV4';
const JWT = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJlZDI1NTE5LW5rZXkifQ.eyJqdGkiOiJBQkMifQ.c2lnbmF0dXJl';
const CREDS = `-----BEGIN NATS USER JWT-----\n${JWT}\n------END NATS USER JWT------\n\n************************* IMPORTANT *************************\nNKEY Seed printed below can be used to sign and prove identity.\n\n-----BEGIN USER NKEY SEED-----\n${SEED}\n------END USER NKEY SEED------\n`;

describe('SecretScrubber', () => {
  it('hides the password of a URL and keeps its user; a lone user part (a token) goes whole', () => {
    assert.equal(
      scrubSecretShapes('connect nats://alice:s3cret@10.0.0.1:4222 failed'),
      'connect nats://alice:***@10.0.0.1:4222 failed',
    );
    assert.equal(
      scrubSecretShapes('nats://t0ken-abc@host:4222,tls://bob:p%40ss@h2'),
      'nats://***@host:4222,tls://bob:***@h2',
    );
    // Not user info: a port, a path with @, an address without a scheme.
    for (const text of [
      'nats://127.0.0.1:4222/x@y',
      'nats://127.0.0.1:4222',
      'git@github.com:nats-io/k8s',
      'alice@example.com',
    ])
      assert.equal(scrubSecretShapes(text), text);
  });

  it('hides nkey seeds, JWTs and whole creds files, and leaves public keys alone', () => {
    assert.equal(scrubSecretShapes(`seed ${SEED}.`), 'seed [nkey seed hidden].');
    assert.equal(scrubSecretShapes(`bearer ${JWT}`), 'bearer [jwt hidden]');
    const creds = scrubSecretShapes(`read:\n${CREDS}done`);
    assert.doesNotMatch(creds, /SUAE|eyJ/);
    assert.match(creds, /^read:\n\[creds hidden\]\n/);
    const publicKey = 'UDLUP5HZXMCE7AGPIPNKQ36LWDRBHBCVAG5EPVSB7XVQ4AFXLO45T5HY';
    assert.equal(scrubSecretShapes(`user ${publicKey}`), `user ${publicKey}`);
  });

  it('hides the values of password and token keys in JSON, YAML, queries and flags, not the words in prose', () => {
    assert.equal(
      scrubSecretShapes('helm get: {"auth":{"token":"abc\\"d","user":"x"},"password": "p"}'),
      'helm get: {"auth":{"token":"***","user":"x"},"password": "***"}',
    );
    assert.equal(
      scrubSecretShapes('config:\n  authorization:\n    token: s3cr3t\n    password: |\n      block\n'),
      'config:\n  authorization:\n    token: ***\n    password: |\n      block\n',
    );
    assert.equal(scrubSecretShapes('nats://h?bucket=kine&token=abc&x=1'), 'nats://h?bucket=kine&token=***&x=1');
    assert.equal(
      scrubSecretShapes('nats-k3s kine ls --password hunter22 --user u'),
      'nats-k3s kine ls --password *** --user u',
    );
    const prose =
      'Authorization failed: check the user, password, token or creds file. Missing secret: stored under natsK3s.connection.x.token.';
    assert.equal(scrubSecretShapes(prose), prose);
  });

  it('hides every secret it was told, also URL-encoded and line by line, and nothing shorter than 4 characters', () => {
    const s = new SecretScrubber();
    s.remember('pa ss/wörd');
    s.remember('abc');
    s.remember(undefined);
    s.remember(CREDS);
    assert.equal(s.scrub('said pa ss/wörd, then pa%20ss%2Fw%C3%B6rd, abc'), 'said ***, then ***, abc');
    // The seed line of a creds file alone, as an error might quote it.
    assert.equal(new SecretScrubber().scrub('x'), 'x');
    const t = new SecretScrubber();
    t.remember('sEcReT-tOkEn-42');
    assert.equal(t.scrub('token sEcReT-tOkEn-42 in "a sEcReT-tOkEn-42"'), 'token *** in "a ***"');
  });
});
