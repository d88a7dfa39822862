// Test helper: zip archives written byte by byte (PKWARE APPNOTE 4.3), independently of the reader
// in src/data/io/zip.ts and of fflate's writer: stored members, optionally with every size and
// offset moved into zip64 fields as numpy's writer does for big members.

export interface RawMember {
  name: string;
  /** The member's bytes as stored (already deflated when method is 8). */
  data: Uint8Array;
  /** The uncompressed size (defaults to data.length). */
  size?: number;
  method?: 0 | 8;
  /** The CRC-32 to record (defaults to that of `data` when stored; required to be right for deflated members). */
  crc?: number;
}

/** CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), bit by bit: independent of the reader's library. */
export function crc32Bitwise(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) {
    c ^= b;
    for (let i = 0; i < 8; i++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

const enc = new TextEncoder();

/**
 * A zip of `members`. zip64: the local headers and the central directory carry 0xFFFFFFFF sizes and
 * offsets with a zip64 extra field holding the real ones, and a zip64 end record and locator
 * precede an end record whose counts and offsets are all 0xFF.
 */
export function zipBytes(
  members: RawMember[],
  { zip64 = false, comment = '' }: { zip64?: boolean; comment?: string } = {},
): Uint8Array {
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  const push = (b: Uint8Array) => (parts.push(b), (offset += b.length));
  for (const m of members) {
    const name = enc.encode(m.name);
    const size = m.size ?? m.data.length;
    const method = m.method ?? 0;
    const crc = m.crc ?? crc32Bitwise(m.data);
    const extra = zip64 ? new Uint8Array(20) : new Uint8Array(0);
    if (zip64) {
      const x = new DataView(extra.buffer);
      x.setUint16(0, 1, true);
      x.setUint16(2, 16, true);
      x.setBigUint64(4, BigInt(size), true);
      x.setBigUint64(12, BigInt(m.data.length), true);
    }
    const local = new Uint8Array(30 + name.length + extra.length);
    const l = new DataView(local.buffer);
    l.setUint32(0, 0x04034b50, true);
    l.setUint16(4, zip64 ? 45 : 20, true);
    l.setUint16(8, method, true);
    l.setUint32(14, crc, true);
    l.setUint32(18, zip64 ? 0xffffffff : m.data.length, true);
    l.setUint32(22, zip64 ? 0xffffffff : size, true);
    l.setUint16(26, name.length, true);
    l.setUint16(28, extra.length, true);
    local.set(name, 30);
    local.set(extra, 30 + name.length);
    const headerOffset = offset;
    push(local);
    push(m.data);
    const cextra = zip64 ? new Uint8Array(28) : new Uint8Array(0);
    if (zip64) {
      const x = new DataView(cextra.buffer);
      x.setUint16(0, 1, true);
      x.setUint16(2, 24, true);
      x.setBigUint64(4, BigInt(size), true);
      x.setBigUint64(12, BigInt(m.data.length), true);
      x.setBigUint64(20, BigInt(headerOffset), true);
    }
    const c = new Uint8Array(46 + name.length + cextra.length);
    const cv = new DataView(c.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, 45, true);
    cv.setUint16(6, zip64 ? 45 : 20, true);
    cv.setUint16(10, method, true);
    cv.setUint32(16, crc, true);
    cv.setUint32(20, zip64 ? 0xffffffff : m.data.length, true);
    cv.setUint32(24, zip64 ? 0xffffffff : size, true);
    cv.setUint16(28, name.length, true);
    cv.setUint16(30, cextra.length, true);
    cv.setUint32(42, zip64 ? 0xffffffff : headerOffset, true);
    c.set(name, 46);
    c.set(cextra, 46 + name.length);
    central.push(c);
  }
  const dirOffset = offset;
  for (const c of central) push(c);
  const dirSize = offset - dirOffset;
  if (zip64) {
    const rec = new Uint8Array(56);
    const r = new DataView(rec.buffer);
    r.setUint32(0, 0x06064b50, true);
    r.setBigUint64(4, 44n, true);
    r.setUint16(12, 45, true);
    r.setUint16(14, 45, true);
    r.setBigUint64(24, BigInt(members.length), true);
    r.setBigUint64(32, BigInt(members.length), true);
    r.setBigUint64(40, BigInt(dirSize), true);
    r.setBigUint64(48, BigInt(dirOffset), true);
    const recOffset = offset;
    push(rec);
    const loc = new Uint8Array(20);
    const lv = new DataView(loc.buffer);
    lv.setUint32(0, 0x07064b50, true);
    lv.setBigUint64(8, BigInt(recOffset), true);
    lv.setUint32(16, 1, true);
    push(loc);
  }
  const text = enc.encode(comment);
  const end = new Uint8Array(22 + text.length);
  const e = new DataView(end.buffer);
  e.setUint32(0, 0x06054b50, true);
  e.setUint16(8, zip64 ? 0xffff : members.length, true);
  e.setUint16(10, zip64 ? 0xffff : members.length, true);
  e.setUint32(12, zip64 ? 0xffffffff : dirSize, true);
  e.setUint32(16, zip64 ? 0xffffffff : dirOffset, true);
  e.setUint16(20, text.length, true);
  end.set(text, 22);
  push(end);
  const out = new Uint8Array(offset);
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
  return out;
}
