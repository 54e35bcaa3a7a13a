using Google.Protobuf;
using P2PSync.Node.Identity;
using P2PSync.Node.Security.Invites;
using P2PSync.Node.Security.Spaces;
using P2PSync.Protocol.Identity;
using P2PSync.Protocol.Wire;

namespace P2PSync.Node.Tests.Security.Invites;

/// <summary>An owner's space with an invite opened for the relay: the code the joiner holds and the package the owner would post.</summary>
internal sealed class RelayInviteFixture : IDisposable
{
    public RelayInviteFixture(InviteRole role = InviteRole.Editor, bool open = true)
    {
        Secret = InviteSecrets.NewSecret();
        InviteKey = RelayInviteKeys.SigningKey(Secret);
        Directory = new SpaceDirectory(TimeProvider.System);
        Space = Directory.Create("holiday plans", Owner, 1_000, personal: false, []).Space;
        if (open)
        {
            Directory.OpenInvite(Space.Id, InviteKey.Id, Role(role), Owner);
        }

        Code = new InviteCode(Space.Id.Bytes, role, Owner.Id, [], 4_000_000_000, Secret);
    }

    public DeviceKey Owner { get; } = DeviceKey.Generate();

    public DeviceKey Joiner { get; } = DeviceKey.Generate();

    public byte[] Secret { get; }

    public DeviceKey InviteKey { get; }

    public SpaceDirectory Directory { get; }

    public Space Space { get; }

    public InviteCode Code { get; }

    public static SpaceRole Role(InviteRole role) => role == InviteRole.Editor ? SpaceRole.Editor : SpaceRole.Viewer;

    /// <summary>The package as the inviter describes its space now.</summary>
    public InvitePackage Package()
    {
        var package = new InvitePackage
        {
            InviteId = ByteString.CopyFrom(InviteSecrets.InviteId(Secret)),
            SpaceId = ByteString.CopyFrom(Space.Id.Bytes),
            Name = Space.Name,
        };
        package.Entries.Add(Space.Log.Entries.Select(e => ByteString.CopyFrom(MembershipEntryCodec.Encode(e))));
        foreach (var epoch in Space.Keys.Epochs)
        {
            Assert.True(Space.Keys.TryGet(epoch, out var key));
            package.Keys.Add(new RawSpaceKey { Epoch = epoch, Key = ByteString.CopyFrom(key.Bytes) });
        }

        return package;
    }

    public byte[] Sealed(InvitePackage? package = null, DeviceKey? signer = null)
        => InvitePackageBox.SealPackage(package ?? Package(), signer ?? Owner, Secret);

    /// <summary>What the joiner does: open, read, claim.</summary>
    public SpaceState Claim(byte[] envelope)
    {
        var opened = InvitePackageBox.Open(envelope, Code.Secret);
        var (author, package) = InvitePackageBox.ReadPackage(opened.Plaintext);
        return RelayInviteClaim.Claim(Code, author, package, Joiner);
    }

    public void Dispose()
    {
        Directory.Dispose();
        Owner.Dispose();
        Joiner.Dispose();
        InviteKey.Dispose();
    }
}
