import { describe, expect, it } from 'vitest';
import { embeddedOpenFix, redactUrl } from '../../db/client.js';

describe('a database address as `migrate` and `doctor` print it', () => {
  it('hides a password however the address gives it', () => {
    expect(redactUrl('postgres://bot:s3cret@db.example:5432/transfers')).toBe(
      'postgres://bot:***@db.example:5432/transfers',
    );
    const inQuery = redactUrl(
      'postgres://bot@db.example/transfers?sslmode=require&password=s3cret&sslpassword=k3y',
    );
    expect(inQuery).not.toContain('s3cret');
    expect(inQuery).not.toContain('k3y');
    expect(inQuery).toContain('sslmode=require');
    // A path to a password file is not a secret, and says where to look.
    expect(redactUrl('postgres://bot@db.example/transfers?passfile=/etc/bot/pgpass')).toContain(
      'passfile=/etc/bot/pgpass',
    );
  });
});

describe('what the operator is told to do when the embedded database cannot be opened', () => {
  const failure = (code: string) =>
    Object.assign(new Error(`${code}: failed, open '/data/pg/base'`), { code });

  it('keeps the data when the disk is full or the folder cannot be written', () => {
    expect(embeddedOpenFix(failure('ENOSPC'))).toBe(
      'the disk is full: free some space and start again (the data is kept)',
    );
    // The engine reports its file system's errors in its message, without a code.
    expect(embeddedOpenFix(new Error('ErrnoError: EROFS: read-only file system'))).toContain(
      'the folder cannot be written',
    );
    expect(embeddedOpenFix(failure('EACCES'))).toContain('(the data is kept)');
  });

  it('advises a fresh start only for data the engine cannot read', () => {
    expect(embeddedOpenFix(new Error('invalid page in block 0'))).toBe(
      'move that folder away to start afresh, or set DATABASE_URL',
    );
  });
});
