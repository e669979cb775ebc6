import { fleetBucketName } from "@circulate/contracts";
import { type Logger, whileJetStreamSettles, within } from "@circulate/runtime";
import { type KV, Kvm } from "@nats-io/kv";
import type { NatsConnection } from "@nats-io/transport-node";
import type { FleetStore } from "../app/fleet.js";

/**
 * The fleet bucket, `<STREAM_PREFIX>_FLEET`: one entry per live connection, dropped by the
 * bucket's max age once its gateway stops refreshing it (killed, cut off from NATS).
 */
export class KvFleetStore implements FleetStore {
  #remadeAt = 0;

  private constructor(
    private kv: KV,
    readonly maxAgeMs: number,
    private readonly timeoutMs: number,
    private readonly make: () => Promise<KV>,
  ) {}

  /**
   * The max age is set when the bucket is created; a bucket made earlier (by another replica
   * or release) keeps its own, which is read back so entries say when they really expire.
   */
  static async open(
    nc: NatsConnection,
    streamPrefix: string,
    options: { maxAgeMs: number; replicas?: number; timeoutMs?: number; logger: Logger },
  ): Promise<KvFleetStore> {
    const make = () => new Kvm(nc).create(fleetBucketName(streamPrefix), { history: 1, ttl: options.maxAgeMs, replicas: options.replicas ?? 1 });
    const kv = await whileJetStreamSettles(make);
    const { ttl } = await whileJetStreamSettles(() => kv.status());
    if (ttl !== options.maxAgeMs) {
      options.logger.warn({ bucket: fleetBucketName(streamPrefix), maxAgeMs: ttl, wanted: options.maxAgeMs }, "fleet bucket keeps the max age it was created with");
    }
    return new KvFleetStore(kv, ttl > 0 ? ttl : options.maxAgeMs, options.timeoutMs ?? 1_000, make);
  }

  async put(key: string, value: string): Promise<void> {
    try {
      await within(this.kv.put(key, value), this.timeoutMs, "fleet state write");
    } catch (err) {
      this.#remake();
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    await within(this.kv.delete(key), this.timeoutMs, "fleet state delete");
  }

  /**
   * A bucket deleted under the gateways (an operator clearing the fleet) is made again, at most
   * every 10 s: the next refresh then writes every live connection into it.
   */
  #remake(): void {
    if (Date.now() - this.#remadeAt < 10_000) return;
    this.#remadeAt = Date.now();
    this.make().then(
      (kv) => {
        this.kv = kv;
      },
      () => {},
    );
  }
}
