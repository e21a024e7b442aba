/** The canonical JSON text of an event's data and metadata: what its hash covers and what a store keeps. */
export interface EventText {
  data: string;
  metadata: string;
}

/**
 * Texts already computed for an event object (by `normaliseEvent`, and carried onto the chained copy by
 * `chainEvents`), so an append serialises data and metadata once: its hash and its stored row are built from the
 * same text. Keyed by the object itself, so nothing is added to the events callers see, and any other object (a
 * copy, an event a test forges) has no text here and is serialised afresh.
 */
const texts = new WeakMap<object, EventText>();

export function rememberText(event: object, text: EventText): void {
  texts.set(event, text);
}

/** The canonical texts remembered for this very object, if any. */
export function rememberedText(event: object): EventText | undefined {
  return texts.get(event);
}

/** What a store writes for data and metadata: the remembered canonical text, else the plain serialisation. */
export function storedText(event: { data: unknown; metadata: unknown }): EventText {
  return texts.get(event) ?? { data: JSON.stringify(event.data), metadata: JSON.stringify(event.metadata) };
}
