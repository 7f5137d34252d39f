// The four services' default ports are distinct, and the defaults that point at the registry
// (serving's REGISTRY_URL, the `registry` CLI's --url) use the registry's default port: run on one
// host with nothing set, they neither collide nor miss each other. Read from each app's own
// `--help-config json` (apps export nothing to import), so this checks what the apps print.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const APPS_DIR = fileURLToPath(new URL('../../../apps/', import.meta.url));
const PORT_VARIABLES = { ingest: 'INGEST_PORT', registry: 'REGISTRY_PORT', serving: 'SERVING_PORT', trainer: 'TRAINER_PORT' } as const;
type App = keyof typeof PORT_VARIABLES;

interface VariableDoc {
  readonly variable: string;
  readonly defaultValue?: string;
}

/** A clean environment: none of the variables under test set, so only defaults show. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of [...Object.values(PORT_VARIABLES), 'REGISTRY_URL']) {
    delete env[name];
  }
  return env;
}

async function source(app: string, script: string, args: readonly string[]): Promise<string> {
  const { stdout } = await run(process.execPath, ['--conditions=@metarec/source', '--import', 'tsx', script, ...args], { cwd: `${APPS_DIR}${app}`, env: cleanEnv(), timeout: 120_000 });
  return stdout;
}

async function defaults(app: App): Promise<Map<string, string | undefined>> {
  const docs = JSON.parse(await source(app, 'src/main.ts', ['--help-config', 'json'])) as VariableDoc[];
  return new Map(docs.map((doc) => [doc.variable, doc.defaultValue]));
}

describe('default ports', () => {
  it('differ between the four services, and REGISTRY_URL defaults point at the registry', async () => {
    const apps = Object.keys(PORT_VARIABLES) as App[];
    const all = new Map<App, Map<string, string | undefined>>();
    for (const app of apps) {
      all.set(app, await defaults(app));
    }
    const ports = Object.fromEntries(apps.map((app) => [app, Number(all.get(app)?.get(PORT_VARIABLES[app]))]));
    expect(ports).toEqual({ ingest: 9464, registry: 8081, serving: 8080, trainer: 9465 });
    expect(new Set(Object.values(ports)).size).toBe(apps.length);

    const registryUrl = new URL(all.get('serving')?.get('REGISTRY_URL') ?? '');
    expect(Number(registryUrl.port)).toBe(ports['registry']);
    // The registry's own client CLI (`registry --url`, commander prints the default in --help).
    const cliHelp = await source('registry', 'src/cli.ts', ['--help']);
    expect(cliHelp.replace(/\s+/g, ' ')).toContain(`(default: "http://localhost:${ports['registry']}"`);
  });
});
