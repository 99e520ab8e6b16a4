export { actorOf, recordEvent, type RecordedEvent } from './record-event.js';
