import { Readable } from 'node:stream';
import { type CsvError, parse } from 'csv-parse';
import type { UploadStore } from '../ports/imports.ts';

// A row with too few or too many cells is that row's error, not the file's: relax_column_count.
const csvOptions = {
  bom: true,
  info: true,
  relax_quotes: true,
  relax_column_count: true,
  skip_empty_lines: true,
  encoding: 'utf8',
} as const;

/** A record of the file, or a line the CSV reader could not read; `end` is the byte offset after it. */
export type FileRecord = { record: string[]; end: number } | { unreadable: string; end: number };

type Parsed = { record: string[]; info: { bytes: number } };
type Uploads = Pick<UploadStore, 'read'>;

const LF = 0x0a;
const CR = 0x0d;

/** The offset just past the first non-empty line at or after `offset` (the file's end if it is the last). */
const pastLine = async (uploads: Uploads, key: string, offset: number): Promise<number> => {
  let position = offset;
  let inLine = false;
  for await (const chunk of await uploads.read(key, offset)) {
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i];
      if (byte === LF && inLine) return position + i + 1;
      if (byte !== LF && byte !== CR) inLine = true;
    }
    position += chunk.length;
  }
  return position;
};

const why = (error: CsvError) =>
  error.code === 'CSV_QUOTE_NOT_CLOSED' ? 'has a quote that is never closed' : error.message;

/**
 * The records of an uploaded file from a byte offset, streamed. csv-parse stops at a record it
 * cannot read (with relax_quotes, an opening quote never closed swallows the rest of the file), so
 * that record is skipped (`skip_records_with_error`): its first line is reported as unreadable, and
 * reading starts again on the line after it. The records before it are read as usual.
 */
export async function* fileRecords(
  uploads: Uploads,
  key: string,
  offset: number,
): AsyncGenerator<FileRecord> {
  for (let from = offset; ; ) {
    let skipped: CsvError | undefined;
    const source = Readable.from(await uploads.read(key, from));
    const csv = source.pipe(
      parse({
        ...csvOptions,
        skip_records_with_error: true,
        on_skip: (error) => {
          skipped ??= error;
          return undefined;
        },
      }),
    );
    let last = from;
    try {
      for await (const { record, info } of csv as AsyncIterable<Parsed>) {
        // Whatever the reader made of the bytes after the skipped record is read again below.
        if (skipped && typeof skipped.bytes === 'number' && info.bytes > skipped.bytes) break;
        last = from + info.bytes;
        yield { record, end: last };
      }
    } finally {
      source.destroy();
    }
    if (!skipped) return;
    const end = await pastLine(uploads, key, last);
    if (end <= last) return;
    yield { unreadable: why(skipped), end };
    from = end;
  }
}
