/**
 * The command of a Task Scheduler task from its XML definition (Security 4698/4702
 * `TaskContent`): the first `Exec` action's `<Command>` and `<Arguments>`. A regular expression
 * is enough: the XML is the scheduler's own and only these two text elements are read.
 *
 * @module
 */

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function unescapeXml(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|apos|#(\d{1,7})|#x([0-9a-f]{1,6}));/gi, (whole, name: string, dec?: string, hex?: string) => {
    const code = dec ? Number(dec) : hex ? Number.parseInt(hex, 16) : undefined;
    if (code !== undefined) return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/** `Command Arguments` of the task's first Exec action, or undefined. */
export function taskCommand(xml: string | undefined): string | undefined {
  if (!xml) return undefined;
  const command = /<Command>([^<]*)<\/Command>/.exec(xml)?.[1];
  if (command === undefined) return undefined;
  const args = /<Arguments>([^<]*)<\/Arguments>/.exec(xml)?.[1];
  const text = unescapeXml(command.trim());
  return args ? `${text} ${unescapeXml(args.trim())}` : text;
}
