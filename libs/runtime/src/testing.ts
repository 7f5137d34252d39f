// Second entry point, `@metarec/runtime/testing`: helpers for other projects' tests only.
export type { ServiceCheck, ServiceName } from './testing/service-check.js';
export { checkService, ServiceUnavailableError } from './testing/service-check.js';
export { freePort } from './testing/free-port.js';
export type { SourceProcess, SourceProcessOptions } from './testing/source-process.js';
export { spawnSourceProcess, waitForHttp200 } from './testing/source-process.js';
export type { CliProbeOptions, CliProbeResult, ConnectionTrap } from './testing/cli-probe.js';
export { openConnectionTrap, probeCli } from './testing/cli-probe.js';
export { encodeUrlPart, fuzzRandom, NASTY_NUMBERS, NASTY_STRINGS, NASTY_VALUES, RAW_URL_PARTS } from './testing/http-fuzz.js';
export { openApiDocumentErrors, undocumentedRoutes } from './testing/openapi-coverage.js';
export type { ScenarioFigures } from './testing/scenario-figures.js';
export { recordScenarioFigures, SCENARIO_FIGURES_FILE_VARIABLE } from './testing/scenario-figures.js';
