import type { Capability } from '../capability.js';
import { welcomeMember } from './welcome-member.js';

export const welcome: Capability = {
  name: 'welcome',
  on: { 'member.joined': welcomeMember },
};
