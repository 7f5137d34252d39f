// Reproduces Dockerfile stages on the host (no Docker engine here): a build stage's COPY from the
// build context and its RUN commands run in a temp directory that stands for the stage's WORKDIR,
// and a runtime stage's `COPY --from=<reproduced stage>` and check commands run in another. The
// instructions come from the Dockerfile itself, so a stage that forgets a file fails here too.

import { execFile } from 'node:child_process';
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

import { type Dockerfile, envPairs, expand, flagValue, type Instruction, mountOptions, splitArg, type Stage, stageNamed } from './dockerfile.js';

const run = promisify(execFile);

/** A stage reproduced on the host: the image path of its WORKDIR and the host directory standing for it. */
export interface HostStage {
  readonly workdir: string;
  readonly dir: string;
}

export interface ReproduceStageOptions {
  /** The build context (the repository root). */
  readonly context: string;
  /** Empty host directory that stands for the stage's WORKDIR. */
  readonly dir: string;
  /** Build args (`--build-arg`); others take their Dockerfile defaults. */
  readonly buildArgs?: Readonly<Record<string, string>>;
  /** RUN commands that the host provides instead (e.g. the toolchain's `apt-get install`). */
  readonly hostProvides?: (command: string) => boolean;
  /** Environment of the RUN commands besides the stage's ARGs and ENVs. @defaultValue process.env */
  readonly env?: NodeJS.ProcessEnv;
}

function where(instruction: Instruction): string {
  return `line ${instruction.line} (${instruction.keyword} ${instruction.args.slice(0, 60)})`;
}

/** The image path `imagePath` under `stage` as a host path. @throws Error when it is outside the WORKDIR. */
export function hostPath(stage: HostStage, imagePath: string): string {
  const resolved = path.posix.resolve(stage.workdir, imagePath);
  const relative = path.posix.relative(stage.workdir, resolved);
  if (relative.startsWith('..')) {
    throw new Error(`${imagePath} is outside the stage's WORKDIR ${stage.workdir}: not reproducible on the host`);
  }
  return path.join(stage.dir, relative);
}

/**
 * Docker's COPY of one source: a directory's contents go into `to` (created), a file goes to `to`,
 * or into it when `to` ends with `/`. Hard links where possible (same file system: the temp dirs and
 * the cache), so that 600 MB of libraries cost nothing to "copy".
 */
async function copyLikeDocker(from: string, to: string, isDirectory: boolean): Promise<void> {
  if (isDirectory) {
    await mkdir(to, { recursive: true });
    await cp(`${from}/.`, `${to}/`);
  } else {
    await mkdir(to.endsWith('/') ? to : path.dirname(to), { recursive: true });
    await cp(from, to);
  }
}

async function cp(from: string, to: string): Promise<void> {
  try {
    await run('cp', ['-a', '--link', from, to]);
  } catch {
    // Another file system (or a file system without hard links): a real copy is equivalent.
    await run('cp', ['-a', from, to]);
  }
}

async function isDirectory(p: string): Promise<boolean> {
  return (await stat(p)).isDirectory();
}

/** Splits `COPY a b dest` into sources and destination. */
function copyOperands(instruction: Instruction, values: ReadonlyMap<string, string | undefined>): { sources: string[]; dest: string } {
  const words = expand(instruction.args, values).split(/\s+/);
  if (words.length < 2 || words[0].startsWith('[')) {
    throw new Error(`${where(instruction)}: only "COPY src... dest" is reproducible`);
  }
  return { sources: words.slice(0, -1), dest: words[words.length - 1] };
}

/**
 * A RUN's command with its `--mount`s applied: cache mounts dropped (a speed-up only), bind mounts
 * of build-context files replaced by their host paths.
 */
function hostCommand(instruction: Instruction, context: string): string {
  let command = instruction.args;
  for (const flag of instruction.flags) {
    if (flag.name !== 'mount') {
      throw new Error(`${where(instruction)}: RUN --${flag.name} is not reproducible on the host`);
    }
    const mount = mountOptions(flag.value);
    if (mount.get('type') === 'cache') {
      continue;
    }
    const source = mount.get('source');
    const target = mount.get('target');
    if (mount.get('type') !== 'bind' || source === undefined || target === undefined || mount.has('from')) {
      throw new Error(`${where(instruction)}: only cache mounts and bind mounts of the build context are reproducible`);
    }
    command = command.split(target).join(path.join(context, source));
  }
  return command;
}

/** Runs `command` with Docker's default shell (`/bin/sh -c`) in `cwd`. @throws Error with the end of its output when it fails. */
export async function runCommand(command: string, cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  try {
    // Docker's default SHELL.
    const { stdout } = await run('/bin/sh', ['-c', command], { cwd, env, maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (e) {
    const failure = e as { code?: number; stdout?: string; stderr?: string };
    const output = `${failure.stdout ?? ''}${failure.stderr ?? ''}`.trim().split('\n').slice(-25).join('\n');
    throw new Error(`\`${command}\` exited with ${failure.code ?? '?'} in ${cwd}:\n${output}`, { cause: e });
  }
}

/**
 * Runs build stage `name` of `file` in `options.dir`: its ARG, ENV, one WORKDIR, COPY from the build
 * context and RUN instructions. Anything else (another WORKDIR, COPY --from, USER…) is refused, so a
 * change to the stage that this reproduction would silently skip fails instead.
 * @returns where the stage's WORKDIR lives on the host.
 */
export async function reproduceStage(file: Dockerfile, name: string, options: ReproduceStageOptions): Promise<HostStage> {
  const stage = stageNamed(file, name);
  const values = new Map<string, string | undefined>();
  const env: NodeJS.ProcessEnv = { ...(options.env ?? process.env) };
  let host: HostStage | undefined;
  const requireWorkdir = (instruction: Instruction): HostStage => {
    if (host === undefined) {
      throw new Error(`${where(instruction)}: comes before the stage's WORKDIR`);
    }
    return host;
  };
  for (const instruction of stage.instructions) {
    switch (instruction.keyword) {
      case 'ARG': {
        const [arg, stageDefault] = splitArg(instruction.args);
        const value = options.buildArgs?.[arg] ?? stageDefault ?? file.globalArgs.get(arg);
        values.set(arg, value);
        if (value !== undefined) {
          env[arg] = value;
        }
        break;
      }
      case 'ENV':
        for (const [key, value] of parseEnv(instruction, values)) {
          env[key] = value;
          values.set(key, value);
        }
        break;
      case 'WORKDIR':
        if (host !== undefined || !instruction.args.startsWith('/')) {
          throw new Error(`${where(instruction)}: one absolute WORKDIR per reproduced stage`);
        }
        host = { workdir: instruction.args, dir: options.dir };
        await mkdir(options.dir, { recursive: true });
        break;
      case 'COPY': {
        if (instruction.flags.length > 0) {
          throw new Error(`${where(instruction)}: only COPY from the build context is reproducible in a build stage`);
        }
        const at = requireWorkdir(instruction);
        const { sources, dest } = copyOperands(instruction, values);
        for (const source of sources) {
          const from = path.join(options.context, source);
          const to = hostPath(at, dest) + (dest.endsWith('/') ? '/' : '');
          await copyLikeDocker(from, to, await isDirectory(from));
        }
        break;
      }
      case 'RUN': {
        if (options.hostProvides?.(instruction.args) === true) {
          break;
        }
        const at = requireWorkdir(instruction);
        await runCommand(hostCommand(instruction, options.context), at.dir, env);
        break;
      }
      default:
        throw new Error(`${where(instruction)}: ${instruction.keyword} is not reproducible in a build stage`);
    }
  }
  if (host === undefined) {
    throw new Error(`stage ${name} has no WORKDIR`);
  }
  return host;
}

/** An ENV's settings with ARG and earlier ENV values expanded. */
function parseEnv(instruction: Instruction, values: ReadonlyMap<string, string | undefined>): [string, string][] {
  return envPairs(instruction).map(([key, value]) => [key, expand(value, values)]);
}

export interface RuntimeOptions {
  readonly context: string;
  /** Host directory standing for the runtime stage's WORKDIR (its node_modules, when the test brings them). */
  readonly dir: string;
  /** Reproduced build stages by name: the runtime's `COPY --from=<name>` take from them. */
  readonly from: ReadonlyMap<string, HostStage>;
  /** Which RUNs of the runtime stage to run (the others are the app's, not reproduced here). */
  readonly runs: (instruction: Instruction) => boolean;
  /** Leaves out a `COPY --from` whose source matches (to show that the check then fails). */
  readonly skipCopy?: (source: string) => boolean;
  /** Stages whose copies are knowingly left out (not reproducible here, e.g. the GPU build). */
  readonly skipStages?: ReadonlySet<string>;
  /** Build args (`--build-arg`) for the stage's ARGs; others take their Dockerfile defaults. */
  readonly buildArgs?: Readonly<Record<string, string>>;
  readonly env?: NodeJS.ProcessEnv;
}

/** A runtime stage reproduced on the host. */
export interface HostRuntime {
  /** The stdout of each RUN that ran, in order. */
  readonly outputs: readonly string[];
  /** The stage's ENV settings (ARGs expanded), for starting the app as the image would. */
  readonly env: Readonly<Record<string, string>>;
  /** The stage's WORKDIR in the image (`options.dir` on the host). */
  readonly workdir: string;
}

/**
 * The runtime stage (the last one) on the host: its ARGs, ENVs, `COPY --from` of reproduced stages,
 * then the RUNs that `options.runs` selects, in file order, with the stage's ENV. A COPY from a stage
 * that was not reproduced is an error, so that nothing the image copies is silently left out.
 */
export async function reproduceRuntimeStage(file: Dockerfile, options: RuntimeOptions): Promise<HostRuntime> {
  const stage: Stage | undefined = file.stages.at(-1);
  if (stage === undefined) {
    throw new Error('the Dockerfile has no stage');
  }
  const values = new Map(file.globalArgs);
  const env: NodeJS.ProcessEnv = { ...(options.env ?? process.env) };
  const stageEnv: Record<string, string> = {};
  let workdir: string | undefined;
  const outputs: string[] = [];
  for (const instruction of stage.instructions) {
    if (instruction.keyword === 'ARG') {
      const [arg, stageDefault] = splitArg(instruction.args);
      // Docker expands an ARG that has no value and was not passed to the empty string.
      const value = options.buildArgs?.[arg] ?? stageDefault ?? file.globalArgs.get(arg) ?? '';
      values.set(arg, value);
      env[arg] = value;
    } else if (instruction.keyword === 'WORKDIR') {
      workdir = instruction.args;
    } else if (instruction.keyword === 'ENV') {
      for (const [key, value] of parseEnv(instruction, values)) {
        env[key] = value;
        stageEnv[key] = value;
        values.set(key, value);
      }
    } else if (instruction.keyword === 'COPY') {
      const fromStage = flagValue(instruction, 'from');
      if (fromStage !== undefined && options.skipStages?.has(fromStage) === true) {
        continue;
      }
      const source = options.from.get(fromStage ?? '');
      if (source === undefined) {
        throw new Error(`${where(instruction)}: copies from ${fromStage ?? 'the build context'}, which was not reproduced`);
      }
      if (workdir === undefined) {
        throw new Error(`${where(instruction)}: comes before the runtime's WORKDIR`);
      }
      const { sources, dest } = copyOperands(instruction, values);
      for (const imageSource of sources) {
        if (options.skipCopy?.(imageSource) === true) {
          continue;
        }
        const from = hostPath(source, imageSource);
        const to = hostPath({ workdir, dir: options.dir }, dest) + (dest.endsWith('/') ? '/' : '');
        await copyLikeDocker(from, to, await isDirectory(from));
      }
    } else if (instruction.keyword === 'RUN' && options.runs(instruction)) {
      outputs.push(await runCommand(hostCommand(instruction, options.context), options.dir, env));
    }
  }
  if (workdir === undefined) {
    throw new Error('the runtime stage has no WORKDIR');
  }
  return { outputs, env: stageEnv, workdir };
}

/**
 * The runtime stage's `COPY --from` of the reproduced stages in `options.from` (copies from other
 * stages are left out) and the selected RUNs. @returns the stdout of each RUN that ran, in order.
 */
export async function reproduceRuntimeCopies(file: Dockerfile, options: RuntimeOptions): Promise<string[]> {
  const stage = file.stages.at(-1);
  // Only the copies from the stages given: the tensorflow test brings its own node_modules.
  const only: Dockerfile = {
    globalArgs: file.globalArgs,
    stages: [
      ...file.stages.slice(0, -1),
      ...(stage === undefined
        ? []
        : [{ ...stage, instructions: stage.instructions.filter((i) => i.keyword !== 'COPY' || options.from.has(flagValue(i, 'from') ?? '')) }]),
    ],
  };
  return [...(await reproduceRuntimeStage(only, options)).outputs];
}
