export { actorOf, recordEvent, type RecordedEvent } from './record-event.js';
export { findMemberByReference } from './find-member.js';
