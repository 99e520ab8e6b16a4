export { actorOf, recordEvent, type RecordedEvent } from './record-event.js';
export { isStretchEvent, recordStretch, type StretchEvent } from './record-stretch.js';
export { findMemberByReference } from './find-member.js';
