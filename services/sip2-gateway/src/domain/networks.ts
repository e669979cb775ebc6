import { BlockList, isIP } from "node:net";

/**
 * A set of client networks (CIDR or single addresses, IPv4 and IPv6). Node's
 * BlockList does the matching; the wrapper adds parsing with readable errors
 * and treats IPv4-mapped IPv6 peers (`::ffff:10.0.0.5`, what a dual-stack
 * listener reports) as the IPv4 address they are.
 */
export class NetworkSet {
  readonly #list = new BlockList();
  readonly size: number;

  private constructor(readonly entries: readonly string[]) {
    for (const entry of entries) {
      const { address, prefix, family } = parseCidr(entry);
      this.#list.addSubnet(address, prefix, family);
    }
    this.size = entries.length;
  }

  /** Throws NetworkError naming the first unusable entry. */
  static parse(entries: readonly string[]): NetworkSet {
    return new NetworkSet(entries);
  }

  /** True when `address` is in one of the networks. */
  contains(address: string | undefined): boolean {
    if (address === undefined || this.size === 0) return false;
    const plain = unmapIpv4(address);
    const family = isIP(plain);
    if (family === 0) return false;
    return this.#list.check(plain, family === 4 ? "ipv4" : "ipv6");
  }
}

export class NetworkError extends Error {
  override name = "NetworkError";
}

/** `10.0.0.0/8`, `2001:db8::/32`, or a bare address (a /32 or /128). */
export function parseCidr(entry: string): { address: string; prefix: number; family: "ipv4" | "ipv6" } {
  const [rawAddress = "", rawPrefix, ...rest] = entry.trim().split("/");
  const address = unmapIpv4(rawAddress);
  const family = isIP(address);
  if (family === 0 || rest.length > 0) throw new NetworkError(`"${entry}" is not an IP address or CIDR network`);
  const max = family === 4 ? 32 : 128;
  const prefix = rawPrefix === undefined ? max : Number(rawPrefix);
  if (!/^\d+$/.test(rawPrefix ?? String(max)) || prefix > max) {
    throw new NetworkError(`"${entry}": prefix length must be 0 to ${max}`);
  }
  return { address, prefix, family: family === 4 ? "ipv4" : "ipv6" };
}

function unmapIpv4(address: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return m ? m[1]! : address;
}
