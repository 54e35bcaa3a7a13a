using P2PSync.Node.Identity;
using P2PSync.Node.Security.Spaces;

namespace P2PSync.Node.Tests.Security.Spaces;

public sealed class SpaceIdTests
{
    [Fact]
    public void Random_ids_differ_and_round_trip_through_bytes()
    {
        var a = SpaceId.NewRandom();
        var b = SpaceId.NewRandom();
        Assert.NotEqual(a, b);
        Assert.Equal(a, SpaceId.FromBytes(a.Bytes));
        Assert.Equal(a.GetHashCode(), SpaceId.FromBytes(a.Bytes).GetHashCode());
        Assert.Equal(32, a.ToString().Length);
        Assert.True(default(SpaceId).IsEmpty);
        Assert.False(a.IsEmpty);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(15)]
    [InlineData(17)]
    public void Wrong_length_is_refused(int length)
        => Assert.Throws<ArgumentException>(() => SpaceId.FromBytes(new byte[length]));

    [Fact]
    public void Entries_and_logs_need_a_space_and_members_need_a_device()
    {
        using var key = DeviceKey.Generate();
        var zero = new byte[MembershipEntry.HashLength];
        Assert.Throws<ArgumentException>(() => new MembershipLog(default));
        Assert.Throws<ArgumentException>(() => MembershipEntry.RotateKey(default, 0, zero, key, 1));
        Assert.Throws<ArgumentException>(() => MembershipEntry.RemoveMember(SpaceId.NewRandom(), 0, zero, key, default));
        Assert.Throws<ArgumentException>(() => MembershipEntry.RotateKey(SpaceId.NewRandom(), 0, new byte[31], key, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => MembershipEntry.AddMember(SpaceId.NewRandom(), 0, zero, key, key.Id, (SpaceRole)9));
    }
}
