import { UsageError } from './command';

export interface ParsedArgs {
  flags: Map<string, string[]>;
  booleans: Set<string>;
  positionals: string[];
}

/**
 * Small, strict flag parser: `--name value`, `--name=value`, repeated flags collect, declared booleans take no value.
 * Unknown flags are a UsageError rather than silently ignored.
 */
export function parseArgs(args: string[], spec: { values?: string[]; booleans?: string[] }): ParsedArgs {
  const values = new Set(spec.values ?? []);
  const bools = new Set(spec.booleans ?? []);
  const out: ParsedArgs = { flags: new Map(), booleans: new Set(), positionals: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      out.positionals.push(...args.slice(i + 1));
      break;
    }
    if (!a.startsWith('--') || a === '--') {
      out.positionals.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
    if (bools.has(name)) {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      out.booleans.add(name);
    } else if (values.has(name)) {
      const v = eq >= 0 ? a.slice(eq + 1) : args[++i];
      if (v === undefined) throw new UsageError(`--${name} needs a value`);
      const list = out.flags.get(name) ?? [];
      list.push(v);
      out.flags.set(name, list);
    } else {
      throw new UsageError(`unknown option --${name}`);
    }
  }
  return out;
}

export function lastFlag(p: ParsedArgs, name: string): string | undefined {
  const l = p.flags.get(name);
  return l ? l[l.length - 1] : undefined;
}
