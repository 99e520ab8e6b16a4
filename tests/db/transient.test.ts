import { describe, expect, it } from 'vitest';
import { isTransientStoreFailure } from '../../src/db/index.js';

describe('telling a store outage from a bug', () => {
  it.each([
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['the server stopping mid-transaction (SQLSTATE in the message)', new Error('Database error. Code: `57P01`. Message: `terminating connection due to administrator command`')],
    ['the server shutting down', new Error('Database error. Code: `57P03`. Message: `the database system is shutting down`')],
    ['an unreachable server', new Error("Can't reach database server at 127.0.0.1:5432")],
    ['a serialization conflict, by code', Object.assign(new Error('could not serialize access'), { code: '40001' })],
    ['Redis out of retries', Object.assign(new Error('Reached the max retries per request limit (which is 3).'), { name: 'MaxRetriesPerRequestError' })],
    ['a closed Redis connection', new Error('Connection is closed.')],
    ['an outage wrapped as a cause', new Error('handler failed', { cause: new Error('Connection terminated unexpectedly') })],
  ])('retries %s', (_, error) => {
    expect(isTransientStoreFailure(error)).toBe(true);
  });

  it.each([
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a unique violation', new Error('Database error. Code: `23505`. Message: `duplicate key value violates unique constraint`')],
    ['bad data', new Error('invalid input syntax for type integer')],
  ])('does not retry %s', (_, error) => {
    expect(isTransientStoreFailure(error)).toBe(false);
  });
});
