#!/usr/bin/env node
// The `edrkit` command. The implementation lives in @edrkit/cli; see `edrkit --help`.
import { main } from '@edrkit/cli';
import { backends } from 'edrkit';

process.exitCode = await main(process.argv.slice(2), { backends });
