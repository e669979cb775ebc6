/**
 * One stream per title queue, holding every hold on the title, copy-specific
 * ones included. Trapping a copy, placing, cancelling and fulfilling all append to
 * it, so two decisions about the same queue (two checkins of the same copy, or of
 * two copies competing for the same hold) conflict on the stream version and the
 * loser is decided again against the winner's result. A stream per hold could not
 * see that conflict; see README.
 */
export function holdQueueStreamId(institution: string, titleKey: string): string {
  return `holdq-${segment(institution)}-${segment(titleKey)}`;
}

/**
 * Title keys and institution ids may contain `-`: escaping `%` and `-` keeps the
 * mapping one-to-one ("a-b"+"c" ≠ "a"+"b-c") while ordinary ids read as they are.
 */
function segment(part: string): string {
  return part.replaceAll("%", "%25").replaceAll("-", "%2D");
}
