/**
 * @circulate/service/testing: the one test harness of the command pipeline —
 * a gateway stand-in (reply sink, commands as the gateway sends them), peer
 * events as a relay publishes them, and a service's test configuration.
 */
export { testServiceConfig } from "./config.js";
export { loanAfterCheckout } from "./fixtures.js";
export { type PeerEventOptions, publishedEvent, publishPeerEvent } from "./events.js";
export { accepted, GatewayStandIn, refused, type TestSendOptions } from "./outcomes.js";
