import { Command, CommanderError, Option } from 'commander';
import type { z } from 'zod';

import type { EnvSource } from '../config/load-config.js';
import { loadConfig } from '../config/load-config.js';
import { ConfigError } from '../errors.js';
import { formatVersion, type BuildInfo } from './build-info.js';
import { formatConfigError } from './format-config-error.js';
import { CONFIG_HELP_FORMATS, formatConfigHelp, type ConfigHelpFormat } from './format-config-help.js';

/** Exit code of a process whose environment failed its config schema (as for a usage error). */
export const CONFIG_ERROR_EXIT_CODE = 2;

/** Where a CLI writes; apps pass `process.stdout` / `process.stderr`, tests their own. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** The process's own streams: what apps pass. */
export const PROCESS_CLI_IO: CliIo = {
  stdout: (text) => {
    process.stdout.write(text);
  },
  stderr: (text) => {
    process.stderr.write(text);
  },
};

/** Options of {@link addServiceCliOptions}. */
export interface ServiceCliOptions {
  /** The app as its users call it (`ingest`, `trainer`): names it in `--version`, `--help-config` and errors. */
  readonly name: string;
  /** Printed by `--version`. */
  readonly buildInfo: BuildInfo;
  /** The app's environment schema (a zod object keyed by variable name), listed by `--help-config`. */
  readonly configSchema: z.ZodObject;
  /** @defaultValue {@link PROCESS_CLI_IO} */
  readonly io?: CliIo;
}

/** Commander's code for our `--help-config` exit, like its own `commander.helpDisplayed`. */
const HELP_CONFIG_CODE = 'metarec.helpConfig';
const CONFIG_INVALID_CODE = 'metarec.configInvalid';
/** Commander exits that mean "printed what was asked for": exit 0 and start nothing. */
const INFO_EXITS = new Set(['commander.helpDisplayed', 'commander.version', 'commander.help', HELP_CONFIG_CODE]);

function allCommands(command: Command): Command[] {
  return [command, ...command.commands.flatMap((child) => allCommands(child))];
}

/**
 * Gives `command` and every subcommand (call it after defining them) `-V, --version`,
 * `--help-config [format]` and a help footer pointing at it; routes commander's output to `io`
 * and turns its exits into `CommanderError`s, which {@link parseServiceCli} maps to exit codes.
 * Help, version and config help never load the config, so they work with any environment and
 * start nothing.
 */
export function addServiceCliOptions(command: Command, options: ServiceCliOptions): Command {
  const version = `${options.name} ${formatVersion(options.buildInfo)}`;
  const io = options.io ?? PROCESS_CLI_IO;
  for (const each of allCommands(command)) {
    each
      .exitOverride()
      .helpOption('-h, --help', 'print this help and exit')
      .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
      .version(version, '-V, --version', 'print the version (and commit) and exit')
      .addOption(
        new Option('--help-config [format]', 'list the environment variables (type, default, description) and exit')
          .choices(CONFIG_HELP_FORMATS)
          .preset('text'),
      )
      .addHelpText('after', `\nConfiguration: environment variables only; \`${options.name} --help-config\` lists them with types and defaults.`);
    // Commander validated the choice in its own listener, registered first; an option event fires
    // while parsing, before any action and before required options are checked, as --version does.
    each.on('option:help-config', () => {
      const format = each.getOptionValue('helpConfig') as ConfigHelpFormat;
      io.stdout(formatConfigHelp(options.name, options.configSchema, format));
      throw new CommanderError(0, HELP_CONFIG_CODE, '(config help displayed)');
    });
  }
  return command;
}

/**
 * Loads the config for a command that is about to run (in an action or a `preAction` hook). A
 * `ConfigError` becomes one line on stderr ({@link formatConfigError}) and a `CommanderError` with
 * exit code {@link CONFIG_ERROR_EXIT_CODE}, which {@link parseServiceCli} returns; no stack trace.
 */
export function loadServiceConfig<S extends z.ZodObject>(schema: S, env: EnvSource, options: Pick<ServiceCliOptions, 'name' | 'io'>): z.output<S> {
  try {
    return loadConfig(schema, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) {
      throw error;
    }
    const line = formatConfigError(options.name, error);
    (options.io ?? PROCESS_CLI_IO).stderr(`${line}\n`);
    throw new CommanderError(CONFIG_ERROR_EXIT_CODE, CONFIG_INVALID_CODE, line);
  }
}

/** What {@link parseServiceCli} did: the command ran (or the service may start), or the process should exit with `code`. */
export type ServiceCliOutcome = { readonly kind: 'ran' } | { readonly kind: 'exit'; readonly code: number };

/**
 * Parses `argv` (`process.argv` form) with a command prepared by {@link addServiceCliOptions} and
 * runs its action, if any. Help, version and config help resolve `{ kind: 'exit', code: 0 }`; a
 * usage error (already printed by commander) or a config error resolves its exit code. Errors
 * thrown by actions propagate.
 */
export async function parseServiceCli(command: Command, argv: readonly string[]): Promise<ServiceCliOutcome> {
  try {
    await command.parseAsync([...argv]);
    return { kind: 'ran' };
  } catch (error) {
    if (error instanceof CommanderError) {
      return { kind: 'exit', code: INFO_EXITS.has(error.code) ? 0 : error.exitCode };
    }
    throw error;
  }
}

/** Options of {@link runServiceCli}. */
export interface RunServiceCliOptions<S extends z.ZodObject> extends Omit<ServiceCliOptions, 'configSchema'> {
  readonly configSchema: S;
  /** One line under the usage: what the service does. */
  readonly description: string;
  /** Extra help text (endpoints, signals), printed after the options. */
  readonly helpAfter?: string;
  /** `process.argv`. */
  readonly argv: readonly string[];
  /** `process.env`. */
  readonly env: EnvSource;
}

/** What a long-running service's `main.ts` does next: start with `config`, or exit with `code`. */
export type ServiceStart<C> = { readonly kind: 'start'; readonly config: C } | { readonly kind: 'exit'; readonly code: number };

/**
 * The command line of a long-running service that takes no arguments (ingest, serving, the
 * registry): `--help`, `--version`, `--help-config` print and resolve `exit` 0 before the config is
 * read or anything is created; otherwise the environment is loaded (one line and exit 2 when it is
 * invalid) and `start` carries the typed config. `main.ts` exits on `exit` and starts on `start`.
 */
export async function runServiceCli<S extends z.ZodObject>(options: RunServiceCliOptions<S>): Promise<ServiceStart<z.output<S>>> {
  const command = new Command(options.name).description(options.description);
  if (options.helpAfter !== undefined) {
    command.addHelpText('after', `\n${options.helpAfter}`);
  }
  addServiceCliOptions(command, options);
  let config: z.output<S> | undefined;
  command.action(() => {
    config = loadServiceConfig(options.configSchema, options.env, options);
  });
  const outcome = await parseServiceCli(command, options.argv);
  if (outcome.kind === 'exit') {
    return outcome;
  }
  if (config === undefined) {
    throw new Error('runServiceCli: the command ran without loading the config');
  }
  return { kind: 'start', config };
}
