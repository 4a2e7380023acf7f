/**
 * Command-line options of the project's scripts and benchmarks, parsed one way for all of them: `--name value`
 * pairs and bare `--flag`s (a flag is an option not followed by a value; values never start with `--`).
 */
export type Args = Record<string, string | true>;

function parseArgs(argv: string[]): Args {
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

/** This process's command line, parsed once. */
export const commandLine: Args = parseArgs(process.argv.slice(2));

/** `--name value` from the command line, or `fallback` (also for a bare `--name`). */
export function option(name: string, fallback: string): string {
  const v = commandLine[name];
  return typeof v === 'string' ? v : fallback;
}

/** `--name` given, with or without a value. */
export const flag = (name: string): boolean => name in commandLine;
