// Text and attribute values as query-protocol XML carries them. Only escaping: building documents is the
// serializer's job (query-protocol.ts) and the error renderer's (query-error.ts).

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\r': '&#xD;' };

/**
 * `text` escaped for an element or a quoted attribute. A carriage return is written as a reference: XML parsers
 * turn a raw `\r\n` into `\n`, which would change a policy document on its way back.
 */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"'\r]/g, (char) => ENTITIES[char]!);
}
