// UDP datagrams the kernel dropped in a network namespace because a socket's receive buffer was
// full (Udp RcvbufErrors in /proc/net/snmp, which is per namespace). SCTP sees such a drop only as a
// loss, so this tells "the receiver did not read fast enough" from "the link lost it" (a veth loses
// nothing).
import { execFileSync } from "node:child_process";

export function udpReceiveBufferErrors(namespace) {
  const snmp = execFileSync("ip", ["netns", "exec", namespace, "cat", "/proc/net/snmp"], { encoding: "utf8" });
  const [names, values] = snmp.split("\n").filter((line) => line.startsWith("Udp:"));
  const column = names.trim().split(/\s+/).indexOf("RcvbufErrors");
  return column < 0 ? 0 : Number(values.trim().split(/\s+/)[column]);
}
