/**
 * Splitting a Windows command line into arguments, by the rules of `CommandLineToArgvW`
 * (and the Microsoft C runtime since 2008): Windows hands a process one string, and the
 * model's `process.args` is what the program itself would see.
 *
 * @module
 */

/**
 * Split `cmdline` as `CommandLineToArgvW` does:
 * - argv[0] (the program) ends at the first space or tab, or is everything between a leading
 *   `"` and the next `"` (no escapes in the program name);
 * - after it, whitespace separates arguments outside quotes; `2n` backslashes before a `"`
 *   give `n` backslashes and the quote toggles quoting; `2n+1` give `n` and a literal `"`;
 *   backslashes not before a quote are literal; `""` inside quotes is a literal `"`.
 */
export function splitCommandLine(cmdline: string): string[] {
  const args: string[] = [];
  let i = 0;
  const n = cmdline.length;
  // argv[0]
  let program = '';
  if (cmdline[0] === '"') {
    const end = cmdline.indexOf('"', 1);
    program = end < 0 ? cmdline.slice(1) : cmdline.slice(1, end);
    i = end < 0 ? n : end + 1;
  } else {
    while (i < n && cmdline[i] !== ' ' && cmdline[i] !== '\t') program += cmdline[i++];
  }
  args.push(program);
  for (;;) {
    while (i < n && (cmdline[i] === ' ' || cmdline[i] === '\t')) i++;
    if (i >= n) break;
    let arg = '';
    let quoted = false;
    while (i < n) {
      const c = cmdline[i];
      if (!quoted && (c === ' ' || c === '\t')) break;
      if (c === '\\') {
        let slashes = 0;
        while (cmdline[i] === '\\') {
          slashes++;
          i++;
        }
        if (cmdline[i] === '"') {
          arg += '\\'.repeat(slashes >> 1);
          if (slashes % 2 === 1) {
            arg += '"';
            i++;
          }
        } else {
          arg += '\\'.repeat(slashes);
        }
        continue;
      }
      if (c === '"') {
        if (quoted && cmdline[i + 1] === '"') {
          arg += '"';
          i += 2;
          continue;
        }
        quoted = !quoted;
        i++;
        continue;
      }
      arg += c;
      i++;
    }
    args.push(arg);
  }
  return args;
}
