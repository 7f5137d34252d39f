import { exportBundle, parseVersionNumber, RegistryClient, tuningRows, tuningSummaryOf, validateAliasName, validateModelName } from '@metarec/registry';
import { Command, Option } from 'commander';

/** Where the CLI writes and how it gets a client; `cli.ts` passes stdout and env, tests their own. */
export interface CliIo {
  readonly write: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
}

interface GlobalOptions {
  url: string;
  token?: string;
  json?: boolean;
}

function splitRef(raw: string): { model: string; ref: string } {
  const at = raw.lastIndexOf('@');
  if (at <= 0) {
    return { model: validateModelName(raw), ref: 'production' };
  }
  return { model: validateModelName(raw.slice(0, at)), ref: raw.slice(at + 1) };
}

function table(rows: readonly Record<string, unknown>[]): string {
  if (rows.length === 0) {
    return '(none)\n';
  }
  const columns = Object.keys(rows[0] ?? {});
  const cells = rows.map((row) => columns.map((c) => (row[c] === null || row[c] === undefined ? '-' : String(row[c]))));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i]?.length ?? 0)));
  const line = (values: readonly string[]): string => values.map((v, i) => v.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return `${[line(columns), ...cells.map(line)].join('\n')}\n`;
}

/**
 * The `registry` CLI: a thin commander shell over `RegistryClient` (the same client the trainer
 * and serving use). `--json` prints the API's JSON; otherwise a compact table or line.
 */
export function buildCli(io: CliIo): Command {
  const program = new Command('registry')
    .description('metarec model registry: models, versions, aliases, promotion, export')
    .addOption(new Option('--url <url>', 'registry base URL').env('REGISTRY_URL').default(io.env['REGISTRY_URL'] ?? 'http://localhost:8081'))
    .addOption(new Option('--token <token>', 'bearer token for writes').env('REGISTRY_TOKEN'))
    .option('--json', 'print JSON')
    .exitOverride()
    .configureOutput({ writeOut: io.write, writeErr: io.write });
  const client = (): RegistryClient => {
    const options = program.opts<GlobalOptions>();
    const token = options.token ?? io.env['REGISTRY_TOKEN'];
    return new RegistryClient({ baseUrl: options.url, ...(token === undefined ? {} : { token }) });
  };
  const print = (value: unknown, text: () => string): void => {
    io.write(program.opts<GlobalOptions>().json === true ? `${JSON.stringify(value, null, 2)}\n` : text());
  };

  const models = program.command('models').description('list or create models');
  models.command('list').action(async () => {
    const list = await client().listModels();
    print(list, () => table(list.map((m) => ({ model: m.name, versions: m.versionCount, latest: m.latestVersion, created: m.createdAt }))));
  });
  models
    .command('create <name>')
    .option('--description <text>', 'what the model is for')
    .action(async (name: string, opts: { description?: string }) => {
      const model = await client().createModel(validateModelName(name, 'name'), opts.description);
      print(model, () => `created ${model.name}\n`);
    });

  const versions = program.command('versions').description('list, show, register or archive versions');
  versions.command('list <model>').action(async (model: string) => {
    const list = await client().listVersions(validateModelName(model));
    print(list, () =>
      table(list.map((v) => ({ version: v.version, status: v.status.state, created: v.createdAt, by: v.createdBy, schema: v.schemaFingerprint, run: v.manifest.lineage.trainingRunId, sha256: v.contentSha256.slice(0, 12) }))),
    );
  });
  versions.command('show <model> <version>').action(async (model: string, version: string) => {
    const record = await client().getVersion(validateModelName(model), parseVersionNumber(version));
    print(record, () => `${JSON.stringify(record, null, 2)}\n`);
  });
  versions
    .command('tuning <model> <version>')
    .description("the hyperparameter search its training spec came from (trainer tune): trials, best first")
    .action(async (model: string, version: string) => {
      const record = await client().getVersion(validateModelName(model), parseVersionNumber(version));
      const tuning = tuningSummaryOf(record.manifest.lineage);
      print(tuning, () =>
        tuning === null
          ? `${model} v${record.version}: not tuned\n`
          : `${model} v${record.version}: search ${tuning.tuneId}, best trial ${tuning.best.trial} (${tuning.objective} ${tuning.best.metric.toFixed(4)} at ${tuning.best.steps} steps), ${tuning.folds}-fold, eta ${tuning.eta}\n` +
            table(tuningRows(tuning)) +
            (tuning.trialsOmitted > 0 ? `(${tuning.trialsOmitted} more trials in ${tuning.resultsPath ?? 'the results file'})\n` : ''),
      );
    });
  versions
    .command('register <model> <dir>')
    .description('upload a bundle directory (files + bundle-manifest.json) and register it')
    .option('--version <n>', 'expected version number (idempotent retry)')
    .action(async (model: string, dir: string, opts: { version?: string }) => {
      const result = await client().registerBundleDir(validateModelName(model), dir, opts.version === undefined ? {} : { version: parseVersionNumber(opts.version) });
      print(result, () => `${result.created ? 'registered' : 'already registered'} ${model} v${result.version.version} (${result.uploadedBytes} bytes uploaded)\n`);
    });
  versions
    .command('archive <model> <version>')
    .option('--reason <text>', 'why', '')
    .action(async (model: string, version: string, opts: { reason: string }) => {
      const record = await client().archiveVersion(validateModelName(model), parseVersionNumber(version), opts.reason);
      print(record, () => `archived ${model} v${record.version}\n`);
    });

  const alias = program.command('alias').description('resolve, set, list aliases and read their history');
  alias.command('list <model>').action(async (model: string) => {
    const list = await client().listAliases(validateModelName(model));
    print(list, () => table(list.map((a) => ({ alias: a.alias, version: a.version, since: a.updatedAt }))));
  });
  alias.command('get <model> <alias>').action(async (model: string, name: string) => {
    const record = await client().resolveAlias(validateModelName(model), validateAliasName(name));
    print(record, () => `${model}@${record.alias} = v${record.version}\n`);
  });
  alias
    .command('set <model> <alias> <version>')
    .option('--reason <text>', 'why (stored in the audit log)', '')
    .option('--override', 'move despite a promotion-gate refusal (needs --reason)')
    .action(async (model: string, name: string, version: string, opts: { reason: string; override?: boolean }) => {
      const result = await client().moveAlias(validateModelName(model), validateAliasName(name), parseVersionNumber(version), { reason: opts.reason, override: opts.override === true });
      print(result, () => (result.moved ? `${model}@${name}: v${String(result.event?.fromVersion ?? '-')} -> v${result.alias.version} (${result.event?.kind ?? ''})\n` : `${model}@${name} already at v${result.alias.version}\n`));
    });
  alias
    .command('history <model> <alias>')
    .option('--limit <n>', 'entries', '50')
    .action(async (model: string, name: string, opts: { limit: string }) => {
      const events = await client().aliasHistory(validateModelName(model), validateAliasName(name), parseVersionNumber(opts.limit, 'limit'));
      print(events, () => table(events.map((e) => ({ at: e.at, from: e.fromVersion, to: e.toVersion, kind: e.kind, who: e.actor, reason: e.reason }))));
    });
  alias.command('at <model> <alias> <time>').description('which version the alias pointed to at an ISO time').action(async (model: string, name: string, time: string) => {
    const when = new Date(time);
    const result = await client().aliasAt(validateModelName(model), validateAliasName(name), when);
    print(result, () => `${model}@${name} at ${when.toISOString()}: ${result.version === null ? 'not set' : `v${result.version}`}\n`);
  });

  program
    .command('promote <model> <version>')
    .description('move an alias (default production) to a version through the promotion gate')
    .option('--alias <alias>', 'alias to move', 'production')
    .option('--reason <text>', 'why (stored in the audit log)', '')
    .option('--override', 'promote despite a gate refusal (needs --reason; logged)')
    .action(async (model: string, version: string, opts: { alias: string; reason: string; override?: boolean }) => {
      const result = await client().moveAlias(validateModelName(model), validateAliasName(opts.alias), parseVersionNumber(version), { reason: opts.reason, override: opts.override === true });
      print(result, () => (result.moved ? `promoted ${model} v${result.alias.version} to ${opts.alias} (${result.event?.kind ?? ''})\n` : `${model}@${opts.alias} already at v${result.alias.version}\n`));
    });
  program
    .command('rollback <model>')
    .description('move an alias back to its previous version')
    .option('--alias <alias>', 'alias to roll back', 'production')
    .option('--reason <text>', 'why (stored in the audit log)', '')
    .action(async (model: string, opts: { alias: string; reason: string }) => {
      const result = await client().rollback(validateModelName(model), validateAliasName(opts.alias), opts.reason);
      print(result, () => `${model}@${opts.alias}: v${String(result.event?.fromVersion)} -> v${result.alias.version} (rollback)\n`);
    });
  program
    .command('export <modelRef>')
    .description('write model@ref (version or alias, default production) as a bundle directory and optional .tar.gz')
    .requiredOption('--out <dir>', 'directory to create')
    .option('--tar <file>', 'also write a gzipped tarball')
    .option('--with-report', 'include the evaluation report (left out by default: pods do not need it)')
    .action(async (modelRef: string, opts: { out: string; tar?: string; withReport?: boolean }) => {
      const { model, ref } = splitRef(modelRef);
      const result = await exportBundle({
        source: client(),
        model,
        ref,
        outDir: opts.out,
        purposes: opts.withReport === true ? ['serving', 'report'] : ['serving'],
        ...(opts.tar === undefined ? {} : { tarballPath: opts.tar }),
      });
      const summary = { model, version: result.version, dir: result.dir, bytes: result.bytes, tarball: result.tarball ?? null };
      print(summary, () => `exported ${model} v${result.version} to ${result.dir} (${result.bytes} bytes${result.tarball === undefined ? '' : `; ${result.tarball.path} ${result.tarball.bytes} bytes`})\n`);
    });
  return program;
}
