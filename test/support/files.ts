/**
 * Small real files for the attachment tests: a PNG of any size (as any encoder writes it), with a
 * text chunk naming its author when asked; a Windows program's first bytes, as a file renamed
 * .jpg carries them; and a one-page PDF.
 */
import { deflateSync } from 'node:zlib';

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (bytes: Uint8Array) => {
  let c = 0xffffffff;
  for (const b of bytes) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A w×h red PNG, with a tEXt chunk `Author` = `author` when given. */
export function pngPhoto(opts: { author?: string; width?: number; height?: number } = {}): Uint8Array {
  const width = opts.width ?? 1;
  const height = opts.height ?? 1;
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3, Buffer.from([200, 30, 30]))]);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', ihdr),
      ...(opts.author ? [chunk('tEXt', Buffer.from(`Author\0${opts.author}`, 'latin1'))] : []),
      chunk('IDAT', pixels),
      chunk('IEND', new Uint8Array(0)),
    ]),
  );
}

/** A Windows program's first bytes, as a file renamed 照片.jpg would carry them. */
export const renamedProgram = new Uint8Array(Buffer.concat([Buffer.from('MZ'), Buffer.alloc(510, 0x90)]));

/** A one-page PDF. */
export const pdfDocument = new Uint8Array(
  Buffer.from(
    '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
      '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
    'latin1',
  ),
);
