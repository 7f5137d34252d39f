#!/usr/bin/env node
import { isRegistryError } from '@metarec/registry';
import { CommanderError } from 'commander';

import { buildCli } from './cli/build-cli.js';

const program = buildCli({ write: (text) => process.stdout.write(text), env: process.env });

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof CommanderError) {
    process.exit(error.exitCode);
  }
  if (isRegistryError(error)) {
    process.stderr.write(`registry: ${error.code}${error.field === undefined ? '' : ` (${error.field})`}: ${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`registry: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
