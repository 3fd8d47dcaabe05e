import * as os from 'node:os';
import { claudeConfigRoots } from '../../core/transcript/claudeRoots';
import { parseArgs } from '../args';
import type { CliCommand } from '../command';

export const rootsCommand: CliCommand = {
  name: 'roots',
  summary: 'list the Claude Code config folders that are searched for transcripts',
  usage: 'cct roots [--root DIR]... [--json]',
  async run(args, io) {
    const p = parseArgs(args, { values: ['root'], booleans: ['json'] });
    const roots = claudeConfigRoots({ env: io.env, homeDir: os.homedir(), extra: p.flags.get('root') ?? [] });
    io.stdout.write(p.booleans.has('json') ? `${JSON.stringify(roots)}\n` : `${roots.join('\n')}\n`);
    return 0;
  },
};
