using P2PSync.Node.Identity;
using P2PSync.Node.Security.Spaces;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Tests.Security.Spaces;

/// <summary>A space with a log already holding its genesis, and helpers that sign the next entry at the head.</summary>
internal sealed class TestSpace : IDisposable
{
    public TestSpace()
    {
        Id = SpaceId.NewRandom();
        Owner = DeviceKey.Generate();
        Log = new MembershipLog(Id);
        Genesis = MembershipEntry.AddMember(Id, 0, new byte[MembershipEntry.HashLength], Owner, Owner.Id, SpaceRole.Owner);
        Assert.True(Log.Apply(Genesis));
    }

    public SpaceId Id { get; }

    public DeviceKey Owner { get; }

    public MembershipLog Log { get; }

    public MembershipEntry Genesis { get; }

    public MembershipEntry NextAdd(DeviceKey author, DeviceId member, SpaceRole role)
        => MembershipEntry.AddMember(Id, Log.NextSequence, Log.HeadHash, author, member, role);

    public MembershipEntry NextChange(DeviceKey author, DeviceId member, SpaceRole role)
        => MembershipEntry.ChangeRole(Id, Log.NextSequence, Log.HeadHash, author, member, role);

    public MembershipEntry NextRemove(DeviceKey author, DeviceId member)
        => MembershipEntry.RemoveMember(Id, Log.NextSequence, Log.HeadHash, author, member);

    public MembershipEntry NextRotate(DeviceKey author, ulong epoch)
        => MembershipEntry.RotateKey(Id, Log.NextSequence, Log.HeadHash, author, epoch);

    public MembershipEntry NextOpenInvite(DeviceKey author, DeviceId inviteKey, SpaceRole role)
        => MembershipEntry.OpenInvite(Id, Log.NextSequence, Log.HeadHash, author, inviteKey, role);

    public MembershipEntry NextCloseInvite(DeviceKey author, DeviceId inviteKey)
        => MembershipEntry.CloseInvite(Id, Log.NextSequence, Log.HeadHash, author, inviteKey);

    /// <summary>Applies and asserts it was new.</summary>
    public void Apply(MembershipEntry entry) => Assert.True(Log.Apply(entry));

    /// <summary>Asserts the entry is refused for <paramref name="refusal"/> and the log did not change.</summary>
    public MembershipException AssertRefused(MembershipEntry entry, MembershipRefusal refusal)
    {
        var before = LogSnapshot.Of(Log);
        var ex = Assert.Throws<MembershipException>(() => Log.Apply(entry));
        Assert.Equal(refusal, ex.Refusal);
        Assert.Equal(before, LogSnapshot.Of(Log));
        return ex;
    }

    public void Dispose() => Owner.Dispose();
}
