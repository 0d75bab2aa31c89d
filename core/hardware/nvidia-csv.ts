/**
 * Parser for nvidia-smi `--query-* --format=csv[,noheader][,nounits]` output.
 * The header (when present) is authoritative; without it the caller's field list is.
 */

/** One parsed row: canonical field name -> raw cell text (units still attached). */
export type CsvRow = Readonly<Record<string, string>>;

/**
 * nvidia-smi prints some fields under a different name than the one queried
 * (`clocks.gr` comes back as `clocks.current.graphics`). Map both to one key.
 */
const ALIASES: Readonly<Record<string, string>> = {
  'clocks.gr': 'clocks.current.graphics',
  'clocks.mem': 'clocks.current.memory',
  'clocks.sm': 'clocks.current.sm',
  'clocks.video': 'clocks.current.video',
  'clocks.max.gr': 'clocks.max.graphics',
  'clocks.max.mem': 'clocks.max.memory',
  'used_memory': 'used_gpu_memory',
};

/** The canonical key for a header cell or a queried field ("memory.total [MiB]" -> "memory.total"). */
export function canonicalField(field: string): string {
  const bare = field.trim().replace(/\s*\[[^\]]*\]\s*$/, '').trim().toLowerCase();
  return ALIASES[bare] ?? bare;
}

/** Splits one line on commas; nvidia-smi does not quote, so this is all it takes. */
function cells(line: string): string[] {
  return line.split(',');
}

/** Fields that may themselves contain commas (process paths, product names): extra cells fold into them. */
const GREEDY = ['process_name', 'name', 'gpu_name'];

function toRow(fields: readonly string[], parts: string[]): Record<string, string> | null {
  if (parts.length < fields.length) return null;
  if (parts.length > fields.length) {
    const greedy = fields.findIndex((f) => GREEDY.includes(f));
    if (greedy < 0) return null;
    const extra = parts.length - fields.length;
    const merged = parts.slice(greedy, greedy + extra + 1).join(',');  // untrimmed: keeps ", " inside names
    parts = [...parts.slice(0, greedy), merged, ...parts.slice(greedy + extra + 1)];
  }
  const row: Record<string, string> = {};
  fields.forEach((f, i) => {
    row[f] = (parts[i] ?? '').trim();
  });
  return row;
}

/** A line is a header when it names at least half of the expected fields (or known nvidia-smi fields). */
function looksLikeHeader(parts: readonly string[], expected: readonly string[] | undefined): boolean {
  const canon = parts.map(canonicalField);
  if (expected && expected.length > 0) {
    const want = new Set(expected.map(canonicalField));
    return canon.filter((c) => want.has(c)).length >= Math.ceil(want.size / 2);
  }
  // Without an expected list: field names are dotted/underscored identifiers, data rarely all are.
  return canon.length > 1 && canon.every((c) => /^[a-z][a-z0-9_.]*$/.test(c)) && canon.some((c) => c.includes('.') || c.includes('_'));
}

export type CsvParseResult = {
  rows: CsvRow[];
  /** Lines that could not be matched to the fields (wrong cell count): a sign of garbage output. */
  rejected: number;
  hadHeader: boolean;
};

/**
 * Parses nvidia-smi CSV. `fields` is the list that was queried; it is required for
 * `noheader` output and used to recognise the header otherwise. Never throws.
 */
export function parseNvidiaCsv(output: string, fields?: readonly string[]): CsvParseResult {
  const lines = output.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0);
  let names: string[] | undefined = fields?.map(canonicalField);
  let hadHeader = false;
  let start = 0;
  const first = lines[0];
  if (first !== undefined && looksLikeHeader(cells(first), fields)) {
    names = cells(first).map(canonicalField);
    hadHeader = true;
    start = 1;
  }
  const rows: CsvRow[] = [];
  let rejected = 0;
  if (!names) return { rows, rejected: lines.length, hadHeader };
  for (const line of lines.slice(start)) {
    const row = toRow(names, cells(line));
    if (row) rows.push(row);
    else rejected++;
  }
  return { rows, rejected, hadHeader };
}
