import { renderOutcome, renderUnavailable, type RoutedRequest, translateRequest } from "../domain/translate/index.js";

/** The pure SIP2 ⇄ command mapping the sessions use (domain/translate). */
export interface Translator {
  translateRequest: typeof translateRequest;
  renderOutcome: typeof renderOutcome;
  renderUnavailable: typeof renderUnavailable;
}

export type { RoutedRequest };

export const translator: Translator = { translateRequest, renderOutcome, renderUnavailable };
