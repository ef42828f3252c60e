/**
 * Uploaded files judged by their bytes, and photos stripped of what could identify the sender.
 * Every file is built here byte by byte: photos with EXIF, GPS, comments, text chunks and appended
 * images; Office files as zips (one written by the xlsx library, the rest by a small stored-zip
 * writer); programs and scripts under any name; damaged files, which are refused.
 */
import { crc32, deflateSync } from 'node:zlib';
import * as XLSX from '@e965/xlsx';
import { describe, expect, it } from 'vitest';
import { sniffFile, stripPhotoMetadata } from '../../../src/domains/items/file-check.ts';

const encoder = new TextEncoder();
const ascii = (text: string) => encoder.encode(text);
const bytesOf = (...parts: (Uint8Array | number[] | string)[]) =>
  new Uint8Array(
    Buffer.concat(
      parts.map((p) => (typeof p === 'string' ? ascii(p) : Uint8Array.from(p as ArrayLike<number>))),
    ),
  );
const contains = (bytes: Uint8Array, text: string) => Buffer.from(bytes).includes(text);
const be16 = (n: number) => [n >> 8, n & 0xff];
const be32 = (n: number) => [(n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
const le32 = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff];

/** A zip whose entries are stored as they are, with a central directory and an end record. */
function storedZip(entries: Record<string, string>): Uint8Array {
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const [path, text] of Object.entries(entries)) {
    const name = ascii(path);
    const data = ascii(text);
    const crc = crc32(data);
    const local = new DataView(new ArrayBuffer(30));
    local.setUint32(0, 0x04034b50, true);
    local.setUint16(4, 20, true);
    local.setUint32(14, crc, true);
    local.setUint32(18, data.length, true);
    local.setUint32(22, data.length, true);
    local.setUint16(26, name.length, true);
    const central = new DataView(new ArrayBuffer(46));
    central.setUint32(0, 0x02014b50, true);
    central.setUint16(4, 20, true);
    central.setUint16(6, 20, true);
    central.setUint32(16, crc, true);
    central.setUint32(20, data.length, true);
    central.setUint32(24, data.length, true);
    central.setUint16(28, name.length, true);
    central.setUint32(42, offset, true);
    locals.push(new Uint8Array(local.buffer), name, data);
    centrals.push(new Uint8Array(central.buffer), name);
    offset += 30 + name.length + data.length;
  }
  const size = centrals.reduce((n, c) => n + c.length, 0);
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, centrals.length / 2, true);
  end.setUint16(10, centrals.length / 2, true);
  end.setUint32(12, size, true);
  end.setUint32(16, offset, true);
  return bytesOf(...locals, ...centrals, new Uint8Array(end.buffer));
}

const contentTypes = { '[Content_Types].xml': '<Types/>' };

// A JPEG's parts: a marker segment is FF, its marker, a big-endian length that counts itself.
const segment = (marker: number, body: Uint8Array | number[] | string) => {
  const data = bytesOf(body);
  return bytesOf([0xff, marker], be16(data.length + 2), data);
};
const jfif = segment(0xe0, bytesOf('JFIF\0', [1, 1, 0, 0, 1, 0, 1, 0, 0]));
const exif = segment(0xe1, bytesOf('Exif\0\0', 'MM GPSLatitude 39.9042N GPSLongitude 116.4074E'));
const comment = segment(0xfe, 'Taken by Zhang San');
const dqt = segment(0xdb, [0, ...Array.from({ length: 64 }, () => 1)]);
const sof = segment(0xc0, [8, 0, 1, 0, 1, 1, 1, 0x11, 0]);
const sos = segment(0xda, [1, 1, 0, 0, 0x3f, 0]);
const scanData = bytesOf([0x12, 0xff, 0x00, 0x34, 0xff, 0xd0, 0x56]);
const eoi = bytesOf([0xff, 0xd9]);
const soi = bytesOf([0xff, 0xd8]);
const tail = bytesOf(sos, scanData, eoi);
const jpeg = bytesOf(soi, jfif, exif, comment, dqt, sof, tail);

// A real 1x1 grey PNG: chunks of big-endian length, type, data and CRC over type and data.
const chunk = (type: string, data: Uint8Array | number[] | string) => {
  const body = bytesOf(type, data);
  return bytesOf(be32(body.length - 4), body, be32(crc32(body)));
};
const pngSignature = bytesOf([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const ihdr = chunk('IHDR', [...be32(1), ...be32(1), 8, 0, 0, 0, 0]);
const idat = chunk('IDAT', deflateSync(Uint8Array.from([0, 0x80])));
const iend = chunk('IEND', []);
const png = bytesOf(pngSignature, ihdr, chunk('tEXt', 'Author\0Zhang San'), idat, iend);

// A WebP: little-endian chunk sizes, each chunk padded to an even length.
const riffChunk = (fourcc: string, data: Uint8Array | number[] | string) => {
  const body = bytesOf(data);
  return bytesOf(fourcc, le32(body.length), body, body.length % 2 ? [0] : []);
};
const riff = (...chunks: Uint8Array[]) => {
  const body = bytesOf('WEBP', ...chunks);
  return bytesOf('RIFF', le32(body.length), body);
};
const vp8x = riffChunk('VP8X', [0x10 | 0x08 | 0x04, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
const vp8l = riffChunk('VP8L', [0x2f, 0, 0, 0, 0x10]);
const webp = riff(
  vp8x,
  vp8l,
  riffChunk('EXIF', 'MM GPS 31.2304N'),
  riffChunk('XMP ', '<x:xmpmeta>张三</x:xmpmeta>'),
);

describe('sniffFile', () => {
  it('knows the photos by their first bytes', () => {
    expect(sniffFile(jpeg)).toMatchObject({
      ok: true,
      type: { mime: 'image/jpeg', ext: 'jpg', class: 'photo' },
    });
    expect(sniffFile(png)).toMatchObject({ ok: true, type: { mime: 'image/png', class: 'photo' } });
    expect(sniffFile(webp)).toMatchObject({ ok: true, type: { mime: 'image/webp', class: 'photo' } });
    const sniffed = sniffFile(jpeg);
    expect(sniffed.ok && sniffed.type.label).toEqual({ zh: 'JPEG 照片', en: 'JPEG photo' });
  });

  it('knows PDF and the Office files, the latter by the parts inside their zip', () => {
    expect(sniffFile(ascii('%PDF-1.7\n%âãÏÓ\n'))).toMatchObject({
      ok: true,
      type: { mime: 'application/pdf', ext: 'pdf', class: 'document' },
    });
    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet([['姓名'], ['张三']]), 'Sheet1');
    const xlsx = new Uint8Array(XLSX.write(book, { type: 'buffer', bookType: 'xlsx' }));
    expect(sniffFile(xlsx)).toMatchObject({ ok: true, type: { ext: 'xlsx', class: 'document' } });
    const docx = storedZip({ ...contentTypes, 'word/document.xml': '<w:document/>' });
    expect(sniffFile(docx)).toMatchObject({ ok: true, type: { ext: 'docx', label: { zh: 'Word 文档' } } });
    const pptx = storedZip({ ...contentTypes, 'ppt/presentation.xml': '<p:presentation/>' });
    expect(sniffFile(pptx)).toMatchObject({ ok: true, type: { ext: 'pptx' } });
  });

  it('refuses programs and scripts whatever they are called', () => {
    const refused = (bytes: Uint8Array) => sniffFile(bytes);
    expect(refused(bytesOf('MZ', [0x90, 0, 3, 0], 'This program cannot be run in DOS mode'))).toEqual({
      ok: false,
      why: 'executable',
    });
    expect(refused(bytesOf([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]))).toEqual({ ok: false, why: 'executable' });
    for (const macho of [
      [0xfe, 0xed, 0xfa, 0xcf],
      [0xcf, 0xfa, 0xed, 0xfe],
      [0xca, 0xfe, 0xba, 0xbe],
    ]) {
      expect(refused(bytesOf(macho, [7, 0, 0, 1]))).toEqual({ ok: false, why: 'executable' });
    }
    expect(refused(ascii('#!/bin/sh\nrm -rf ~\n'))).toEqual({ ok: false, why: 'executable' });
  });

  it('refuses a zip carrying a program or script, and an Office file with macros', () => {
    const withExe = storedZip({ ...contentTypes, 'word/document.xml': '<w/>', 'word/media/setup.EXE': 'MZ' });
    expect(sniffFile(withExe)).toEqual({ ok: false, why: 'executable' });
    const trailingDot = storedZip({ 'word/document.xml': '<w/>', 'run.js. ': 'x' });
    expect(sniffFile(trailingDot)).toEqual({ ok: false, why: 'executable' });
    const macros = storedZip({
      ...contentTypes,
      'xl/workbook.xml': '<workbook/>',
      'xl/vbaProject.bin': 'VBA',
    });
    expect(sniffFile(macros)).toEqual({ ok: false, why: 'executable' });
    expect(sniffFile(storedZip({ 'tools/install.sh': 'echo' }))).toEqual({ ok: false, why: 'executable' });
  });

  it('does not accept what it does not know, and says when there are no bytes', () => {
    const ole = bytesOf([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], new Uint8Array(504));
    expect(sniffFile(ole)).toEqual({ ok: false, why: 'unknown' });
    expect(sniffFile(ascii('会议纪要：下周一开会。'))).toEqual({ ok: false, why: 'unknown' });
    expect(sniffFile(storedZip({ 'photos/a.txt': 'hello' }))).toEqual({ ok: false, why: 'unknown' });
    expect(sniffFile(bytesOf([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4]))).toEqual({ ok: false, why: 'unknown' });
    expect(sniffFile(bytesOf('RIFF', le32(4), 'WAVE'))).toEqual({ ok: false, why: 'unknown' });
    expect(sniffFile(new Uint8Array(0))).toEqual({ ok: false, why: 'empty' });
  });
});

describe('stripPhotoMetadata: JPEG', () => {
  it('drops EXIF and comments, keeps JFIF, the tables and the image data as they were', () => {
    const out = stripPhotoMetadata(jpeg, 'image/jpeg')!;
    expect(out).not.toBeNull();
    expect(contains(out, 'Exif')).toBe(false);
    expect(contains(out, 'GPS')).toBe(false);
    expect(contains(out, 'Zhang San')).toBe(false);
    expect(out).toEqual(bytesOf(soi, jfif, dqt, sof, tail));
    expect(out.subarray(out.length - tail.length)).toEqual(tail);
  });

  it('drops XMP, IPTC and unknown APPn but keeps the ICC profile and Adobe colour segment', () => {
    const icc = segment(0xe2, bytesOf('ICC_PROFILE\0', [1, 1], 'profile'));
    const adobe = segment(0xee, bytesOf('Adobe', [0, 100, 0, 0, 0, 0, 1]));
    const xmp = segment(0xe1, 'http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>张三</x:xmpmeta>');
    const iptc = segment(0xed, bytesOf('Photoshop 3.0', [0], '8BIM by-line Zhang San'));
    const mpf = segment(0xe2, 'MPF\0 index');
    const input = bytesOf(soi, jfif, icc, xmp, iptc, mpf, adobe, segment(0xe5, 'vendor'), dqt, sof, tail);
    expect(stripPhotoMetadata(input, 'image/jpeg')).toEqual(bytesOf(soi, jfif, icc, adobe, dqt, sof, tail));
  });

  it('removes a JFIF thumbnail and anything appended after the image', () => {
    const withThumb = segment(0xe0, bytesOf('JFIF\0', [1, 1, 0, 0, 1, 0, 1, 1, 1], [9, 9, 9]));
    const appended = bytesOf(soi, exif, dqt, sof, tail);
    const out = stripPhotoMetadata(bytesOf(soi, withThumb, dqt, sof, tail, appended), 'image/jpeg')!;
    expect(out).toEqual(bytesOf(soi, jfif, dqt, sof, tail));
  });

  it('walks every scan of a progressive image, dropping a comment between scans', () => {
    const dht = segment(0xc4, [0, 1, ...new Array(15).fill(0), 0]);
    const input = bytesOf(soi, jfif, dqt, sof, sos, scanData, comment, dht, sos, scanData, eoi);
    expect(stripPhotoMetadata(input, 'image/jpeg')).toEqual(
      bytesOf(soi, jfif, dqt, sof, sos, scanData, dht, sos, scanData, eoi),
    );
  });

  it('refuses a damaged JPEG', () => {
    const strip = (bytes: Uint8Array) => stripPhotoMetadata(bytes, 'image/jpeg');
    expect(strip(bytesOf(soi, jfif, dqt, sof, eoi))).toBeNull();
    expect(strip(bytesOf(soi, [0xff, 0xe1, 0x40, 0x00], 'Exif\0\0'))).toBeNull();
    expect(strip(bytesOf(soi, jfif, dqt, sof, sos, scanData))).toBeNull();
    expect(strip(bytesOf(soi, jfif, [0x12, 0x34], tail))).toBeNull();
    expect(strip(png)).toBeNull();
  });
});

describe('stripPhotoMetadata: PNG', () => {
  it('drops text, EXIF and time chunks and keeps the image chunks byte for byte', () => {
    const phys = chunk('pHYs', [...be32(2835), ...be32(2835), 1]);
    const input = bytesOf(
      pngSignature,
      ihdr,
      phys,
      chunk('tEXt', 'Author\0Zhang San'),
      chunk('iTXt', 'Location\0\0\0\0\0北京'),
      chunk('zTXt', 'Comment\0\0x'),
      chunk('eXIf', 'MM GPS'),
      chunk('tIME', [7, 234, 12, 3, 10, 0, 0]),
      idat,
      iend,
    );
    const out = stripPhotoMetadata(input, 'image/png')!;
    expect(out).toEqual(bytesOf(pngSignature, ihdr, phys, idat, iend));
    expect(contains(out, 'Zhang San')).toBe(false);
    expect(stripPhotoMetadata(png, 'image/png')).toEqual(bytesOf(pngSignature, ihdr, idat, iend));
  });

  it('refuses a damaged PNG', () => {
    const strip = (bytes: Uint8Array) => stripPhotoMetadata(bytes, 'image/png');
    expect(strip(bytesOf(pngSignature, ihdr, idat))).toBeNull();
    expect(strip(bytesOf(pngSignature, ihdr, be32(1000), 'IDAT', [1, 2, 3]))).toBeNull();
    expect(strip(bytesOf(pngSignature, idat, ihdr, iend))).toBeNull();
    expect(strip(jpeg)).toBeNull();
  });
});

describe('stripPhotoMetadata: WebP', () => {
  it('drops the EXIF and XMP chunks, clears their flags and writes the RIFF size anew', () => {
    const out = stripPhotoMetadata(webp, 'image/webp')!;
    expect(out).not.toBeNull();
    expect(contains(out, 'EXIF')).toBe(false);
    expect(contains(out, 'XMP ')).toBe(false);
    expect(contains(out, 'GPS')).toBe(false);
    const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
    expect(view.getUint32(4, true)).toBe(out.length - 8);
    expect(out[20]).toBe(0x10);
    expect(out.subarray(12 + vp8x.length)).toEqual(vp8l);
    expect(webp[20]).toBe(0x1c);
  });

  it('keeps a simple WebP as it is and refuses a damaged one', () => {
    const simple = riff(vp8l);
    expect(stripPhotoMetadata(simple, 'image/webp')).toEqual(simple);
    const strip = (bytes: Uint8Array) => stripPhotoMetadata(bytes, 'image/webp');
    const overrun = bytesOf(
      'RIFF',
      le32(30),
      'WEBP',
      'VP8L',
      le32(100),
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
    );
    expect(strip(overrun)).toBeNull();
    const sizeTooLarge = bytesOf(webp.subarray(0, 4), le32(webp.length), webp.subarray(8));
    expect(strip(sizeTooLarge)).toBeNull();
    expect(strip(riff(riffChunk('EXIF', 'GPS'), vp8l))).toBeNull();
    expect(strip(bytesOf('RIFF', le32(4), 'WEBP'))).toBeNull();
  });
});

describe('stripPhotoMetadata: other types', () => {
  it('returns the bytes of a document unchanged', () => {
    const pdf = ascii('%PDF-1.7\n/Author (Zhang San)\n');
    expect(stripPhotoMetadata(pdf, 'application/pdf')).toBe(pdf);
  });
});
