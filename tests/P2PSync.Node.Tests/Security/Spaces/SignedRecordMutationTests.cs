using P2PSync.Node.Identity;
using P2PSync.Node.Security.Spaces;
using P2PSync.Node.Tests.Support;

namespace P2PSync.Node.Tests.Security.Spaces;

/// <summary>Seeded edits of real records (flipped bits, inserted, deleted and cut bytes): never accepted by the codec and the gate together.</summary>
public sealed class SignedRecordMutationTests
{
    [Theory]
    [InlineData(101)]
    [InlineData(102)]
    [InlineData(103)]
    [InlineData(104)]
    public void Mutated_records_are_refused_by_the_codec_or_the_gate(int seed)
    {
        using var space = new TestSpace();
        using var editor = DeviceKey.Generate();
        space.Apply(space.NextAdd(space.Owner, editor.Id, SpaceRole.Editor));
        var originals = new[]
        {
            SignedRecord.Create(space.Owner, space.Id, "doc", 1, [[0, 0]]).Encoded,
            SignedRecord.Create(editor, space.Id, "doc", 9, [[1, 2, 3], new byte[200]]).Encoded,
            SignedRecord.Create(editor, space.Id, "doc", 2, [[4, 4], [5, 5], [6, 6, 6]]).Encoded,
        };
        foreach (var original in originals)
        {
            Assert.Null(RecordGate.Check(SignedRecordCodec.Decode(original), "doc", space.Id, space.Log));
        }

        var random = new Random(seed);
        var formatErrors = 0;
        var refusals = new Dictionary<RecordRefusal, int>();
        for (var i = 0; i < 500; i++)
        {
            var original = originals[random.Next(originals.Length)];
            var mutant = i % 2 == 0 ? FlipOneBit(original, random) : ByteMutator.Mutate(original, random);
            SignedRecord decoded;
            try
            {
                decoded = SignedRecordCodec.Decode(mutant);
            }
            catch (RecordFormatException)
            {
                formatErrors++;
                continue;
            }

            var refusal = RecordGate.Check(decoded, "doc", space.Id, space.Log);
            Assert.True(refusal is not null, $"seed {seed}, case {i}: mutant {Convert.ToHexString(mutant)} was accepted");
            refusals[refusal.Value] = refusals.GetValueOrDefault(refusal.Value) + 1;
        }

        Assert.True(formatErrors > 0, $"seed {seed}: no mutant hit the codec");
        Assert.True(refusals.GetValueOrDefault(RecordRefusal.BadSignature) > 0, $"seed {seed}: no mutant reached the signature check");
    }

    [Theory]
    [InlineData(201)]
    [InlineData(202)]
    public void Signatures_moved_between_records_never_verify(int seed)
    {
        using var author = DeviceKey.Generate();
        var space = SpaceId.NewRandom();
        var random = new Random(seed);
        var records = Enumerable.Range(1, 20)
            .Select(i => SignedRecord.Create(author, space, "d" + random.Next(3), (ulong)i, [[(byte)random.Next(256), 0]]))
            .ToArray();

        for (var i = 0; i < records.Length; i++)
        {
            for (var j = 0; j < records.Length; j++)
            {
                if (i == j)
                {
                    continue;
                }

                var moved = records[i].Encoded[..^64].Concat(records[j].Signature.ToArray()).ToArray();
                Assert.False(SignedRecordCodec.Decode(moved).HasValidSignature(), $"seed {seed}: signature of record {j} verified on record {i}");
            }
        }
    }

    private static byte[] FlipOneBit(byte[] original, Random random)
    {
        var bytes = original.ToArray();
        var bit = random.Next(bytes.Length * 8);
        bytes[bit / 8] ^= (byte)(1 << (bit % 8));
        return bytes;
    }
}
