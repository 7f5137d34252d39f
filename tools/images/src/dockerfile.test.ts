import { describe, expect, it } from 'vitest';

import { envPairs, expand, flagValue, mountOptions, parseDockerfile, parseInstructions, stageEnv, stageNamed } from './dockerfile.js';

const TEXT = `# syntax=docker/dockerfile:1.7
# a comment
ARG NODE_IMAGE=node:20-bookworm-slim
ARG SOURCE

FROM \${NODE_IMAGE} AS build
WORKDIR /repo
RUN echo one \\
 # a comment inside the continuation
 && echo two \\

 && echo three
COPY --from=deps --chown=node:node /repo/node_modules ./node_modules

FROM build
ENV A=1 B="x y"
ENV LEGACY value with spaces
RUN --mount=type=cache,target=/root/.cache --mount=type=bind,source=docker/check.cjs,target=/tmp/check.cjs node /tmp/check.cjs
`;

describe('parseInstructions', () => {
  it('joins continuation lines, dropping comment and empty lines inside them, and keeps the first line number', () => {
    const run = parseInstructions(TEXT).find((i) => i.keyword === 'RUN');
    expect(run).toMatchObject({ args: 'echo one && echo two && echo three', line: 8, flags: [] });
  });

  it('reads leading --name=value flags of RUN and COPY, in order', () => {
    const copy = parseInstructions(TEXT).find((i) => i.keyword === 'COPY');
    expect(copy?.flags).toEqual([
      { name: 'from', value: 'deps' },
      { name: 'chown', value: 'node:node' },
    ]);
    expect(copy?.args).toBe('/repo/node_modules ./node_modules');
    expect(copy && flagValue(copy, 'from')).toBe('deps');
  });

  it('fails on a file that ends inside a continuation', () => {
    expect(() => parseInstructions('FROM x\nRUN a \\')).toThrow(/line 2: the file ends inside a continued instruction/);
  });
});

describe('parseDockerfile', () => {
  const file = parseDockerfile(TEXT);

  it('keeps the ARGs before the first FROM with their defaults', () => {
    expect([...file.globalArgs]).toEqual([
      ['NODE_IMAGE', 'node:20-bookworm-slim'],
      ['SOURCE', undefined],
    ]);
  });

  it('splits stages at FROM, named by AS or by index', () => {
    expect(file.stages.map((s) => [s.name, s.from, s.instructions.map((i) => i.keyword)])).toEqual([
      ['build', '${NODE_IMAGE}', ['WORKDIR', 'RUN', 'COPY']],
      ['1', 'build', ['ENV', 'ENV', 'RUN']],
    ]);
    expect(() => stageNamed(file, 'runtime')).toThrow(/no stage named runtime \(stages: build, 1\)/);
  });

  it('reads ENV in both forms', () => {
    expect([...stageEnv(stageNamed(file, '1'))]).toEqual([
      ['A', '1'],
      ['B', 'x y'],
      ['LEGACY', 'value with spaces'],
    ]);
    expect(envPairs(stageNamed(file, '1').instructions[0])).toEqual([
      ['A', '1'],
      ['B', 'x y'],
    ]);
  });

  it('reads --mount options', () => {
    const run = stageNamed(file, '1').instructions[2];
    expect(run.flags.map((f) => Object.fromEntries(mountOptions(f.value)))).toEqual([
      { type: 'cache', target: '/root/.cache' },
      { type: 'bind', source: 'docker/check.cjs', target: '/tmp/check.cjs' },
    ]);
    expect(run.args).toBe('node /tmp/check.cjs');
  });

  it('refuses instructions other than ARG before the first FROM', () => {
    expect(() => parseDockerfile('RUN x\nFROM y')).toThrow(/only ARG may come before the first FROM, not RUN/);
  });
});

describe('expand', () => {
  it('expands ${NAME} and $NAME and fails on a name without a value', () => {
    const values = new Map([
      ['A', 'x'],
      ['B', undefined],
    ]);
    expect(expand('cuda-${A} $A/y', values)).toBe('cuda-x x/y');
    expect(() => expand('${B}', values)).toThrow(/\$\{B\} has no value/);
    expect(() => expand('$C', values)).toThrow(/\$\{C\} has no value/);
  });
});
