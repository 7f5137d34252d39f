export type { ConfigIssue, RuntimeErrorCode } from './errors.js';
export { ConfigError, RuntimeError, RuntimeOptionsError } from './errors.js';
export type { EnvSource } from './config/load-config.js';
export { loadConfig } from './config/load-config.js';
export { env } from './config/env.js';
export type { ConfigVariableDoc } from './config/describe-config.js';
export { describeConfig } from './config/describe-config.js';
export type { BuildInfo, ReadBuildInfoOptions } from './cli/build-info.js';
export { formatVersion, readBuildInfo } from './cli/build-info.js';
export type { ConfigHelpFormat } from './cli/format-config-help.js';
export { CONFIG_HELP_FORMATS, formatConfigHelp } from './cli/format-config-help.js';
export { formatConfigError } from './cli/format-config-error.js';
export type { CliIo, RunServiceCliOptions, ServiceCliOptions, ServiceCliOutcome, ServiceStart } from './cli/service-cli.js';
export { addServiceCliOptions, CONFIG_ERROR_EXIT_CODE, loadServiceConfig, parseServiceCli, PROCESS_CLI_IO, runServiceCli } from './cli/service-cli.js';
export type { Logger, LoggerOptions, LogLevel } from './logging/create-logger.js';
export { createLogger } from './logging/create-logger.js';
export type { MetricsRegistryOptions } from './metrics/create-metrics-registry.js';
export { createMetricsRegistry } from './metrics/create-metrics-registry.js';
export type {
  GracefulShutdownOptions,
  ShutdownReport,
  ShutdownState,
  ShutdownStepFn,
  ShutdownStepResult,
} from './shutdown/graceful-shutdown.js';
export { GracefulShutdown } from './shutdown/graceful-shutdown.js';
export type { WriteFileDurablyOptions } from './durable/durable-write.js';
export { syncDirectory, writeFileDurably } from './durable/durable-write.js';
export type { WriteFileAtomicOptions } from './durable/write-file-atomic.js';
export { ATOMIC_WRITE_TEMP_PATTERN, writeFileAtomic } from './durable/write-file-atomic.js';
export type { RngState } from './random/seeded-rng.js';
export { SeededRng } from './random/seeded-rng.js';
export { hashString } from './random/hash-string.js';
export { mergeOptions } from './options/merge-options.js';
export type { InvalidOptionFactory, OptionChecks } from './options/create-option-checks.js';
export { createOptionChecks } from './options/create-option-checks.js';
export type { ParserErrorBody, ParserErrorCodes } from './http/parser-error-handlers.js';
export { createClientErrorHandler, frameworkErrorAnswer } from './http/parser-error-handlers.js';
