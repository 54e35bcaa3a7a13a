using Google.Protobuf;
using P2PSync.Node.Security.Spaces;
using P2PSync.Node.Tests.Support;
using P2PSync.Protocol.Wire;

namespace P2PSync.Node.Tests.Security.Spaces;

/// <summary>
/// Seeded mutations of genuine SpaceStates (whole message, single entries, single wrapped keys):
/// ApplyState never throws, and whatever it takes is genuine: every applied entry is the owner's
/// entry at that position and every key taken is the owner's key of that epoch.
/// </summary>
public sealed class SpaceStateMutationTests
{
    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    public void Mutated_states_never_throw_and_never_plant_anything(int seed)
    {
        using var alice = new SpaceNode();
        using var bob = new SpaceNode();
        using var carol = new SpaceNode();
        var space = alice.CreateSpace("genuine");
        alice.Spaces.AddMember(space, carol.Id, SpaceRole.Viewer, alice.Key);
        alice.Spaces.Remove(space, carol.Id, alice.Key).NewKey?.Dispose();
        alice.Spaces.AddMember(space, bob.Id, SpaceRole.Editor, alice.Key);
        var genuine = alice.Spaces.DescribeFor(space, bob.Id);
        var genuineEntries = genuine.Entries.Select(e => e.ToByteArray()).ToList();

        var random = new Random(seed);
        var refused = 0;
        var taken = 0;
        for (var i = 0; i < 150; i++)
        {
            var mutant = Mutate(genuine, random, out var what);
            if (mutant is null)
            {
                continue;
            }

            // Bob may already hold a prefix of the log (restored from his store), so the known-space path is exercised too.
            using var directory = new SpaceDirectory(bob.Time);
            var held = random.Next(genuineEntries.Count + 1);
            if (held > 0)
            {
                directory.Load(Space.Restore(space, "genuine", personal: false, 0, genuineEntries.Take(held), []));
            }

            SpaceStateOutcome outcome;
            try
            {
                outcome = directory.ApplyState(mutant, alice.Id, bob.Key);
            }
            catch (Exception ex)
            {
                Assert.Fail($"seed {seed}, case {i} ({what}): ApplyState threw {ex.GetType().Name}: {ex.Message}");
                return;
            }

            foreach (var key in outcome.NewKeys)
            {
                key.Dispose();
            }

            if (outcome.Kind == SpaceStateOutcomeKind.Refused)
            {
                refused++;
                continue;
            }

            taken += outcome.HasChanges ? 1 : 0;
            if (directory.Find(space) is not { } kept)
            {
                continue;
            }

            var log = kept.Log.Entries.Select(MembershipEntryCodec.Encode).ToList();
            Assert.True(log.Count <= genuineEntries.Count, $"seed {seed}, case {i} ({what}): the log grew past the genuine one");
            for (var e = 0; e < log.Count; e++)
            {
                Assert.True(log[e].AsSpan().SequenceEqual(genuineEntries[e]), $"seed {seed}, case {i} ({what}): entry {e} is not genuine");
            }

            foreach (var epoch in kept.Keys.Epochs)
            {
                Assert.True(kept.Keys.TryGet(epoch, out var key));
                Assert.True(key.Bytes.SequenceEqual(alice.KeyBytes(space, epoch)), $"seed {seed}, case {i} ({what}): key {epoch} is not genuine");
            }
        }

        Assert.True(refused > 0 && taken > 0, $"seed {seed}: mutations should be both refused ({refused}) and partly taken ({taken})");
    }

    // A changed copy of the state, or null when the mutation happened to give back the same bytes.
    private static SpaceState? Mutate(SpaceState genuine, Random random, out string what)
    {
        switch (random.Next(3))
        {
            case 0:
            {
                what = "whole message";
                var bytes = genuine.ToByteArray();
                var mutated = ByteMutator.Mutate(bytes, random);
                try
                {
                    return SpaceState.Parser.ParseFrom(mutated);
                }
                catch (InvalidProtocolBufferException)
                {
                    // Not protobuf any more: the envelope layer refuses it before spaces see it.
                    return null;
                }
            }

            case 1:
            {
                var index = random.Next(genuine.Entries.Count);
                what = $"entry {index}";
                var copy = genuine.Clone();
                copy.Entries[index] = ByteString.CopyFrom(ByteMutator.Mutate(copy.Entries[index].ToByteArray(), random));
                return copy;
            }

            default:
            {
                var index = random.Next(genuine.Keys.Count);
                what = $"key {index}";
                var copy = genuine.Clone();
                var key = copy.Keys[index];
                if (random.Next(3) == 0)
                {
                    key.Epoch ^= (ulong)random.Next(1, 4);
                }
                else
                {
                    key.SealedKey = ByteString.CopyFrom(ByteMutator.Mutate(key.SealedKey.ToByteArray(), random));
                }

                return copy;
            }
        }
    }
}
