export { actorOf, recordEvent, type RecordedEvent } from './record-event.js';
export { recordMessages } from './record-messages.js';
export { findMemberByReference } from './find-member.js';
