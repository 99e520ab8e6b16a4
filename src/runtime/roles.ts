import { z } from 'zod';

/**
 * What a `guyub start` process does. `all`: everything in one process (the default).
 * `gateway`: holds the platform connections, queues their events for the workers and carries
 * out the actions the workers send back. `worker`: runs events through the engine and runs due
 * jobs. `scheduler`: keeps every community's repeating jobs armed. The split roles share
 * Redis (REDIS_URL) and PostgreSQL (DATABASE_URL), and may run on several machines.
 */
export const RoleSchema = z.enum(['all', 'gateway', 'worker', 'scheduler']);
export type Role = z.infer<typeof RoleSchema>;

export const ROLE_NAMES = RoleSchema.options;
