export type { EventSourceOptions, InteractionMessage } from './event-source.js';
export { EventSource } from './event-source.js';
export type { PacedSendOptions, PacedSendReport } from './paced-send.js';
export { pacedSend } from './paced-send.js';
