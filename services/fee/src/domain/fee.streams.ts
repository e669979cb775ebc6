/**
 * One stream per patron account: every charge and payment of a patron appends to
 * the same stream, so two kiosks paying the same balance at once conflict on the
 * stream version and the second is decided again against the first's result.
 */
export function feeStreamId(institution: string, patronBarcode: string): string {
  return `fee-${segment(institution)}-${segment(patronBarcode)}`;
}

/**
 * Barcodes and institution ids may contain `-`: "a-b"+"c" and "a"+"b-c" would both
 * be `fee-a-b-c` and share a stream. Escaping `%` and `-` keeps the mapping
 * one-to-one while ordinary ids read as they are.
 */
function segment(part: string): string {
  return part.replaceAll("%", "%25").replaceAll("-", "%2D");
}
