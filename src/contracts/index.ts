export * from './event.js';
export * from './action.js';
export * from './message.js';
