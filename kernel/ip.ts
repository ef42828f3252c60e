/** IP addresses as text, read strictly: pure, for every runtime. */

export type Ipv4 = readonly [number, number, number, number];

/** The four octets of a dotted-quad IPv4 address; null for anything else. */
export function parseIpv4(text: string): Ipv4 | null {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!match) return null;
  const octets = match.slice(1).map(Number);
  if (octets.some((octet) => octet > 255)) return null;
  return [octets[0]!, octets[1]!, octets[2]!, octets[3]!];
}

/** Eight 16-bit groups from the hex form the WHATWG serialiser writes (no dotted tail, no zone). */
export function parseIpv6(text: string): number[] | null {
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const parseGroups = (part: string): number[] | null => {
    if (part === '') return [];
    const groups = part.split(':');
    return groups.every((group) => /^[0-9a-f]{1,4}$/i.test(group))
      ? groups.map((group) => Number.parseInt(group, 16))
      : null;
  };
  const head = parseGroups(halves[0]!);
  if (!head) return null;
  if (halves.length === 1) return head.length === 8 ? head : null;
  const tail = parseGroups(halves[1]!);
  if (!tail || head.length + tail.length > 7) return null;
  return [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
}
