/** Bad input from the person running guyub: a wrong argument, a missing file. Exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Something went wrong at run time that is not the caller's input. Exit code 1. */
export class RuntimeFailure extends Error {
  override readonly name = 'RuntimeFailure';
}

export const EXIT = { ok: 0, failure: 1, badInput: 2 } as const;
