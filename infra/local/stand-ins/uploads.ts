import type { UploadStore } from '../../../shared/ports/imports.ts';

const CHUNK_BYTES = 64 * 1024;

/**
 * S3 for import files on one machine: files live in memory, the upload URL is the local runtime's
 * own `PUT /_local/uploads/{key}`, and a read streams the file from an offset in pieces, as a
 * ranged GET does.
 */
export const localUploads = (baseUrl: () => string) => {
  const files = new Map<string, Buffer>();
  const store: UploadStore = {
    uploadUrl: async (key) => `${baseUrl()}/_local/uploads/${encodeURIComponent(key)}`,
    async read(key, offset) {
      const file = files.get(key);
      if (!file) throw Object.assign(new Error(`no upload ${key}`), { name: 'NoSuchKey' });
      return (function* () {
        for (let start = offset; start < file.length; start += CHUNK_BYTES)
          yield file.subarray(start, Math.min(file.length, start + CHUNK_BYTES));
      })() as unknown as AsyncIterable<Uint8Array>;
    },
  };
  return {
    store,
    put: (key: string, body: Buffer) => void files.set(key, body),
  };
};
