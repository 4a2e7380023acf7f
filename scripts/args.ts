/**
 * Command-line options of the project's scripts and benchmarks, parsed one way for all of them: `--name value`
 * pairs and bare `--flag`s (a flag is an option not followed by a value; values never start with `--`).
 */
export type Args = Record<string, string | true>;

export function parseArgs(argv: string[] = process.argv.slice(2)): Args {
  const out: Args = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) continue;
    const next = argv[i + 1];
    if (next !== undefined && !next.startsWith('--')) {
      out[a.slice(2)] = next;
      i++;
    } else out[a.slice(2)] = true;
  }
  return out;
}

const given = parseArgs();

/** `--name value` from the command line, or `fallback` (also for a bare `--name`). */
export function option(name: string, fallback: string): string {
  const v = given[name];
  return typeof v === 'string' ? v : fallback;
}

/** `--name` given, with or without a value. */
export const flag = (name: string): boolean => name in given;
