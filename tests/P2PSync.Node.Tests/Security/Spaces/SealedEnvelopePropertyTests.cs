using System.Buffers.Binary;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;
using P2PSync.Node.Identity;
using P2PSync.Node.Security.Spaces;

namespace P2PSync.Node.Tests.Security.Spaces;

/// <summary>Property: nothing of the plaintext shows through a sealed envelope.</summary>
public sealed class SealedEnvelopePropertyTests
{
    private const int MarkerLength = 8;

    [Fact]
    public void A_sealed_envelope_never_contains_an_8_byte_piece_of_its_plaintext()
    {
        var space = SpaceId.NewRandom();
        using var key = SpaceKey.Generate(0);
        using var author = DeviceKey.Generate();
        // Arbitrary bytes, plus a repeated 8-byte marker so long runs of one pattern are covered too.
        var bytes = Gen.Choose(0, 255).Select(b => (byte)b);
        var plaintexts =
            from filler in bytes.ArrayOf()
            from marker in bytes.ArrayOf(MarkerLength)
            from repeats in Gen.Choose(1, 40)
            select filler.Concat(Enumerable.Repeat(marker, repeats).SelectMany(m => m)).ToArray();

        Prop.ForAll(Arb.From(plaintexts), plaintext =>
            {
                var record = SignedRecord.Create(author, space, "doc", 1, [plaintext]).Encoded;
                return Leaks(SpaceSealer.Seal(SealedEnvelopeKind.NodeMessage, space, key, plaintext), plaintext) is null
                    && Leaks(SpaceSealer.Seal(SealedEnvelopeKind.SignedRecord, space, key, record), record) is null;
            })
            .Check(Config.QuickThrowOnFailure.WithMaxTest(300)
                .WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(31, 0x9E3779B97F4A7C15UL), FSharpOption<int>.None))));
    }

    [Fact]
    public void The_leak_check_finds_a_planted_piece()
    {
        // The property above is only as good as its detector: prove it catches a real leak.
        var plaintext = "0123456789abcdef"u8.ToArray();
        var envelope = new byte[SealedEnvelope.HeaderLength + 40];
        plaintext.AsSpan(4, MarkerLength).CopyTo(envelope.AsSpan(SealedEnvelope.HeaderLength + 10));

        Assert.Equal(SealedEnvelope.HeaderLength + 10, Leaks(envelope, plaintext));
    }

    // The offset in the envelope's ciphertext of the first 8-byte window that also occurs in the
    // plaintext, or null. The header is skipped: it carries the space id in clear by design, and a
    // signed record carries the same id inside.
    private static int? Leaks(byte[] envelope, byte[] plaintext)
    {
        var windows = new HashSet<ulong>();
        for (var i = 0; i + MarkerLength <= plaintext.Length; i++)
        {
            windows.Add(BinaryPrimitives.ReadUInt64LittleEndian(plaintext.AsSpan(i)));
        }

        for (var i = SealedEnvelope.HeaderLength; i + MarkerLength <= envelope.Length; i++)
        {
            if (windows.Contains(BinaryPrimitives.ReadUInt64LittleEndian(envelope.AsSpan(i))))
            {
                return i;
            }
        }

        return null;
    }
}
