// A reader for the subset of Dockerfile syntax our Dockerfiles use (no heredocs, no JSON-form RUN or
// COPY): enough to find stages and their instructions, so that tests read what a build would do
// instead of keeping a second copy of it.

/** `--name=value` options of an instruction (`RUN --mount=…`, `COPY --from=…`), in order. */
export interface InstructionFlag {
  readonly name: string;
  readonly value: string;
}

export interface Instruction {
  /** Upper-case keyword: `FROM`, `ARG`, `RUN`, `COPY`, … */
  readonly keyword: string;
  readonly flags: readonly InstructionFlag[];
  /** The rest of the instruction after keyword and flags, continuation lines joined with a space. */
  readonly args: string;
  /** 1-based line of the keyword in the file. */
  readonly line: number;
}

export interface Stage {
  /** `AS` name, or the stage's index as a string when it has none. */
  readonly name: string;
  /** The image or stage after `FROM`, unexpanded (`${NODE_IMAGE}`, `cuda-${TFJS_NODE_SOURCE}`). */
  readonly from: string;
  /** Instructions after `FROM`, up to the next `FROM`. */
  readonly instructions: readonly Instruction[];
}

export interface Dockerfile {
  /** `ARG`s before the first `FROM`, with their defaults (`undefined` when declared without one). */
  readonly globalArgs: ReadonlyMap<string, string | undefined>;
  readonly stages: readonly Stage[];
}

/** Splits the text into instructions: comments dropped, `\` continuations joined. */
export function parseInstructions(text: string): Instruction[] {
  const instructions: Instruction[] = [];
  let pending: { line: number; parts: string[] } | undefined;
  const lines = text.split('\n');
  for (const [index, raw] of lines.entries()) {
    const trimmed = raw.trim();
    // Docker drops comment and empty lines, even inside a continuation.
    if (trimmed.startsWith('#') || trimmed === '') {
      continue;
    }
    const continues = trimmed.endsWith('\\');
    const part = continues ? trimmed.slice(0, -1).trim() : trimmed;
    pending ??= { line: index + 1, parts: [] };
    if (part !== '') {
      pending.parts.push(part);
    }
    if (!continues) {
      instructions.push(toInstruction(pending.parts.join(' '), pending.line));
      pending = undefined;
    }
  }
  if (pending !== undefined) {
    throw new Error(`line ${pending.line}: the file ends inside a continued instruction`);
  }
  return instructions;
}

function toInstruction(text: string, line: number): Instruction {
  const match = /^(\S+)\s*(.*)$/s.exec(text);
  if (match === null) {
    throw new Error(`line ${line}: empty instruction`);
  }
  const keyword = match[1].toUpperCase();
  let rest = match[2];
  const flags: InstructionFlag[] = [];
  if (keyword === 'RUN' || keyword === 'COPY' || keyword === 'ADD' || keyword === 'FROM') {
    for (let flag = /^--([a-z-]+)=(\S+)\s*/.exec(rest); flag !== null; flag = /^--([a-z-]+)=(\S+)\s*/.exec(rest)) {
      flags.push({ name: flag[1], value: flag[2] });
      rest = rest.slice(flag[0].length);
    }
  }
  return { keyword, flags, args: rest.trim(), line };
}

/** Reads the stages and the global `ARG`s of a Dockerfile. */
export function parseDockerfile(text: string): Dockerfile {
  const globalArgs = new Map<string, string | undefined>();
  const stages: { name: string; from: string; instructions: Instruction[] }[] = [];
  for (const instruction of parseInstructions(text)) {
    if (instruction.keyword === 'FROM') {
      const match = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(instruction.args);
      if (match === null) {
        throw new Error(`line ${instruction.line}: FROM ${instruction.args} is not "image [AS name]"`);
      }
      stages.push({ name: match[2] ?? String(stages.length), from: match[1], instructions: [] });
    } else if (stages.length === 0) {
      if (instruction.keyword !== 'ARG') {
        throw new Error(`line ${instruction.line}: only ARG may come before the first FROM, not ${instruction.keyword}`);
      }
      const [name, value] = splitArg(instruction.args);
      globalArgs.set(name, value);
    } else {
      stages[stages.length - 1].instructions.push(instruction);
    }
  }
  return { globalArgs, stages };
}

/** `NAME=default` or `NAME` of an `ARG`. */
export function splitArg(args: string): [string, string | undefined] {
  const eq = args.indexOf('=');
  return eq < 0 ? [args.trim(), undefined] : [args.slice(0, eq).trim(), args.slice(eq + 1).trim()];
}

/** The stage named `name`. @throws Error when there is none. */
export function stageNamed(file: Dockerfile, name: string): Stage {
  const stage = file.stages.find((s) => s.name === name);
  if (stage === undefined) {
    throw new Error(`no stage named ${name} (stages: ${file.stages.map((s) => s.name).join(', ')})`);
  }
  return stage;
}

/** The value of flag `name` (the last one when repeated), or undefined. */
export function flagValue(instruction: Instruction, name: string): string | undefined {
  return instruction.flags.filter((f) => f.name === name).at(-1)?.value;
}

/** `key=value,key=value` of a `--mount` flag. */
export function mountOptions(value: string): ReadonlyMap<string, string> {
  return new Map(
    value.split(',').map((pair) => {
      const eq = pair.indexOf('=');
      return eq < 0 ? [pair, 'true'] : [pair.slice(0, eq), pair.slice(eq + 1)];
    }),
  );
}

/** Expands `${NAME}` and `$NAME` from `values`. @throws Error on a name without a value. */
export function expand(text: string, values: ReadonlyMap<string, string | undefined>): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_, braced: string | undefined, bare: string | undefined) => {
    const name = braced ?? bare ?? '';
    const value = values.get(name);
    if (value === undefined) {
      throw new Error(`\${${name}} has no value`);
    }
    return value;
  });
}

/** The settings of one `ENV` (`ENV A=1 B="x y"` and the legacy `ENV A 1`), unexpanded. */
export function envPairs(instruction: Instruction): [string, string][] {
  const pairs = [...instruction.args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S+)/g)];
  if (pairs.length === 0) {
    const [name, ...value] = instruction.args.split(/\s+/);
    return [[name, value.join(' ')]];
  }
  return pairs.map(([, name, value]) => [name, value.startsWith('"') ? value.slice(1, -1) : value]);
}

/** The `ENV` settings of a stage, later ones winning, unexpanded. */
export function stageEnv(stage: Stage): ReadonlyMap<string, string> {
  return new Map(stage.instructions.filter((i) => i.keyword === 'ENV').flatMap(envPairs));
}

/** The argv of an exec-form instruction (`CMD ["node", "main.js"]`). @throws Error on the shell form. */
export function execForm(instruction: Instruction): string[] {
  const text = instruction.args.trim();
  const parsed: unknown = text.startsWith('[') ? JSON.parse(text) : undefined;
  if (!Array.isArray(parsed) || !parsed.every((part) => typeof part === 'string')) {
    throw new Error(`line ${instruction.line}: ${instruction.keyword} is not in exec form (a JSON array of strings)`);
  }
  return parsed as string[];
}

/** The last instruction `keyword` of a stage (Docker uses the last `CMD`, `ENTRYPOINT`, `USER`…), or undefined. */
export function lastInstruction(stage: Stage, keyword: string): Instruction | undefined {
  return stage.instructions.filter((i) => i.keyword === keyword).at(-1);
}

/** A stage's `HEALTHCHECK`: its `--name=value` options and the command's argv (exec form). */
export interface Healthcheck {
  readonly options: ReadonlyMap<string, string>;
  readonly command: readonly string[];
}

/** The stage's `HEALTHCHECK … CMD [...]`, or undefined without one. @throws Error on `NONE` or the shell form. */
export function healthcheckOf(stage: Stage): Healthcheck | undefined {
  const instruction = lastInstruction(stage, 'HEALTHCHECK');
  if (instruction === undefined) {
    return undefined;
  }
  const match = /^((?:--[a-z-]+=\S+\s+)*)CMD\s+(\[.*\])$/s.exec(instruction.args);
  if (match === null) {
    throw new Error(`line ${instruction.line}: only "HEALTHCHECK [--option=value…] CMD [exec form]" is read`);
  }
  const options = new Map([...match[1].matchAll(/--([a-z-]+)=(\S+)/g)].map(([, name, value]) => [name, value] as [string, string]));
  return { options, command: execForm({ ...instruction, args: match[2] }) };
}
