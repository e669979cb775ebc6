/**
 * Login throttling across gateway replicas: failed 93 logins from one address through one
 * gateway lock that address out at another gateway too, as an attacker spreading guesses over a
 * load balancer would find. Two gateways on one NATS (no services needed: 93 is the gateway's).
 */
import { createTestNats, type TestNats } from "@circulate/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type E2eGateway, startE2eGateway } from "./support/gateway.js";
import { Kiosk } from "./support/kiosk.js";
import * as rq from "./support/requests.js";

describe("93 lock-out holds at every gateway replica", () => {
  let nats: TestNats;
  let first: E2eGateway;
  let second: E2eGateway;
  const login = { maxFailures: 3, windowMs: 60_000, lockoutMs: 60_000 };

  beforeAll(async () => {
    nats = createTestNats();
    [first, second] = await Promise.all([startE2eGateway({ nats }, { login }), startE2eGateway({ nats }, { login })]);
  });
  afterAll(async () => {
    await first?.stop();
    await second?.stop();
    await nats?.cleanup();
  });

  it("three wrong passwords through one gateway, and the right one through the other is refused", async () => {
    const guesser = await Kiosk.connect(first.tcpPort);
    const kiosk = await Kiosk.connect(second.tcpPort);
    try {
      // Before any failure the right password works at the second gateway.
      expect((await kiosk.ask(rq.login("kiosk1", "kiosk1pw"))).message).toMatchObject({ code: "94", ok: true });
      for (let i = 0; i < 3; i++) expect((await guesser.ask(rq.login("kiosk1", `guess-${i}`))).message).toMatchObject({ code: "94", ok: false });
      // Not polled: a good login before the lock-out arrives would clear the address's failures.
      // The other replica learns the count through the bucket's watch, in milliseconds.
      await new Promise((r) => setTimeout(r, 1_000));
      expect((await kiosk.ask(rq.login("kiosk1", "kiosk1pw"))).message).toMatchObject({ code: "94", ok: false });
    } finally {
      guesser.close();
      kiosk.close();
    }
  });
});
