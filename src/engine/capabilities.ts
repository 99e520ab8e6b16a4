import type { Capability } from './capability.js';
import { welcome } from './welcome/index.js';

/** Every capability the engine runs, in the order their handlers see an event. */
export const allCapabilities: readonly Capability[] = [welcome];
