// Second entry point, `@metarec/schemas/testing`: test data for other projects' tests only.
export { makeInteraction } from './testing/record-builders.js';
export type { MalformedEvent, MalformedEventName, MalformedMessage } from './testing/malformed-events.js';
export { MALFORMED_EVENT_NAMES, malformedInteraction, malformedInteractions, oversizedInteraction } from './testing/malformed-events.js';
