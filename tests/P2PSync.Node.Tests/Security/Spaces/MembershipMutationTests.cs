using P2PSync.Node.Identity;
using P2PSync.Node.Security.Spaces;

namespace P2PSync.Node.Tests.Security.Spaces;

/// <summary>Seeded bit flips, byte changes, truncations and extensions of real encoded entries: every one is refused and changes nothing.</summary>
public sealed class MembershipMutationTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Mutated_entries_are_refused_and_the_log_is_unchanged(int seed)
    {
        using var space = new TestSpace();
        using var editor = DeviceKey.Generate();
        using var viewer = DeviceKey.Generate();
        using var invite = DeviceKey.Generate();
        using var joiner = DeviceKey.Generate();
        space.Apply(space.NextAdd(space.Owner, editor.Id, SpaceRole.Editor));
        space.Apply(space.NextOpenInvite(space.Owner, invite.Id, SpaceRole.Editor));

        // Each candidate would be accepted as the next entry; its mutants must not be.
        var candidates = new[]
        {
            space.NextAdd(space.Owner, viewer.Id, SpaceRole.Viewer),
            space.NextChange(space.Owner, editor.Id, SpaceRole.Owner),
            space.NextRemove(space.Owner, editor.Id),
            space.NextRotate(space.Owner, 1),
            space.NextOpenInvite(space.Owner, viewer.Id, SpaceRole.Viewer),
            space.NextCloseInvite(space.Owner, invite.Id),
            space.NextAdd(invite, joiner.Id, SpaceRole.Editor),
        };

        var random = new Random(seed);
        var before = LogSnapshot.Of(space.Log);
        var formatErrors = 0;
        var refusals = 0;
        for (var i = 0; i < 400; i++)
        {
            var original = MembershipEntryCodec.Encode(candidates[random.Next(candidates.Length)]);
            var mutant = Mutate(original, random);
            if (mutant.AsSpan().SequenceEqual(original))
            {
                continue;
            }

            try
            {
                var entry = MembershipEntryCodec.Read(mutant);
                space.Log.Apply(entry);
                Assert.Fail($"seed {seed}, case {i}: mutant {Convert.ToHexString(mutant)} was accepted");
            }
            catch (MembershipFormatException)
            {
                formatErrors++;
            }
            catch (MembershipException)
            {
                refusals++;
            }

            Assert.True(before == LogSnapshot.Of(space.Log), $"seed {seed}, case {i}: the log changed");
        }

        Assert.True(formatErrors > 0 && refusals > 0, $"seed {seed}: mutations should hit both the codec ({formatErrors}) and the log ({refusals})");

        // The untouched candidates are still good: the refusals were about the mutations.
        Assert.True(space.Log.Apply(MembershipEntryCodec.Read(MembershipEntryCodec.Encode(candidates[0]))));
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = (byte[])original.Clone();
        switch (random.Next(4))
        {
            case 0:
                var bit = random.Next(bytes.Length * 8);
                bytes[bit / 8] ^= (byte)(1 << (bit % 8));
                return bytes;
            case 1:
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                return bytes;
            case 2:
                return bytes[..random.Next(bytes.Length)];
            default:
                var extra = new byte[random.Next(1, 8)];
                random.NextBytes(extra);
                return [.. bytes, .. extra];
        }
    }
}
