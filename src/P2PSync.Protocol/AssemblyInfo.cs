// Wire types shared by Node and Relay: DeviceId (Identity/), protobuf envelopes with their codec
// and validation (Wire/, generated from proto/), y-protocols sync/awareness and y-websocket
// codecs (YProtocols/). See docs/protocol/node-sync.md.
