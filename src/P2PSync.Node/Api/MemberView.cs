namespace P2PSync.Node.Api;

// A JSON shape of the local API (camelCase on the wire); see docs/protocol/local-api.md.
/// <summary>A current member of a space.</summary>
/// <param name="ThisDevice">The member is the device answering.</param>
/// <param name="Trusted">The member is one of this user's own devices (in the peer list).</param>
internal sealed record MemberView(string DeviceId, string Role, bool ThisDevice, bool Trusted);
