import { createHash, createPublicKey, type KeyObject, sign } from 'node:crypto';

/**
 * CRX3, the package Chromium installs from an update manifest: `Cr24`, format version 3, the length
 * of a `CrxFileHeader` protobuf, the header, then the ZIP archive. The header holds the public key
 * and an RSA-SHA256 signature over "CRX3 SignedData\0" + the length of the signed header data
 * (uint32 little-endian) + that data + the archive; the signed data names the extension id
 * (chromium/src/components/crx_file/crx3.proto).
 */
const MAGIC = Buffer.from('Cr24', 'ascii');
const SIGNATURE_CONTEXT = Buffer.from('CRX3 SignedData\x00', 'binary');
// Field numbers of crx3.proto.
const FIELD_SHA256_WITH_RSA = 2;
const FIELD_SIGNED_HEADER_DATA = 10_000;
const FIELD_PUBLIC_KEY = 1;
const FIELD_SIGNATURE = 2;
const FIELD_CRX_ID = 1;

function varint(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest & 0x7f) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

/** A length-delimited protobuf field (wire type 2). */
function bytesField(field: number, value: Buffer): Buffer {
  return Buffer.concat([varint(field * 8 + 2), varint(value.length), value]);
}

/** The public key as Chromium hashes it: SubjectPublicKeyInfo, DER. */
export function publicKeyDer(key: KeyObject): Buffer {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return publicKey.export({ type: 'spki', format: 'der' });
}

/** The first 16 bytes of SHA-256 over the public key: the binary extension id. */
function crxId(publicKey: Buffer): Buffer {
  return createHash('sha256').update(publicKey).digest().subarray(0, 16);
}

/** The extension id Chromium derives from the key: 32 letters a–p (each hex digit shifted). */
export function extensionId(key: KeyObject): string {
  return [...crxId(publicKeyDer(key)).toString('hex')]
    .map((digit) => String.fromCharCode('a'.charCodeAt(0) + Number.parseInt(digit, 16)))
    .join('');
}

function signedPayload(signedHeaderData: Buffer, archive: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32LE(signedHeaderData.length, 0);
  return Buffer.concat([SIGNATURE_CONTEXT, length, signedHeaderData, archive]);
}

/** Signs a ZIP archive of an extension with an RSA private key into a CRX3 file. */
export function writeCrx3(archive: Buffer, privateKey: KeyObject): Buffer {
  const publicKey = publicKeyDer(privateKey);
  const signedHeaderData = bytesField(FIELD_CRX_ID, crxId(publicKey));
  const signature = sign('sha256', signedPayload(signedHeaderData, archive), privateKey);
  const proof = Buffer.concat([
    bytesField(FIELD_PUBLIC_KEY, publicKey),
    bytesField(FIELD_SIGNATURE, signature),
  ]);
  const header = Buffer.concat([
    bytesField(FIELD_SHA256_WITH_RSA, proof),
    bytesField(FIELD_SIGNED_HEADER_DATA, signedHeaderData),
  ]);
  const prefix = Buffer.alloc(12);
  MAGIC.copy(prefix, 0);
  prefix.writeUInt32LE(3, 4);
  prefix.writeUInt32LE(header.length, 8);
  return Buffer.concat([prefix, header, archive]);
}
