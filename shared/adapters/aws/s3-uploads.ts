import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { UploadStore } from '../../ports/imports.ts';

/** How long an import's upload URL works. */
export const UPLOAD_URL_SECONDS = 3600;

/** Import files in S3: a presigned PUT to upload, a ranged GET to read a chunk from its offset. */
export const s3Uploads = (client: S3Client, bucket: string): UploadStore => ({
  uploadUrl: (key) =>
    getSignedUrl(client, new PutObjectCommand({ Bucket: bucket, Key: key, ContentType: 'text/csv' }), {
      expiresIn: UPLOAD_URL_SECONDS,
    }),
  async read(key, offset) {
    const { Body } = await client
      .send(
        new GetObjectCommand({
          Bucket: bucket,
          Key: key,
          ...(offset > 0 ? { Range: `bytes=${offset}-` } : {}),
        }),
      )
      .catch((error: Error) => {
        // A continuation that starts exactly at the end of the file: nothing left to read.
        if (error.name === 'InvalidRange') return { Body: (async function* () {})() };
        throw error;
      });
    if (!Body) throw new Error(`s3://${bucket}/${key} has no body`);
    return Body as AsyncIterable<Uint8Array>;
  },
});
