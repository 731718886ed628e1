import { describe, expect, it } from 'vitest';
import { redactUrl } from '../../db/client.js';

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
