export type { EventPayload, MalformedKind } from './malformed.js';
export { EXPECTED_REASON, MALFORMED_KINDS, malformedPayload, validPayload } from './malformed.js';
export type { EventSourceOptions, InteractionMessage } from './event-source.js';
export { EventSource } from './event-source.js';
export type { PacedSendOptions, PacedSendReport } from './paced-send.js';
export { pacedSend } from './paced-send.js';
