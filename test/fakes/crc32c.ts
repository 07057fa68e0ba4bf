/**
 * CRC32C (Castagnoli), big-endian, base64: the `crc32c` field of a Cloud Storage object
 * (https://cloud.google.com/storage/docs/json_api/v1/objects: "CRC32c checksum, as described in
 * RFC 4960, Appendix B; encoded using base64 in big-endian byte order").
 */
const TABLE = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
});

export function crc32c(data: Buffer): string {
    let c = 0xffffffff;
    for (const byte of data) c = TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
    const out = Buffer.alloc(4);
    out.writeUInt32BE((c ^ 0xffffffff) >>> 0);
    return out.toString("base64");
}
