using P2PSync.Node.Hosting;
using P2PSync.Node.Security.Spaces;
using P2PSync.Node.Transport.WebRtc.Rendezvous;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Tests.Transport.WebRtc.Rendezvous;

/// <summary>Spaces for rendezvous tests: fixed keys per epoch and members per space, sealing with the real sealer.</summary>
internal sealed class FixedRendezvousSpaces : IRendezvousSpaces, IDisposable
{
    private readonly Dictionary<SpaceId, List<SpaceKey>> _keys = [];
    private readonly Dictionary<SpaceId, HashSet<DeviceId>> _members = [];

    public void Add(SpaceId space, SpaceKey key, params DeviceId[] members)
    {
        if (!_keys.TryGetValue(space, out var keys))
        {
            _keys[space] = keys = [];
            _members[space] = [];
        }

        keys.Add(key);
        _members[space].UnionWith(members);
    }

    public void RemoveMember(SpaceId space, DeviceId device) => _members[space].Remove(device);

    public SpaceKey KeyOf(SpaceId space, ulong epoch) => _keys[space].Single(k => k.Epoch == epoch);

    public byte[] Seal(SpaceId space, ReadOnlySpan<byte> plaintext) =>
        SpaceSealer.Seal(SealedEnvelopeKind.WebRtcRendezvous, space, Current(space), plaintext);

    public OpenedEnvelope Open(SpaceId space, ReadOnlySpan<byte> sealedBytes)
    {
        if (!_keys.TryGetValue(space, out var keys))
        {
            throw new UnknownSpaceException($"no space {space}");
        }

        var ring = new SpaceKeyRing();
        foreach (var key in keys)
        {
            ring.Add(key);
        }

        using (ring)
        {
            return SpaceSealer.Open(sealedBytes, space, ring);
        }
    }

    public ulong? CurrentEpoch(SpaceId space) => _keys.TryGetValue(space, out var keys) ? keys.Max(k => k.Epoch) : null;

    public bool IsMember(SpaceId space, DeviceId device) => _members.TryGetValue(space, out var members) && members.Contains(device);

    public void Dispose()
    {
        foreach (var key in _keys.Values.SelectMany(k => k))
        {
            key.Dispose();
        }
    }

    private SpaceKey Current(SpaceId space) => _keys[space].MaxBy(k => k.Epoch) ?? throw new UnknownSpaceException($"no key of {space}");
}
